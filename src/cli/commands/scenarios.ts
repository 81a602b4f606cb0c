/** `spillover scenarios`: the shipped scenarios with the question each asks. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { loadScenario } from '../../scenario/load.js';
import { PACKAGE_ROOT } from '../package-info.js';
import { InputError } from '../../scenario/errors.js';
import { shown } from '../shown.js';

export const command = 'scenarios';
export const describe = 'List the scenarios in ./scenarios (or the shipped ones) with one-line descriptions';

export function builder(y: Argv): Argv {
  return y.example('$0 scenarios', 'list them; then `$0 run scenarios/<file>`');
}

/** The first sentence of a description. */
const firstSentence = (text: string) => (/^.*?[.?!](\s|$)/.exec(text)?.[0] ?? text).trim();

export async function handler(): Promise<void> {
  const local = join(process.cwd(), 'scenarios');
  const folder = existsSync(local) ? local : join(PACKAGE_ROOT, 'scenarios');
  const files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
  const rows: Array<[string, string]> = [];
  const problems: string[] = [];
  for (const f of files) {
    // one file of a user's folder that does not load is listed and reported, not left to hide all the others
    try {
      const { scenario } = await loadScenario(join(folder, f));
      rows.push([shown(join(folder, f)), firstSentence(scenario.description)]);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      rows.push([shown(join(folder, f)), '(not a valid scenario: see below)']);
      problems.push(e.message);
    }
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [file, text] of rows) console.log(`${file.padEnd(width)}  ${text}`);
  for (const problem of problems) process.stderr.write(`spillover: ${problem}\n`);
  if (problems.length) process.exitCode = 2;
}
