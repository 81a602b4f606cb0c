/** `spillover scenarios`: the shipped scenarios with the question each asks. */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Argv } from 'yargs';
import { loadScenario } from '../../scenario/load.js';
import { PACKAGE_ROOT } from '../package-info.js';

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
  for (const f of files) {
    const { scenario } = await loadScenario(join(folder, f));
    rows.push([relative(process.cwd(), join(folder, f)), firstSentence(scenario.description)]);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [file, text] of rows) console.log(`${file.padEnd(width)}  ${text}`);
}
