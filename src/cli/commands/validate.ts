/** `spillover validate <scenario>`: check a scenario without running it. */
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { loadScenario } from '../../scenario/load.js';

interface ValidateArgs {
  scenario: string;
}

export const command = 'validate <scenario>';
export const describe = 'Check a scenario file (and the files it extends) without running it';

export function builder(y: Argv): Argv<ValidateArgs> {
  return y
    .positional('scenario', { type: 'string', describe: 'scenario file (JSON)', demandOption: true })
    .example('$0 validate scenarios/deep-integration.json', 'exit 0 and a one-line summary if valid; exit 2 and the first error if not') as Argv<ValidateArgs>;
}

export async function handler(argv: ArgumentsCamelCase<ValidateArgs>): Promise<void> {
  const { scenario: s, chain } = await loadScenario(argv.scenario);
  const steps = Math.round((s.end - s.start) * s.stepsPerYear);
  console.log(
    `ok: ${chain[chain.length - 1]} is scenario "${s.name}": ${Object.keys(s.states).length} states, ` +
      `${Object.keys(s.sectors).length} sectors, ${s.shocks.length} shocks, ${s.start}-${s.end} in ${steps} steps` +
      (chain.length > 1 ? ` (extends ${chain.slice(0, -1).join(' <- ')})` : ''),
  );
}
