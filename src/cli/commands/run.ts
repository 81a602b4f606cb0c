/** `spillover run <scenario>`: one run, written as a folder of tidy outputs and a page of plots. */
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { join } from 'node:path';
import { shown } from '../shown.js';
import { checkSeed, checkWholeNumber } from '../option-checks.js';
import { checkCanWriteState, writeStateScenario } from '../write-state.js';
import { loadScenario } from '../../scenario/load.js';
import { InputError } from '../../scenario/errors.js';
import { withSets } from '../sets.js';
import { runFailureAsInput } from '../../engine/overflow.js';
import { simulate } from '../../engine/simulate.js';
import { eventsCsv, timeseriesCsv } from '../../collect/tidy.js';
import { summarise } from '../../collect/summary.js';
import { describeRun } from '../../report/describe.js';
import { runPage } from '../../report/run-page.js';
import { writeFolder } from '../write-folder.js';
import { setFolder } from '../folder-name.js';
import { provenance } from '../package-info.js';

interface RunArgs {
  scenario: string;
  seed?: number;
  set?: string[];
  out?: string;
  quiet?: boolean;
  writeState?: string;
  replicates: number;
}

export const command = 'run <scenario>';
export const describe = 'Run a scenario once and write timeseries.csv, events.csv, summary.json, manifest.json and plots.html';

export function builder(y: Argv): Argv<RunArgs> {
  return y
    .positional('scenario', { type: 'string', describe: 'scenario file (JSON)', demandOption: true })
    .option('seed', { type: 'number', describe: 'random seed (default: the scenario\'s own)' })
    .option('set', { type: 'string', array: true, describe: 'PATH=VALUE: a number of the scenario set for this run, as a design point sets it (repeatable)' })
    .option('out', { type: 'string', describe: 'output folder (default: output/<scenario name>/, with --set output/<scenario name>-<path>=<value>/)' })
    .option('quiet', { type: 'boolean', describe: 'print nothing but errors' })
    .option('write-state', { type: 'string', describe: 'also write the state at the end as a scenario that starts there (extends this scenario\'s parent)' })
    .option('replicates', { type: 'number', default: 1, describe: 'with --write-state: runs averaged for the state (seeds derived from --seed)' })
    .check(checkSeed)
    .check(checkWholeNumber('replicates', 'runs', 1, 10000))
    .example('$0 run scenarios/baseline.json', 'run the baseline into output/baseline/')
    .example('$0 run scenarios/severe-drought.json --seed 7 --out output/drought-7', 'another seed, another folder')
    .example('$0 run scenarios/baseline.json --seed 846324938 --set policies.benefitSharing=0.7468789734470193', 'one run of a sweep again, whole: its seed and design values from runs.csv')
    .example('$0 run scenarios/historical.json --write-state scenarios/calibrated/state-2025.json --replicates 20', 'save where history ends, for projections to start from') as Argv<RunArgs>;
}

export async function handler(argv: ArgumentsCamelCase<RunArgs>): Promise<void> {
  if (argv.set?.length && argv.writeState) throw new InputError('--set', '', 'cannot go with --write-state; expected one or the other (a state written from a changed scenario would extend the unchanged one)');
  const base = await loadScenario(argv.scenario, { seed: argv.seed });
  const loaded = argv.set?.length ? withSets(base, argv.set) : base;
  if (argv.writeState) checkCanWriteState(loaded, argv.writeState);
  let run;
  try {
    run = simulate(loaded);
  } catch (e) {
    throw runFailureAsInput(e, argv.scenario, loaded.set);
  }
  const summary = summarise(run);
  // with --set, a folder of its own: the unchanged run's outputs stay
  const out = argv.out ?? setFolder(loaded.scenario.name, loaded.set);
  const manifest = {
    ...provenance(),
    seed: run.seed,
    ...(argv.set?.length ? { set: argv.set } : {}),
    scenario: { name: loaded.scenario.name, files: loaded.chain, sha256: loaded.sha256, resolved: loaded.scenario },
    outputs: ['timeseries.csv', 'events.csv', 'summary.json', 'plots.html'],
  };
  writeFolder(out, {
    'timeseries.csv': timeseriesCsv(run),
    'events.csv': eventsCsv(run),
    'summary.json': `${JSON.stringify(summary, null, 2)}\n`,
    'manifest.json': `${JSON.stringify(manifest, null, 2)}\n`,
    'plots.html': runPage(run, summary),
  });
  if (argv.writeState) writeStateScenario(loaded, run, argv.replicates, argv.writeState);
  if (argv.quiet) return;
  const where = shown(out);
  console.log(`${loaded.scenario.name} (seed ${run.seed}), ${loaded.scenario.start}-${loaded.scenario.end}`);
  for (const line of describeRun(summary)) console.log(`  ${line}`);
  console.log(`  wrote ${where}/: timeseries.csv, events.csv, summary.json, manifest.json, plots.html`);
  console.log(`  plots: ${join(where, 'plots.html')}`);
  if (argv.writeState) console.log(`  state at ${loaded.scenario.end} (${argv.replicates === 1 ? 'this run' : `mean of ${argv.replicates} runs`}): ${argv.writeState}`);
}
