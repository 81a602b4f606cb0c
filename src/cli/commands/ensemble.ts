/** `spillover ensemble <scenario> --runs N`: many replicates of one scenario, with quantiles over them. */
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { ensembleExperiment } from '../../experiment/load.js';
import { checkSeed, checkWholeNumber, listOption } from '../option-checks.js';
import { keepPatterns } from '../../experiment/keep.js';
import { withSets } from '../sets.js';
import { experimentOptions, runFromCli, startEarly, type ExperimentArgs } from '../experiment-options.js';

interface EnsembleArgs extends ExperimentArgs {
  scenario: string;
  runs: number;
  seed?: number;
  /** Comma-separated; a list when given more than once. */
  keep?: string | string[];
  set?: string[];
}

export const command = 'ensemble <scenario>';
export const describe = 'Run a scenario many times (seeds derived from one base seed) and write runs.csv and quantiles.csv';

export function builder(y: Argv): Argv<EnsembleArgs> {
  return experimentOptions(
    y
      .positional('scenario', { type: 'string', describe: 'scenario file (JSON)', demandOption: true })
      .option('runs', { type: 'number', describe: 'number of runs', default: 100 })
      .option('seed', { type: 'number', describe: 'base seed (default: the scenario\'s own)' })
      .option('keep', { type: 'string', describe: 'variables to aggregate, comma-separated (e.g. "cooperation.*,trade_usd"); repeatable, the lists adding up' })
      .option('set', { type: 'string', array: true, describe: 'PATH=VALUE: a number of the scenario set for every run, as with run --set (repeatable); the runs keep their seeds, paired with the unchanged scenario\'s' })
      .check(checkSeed)
      .check(checkWholeNumber('runs', 'runs', 1, 10000000))
      .example('$0 ensemble scenarios/baseline.json --runs 1000', '1,000 runs on every core into output/baseline-ensemble/')
      .example('$0 ensemble scenarios/baseline.json --runs 1000 --set policies.benefitSharing=0.5 --out out/sharing', 'the same 1,000 seeds with half the surplus shared')
      .example('$0 ensemble scenarios/baseline.json --runs 100000 --resume', 'carry on after a crash or kill, keeping finished runs')
      .example('$0 ensemble scenarios/baseline.json --runs 40000 --out out/40k --reuse out/20k', 'copy the runs of an earlier ensemble of 20,000, run the 20,000 others'),
  ) as Argv<EnsembleArgs>;
}

export async function handler(argv: ArgumentsCamelCase<EnsembleArgs>): Promise<void> {
  startEarly(argv);
  // given more than once, the lists add up (`--keep trade_usd --keep "cooperation.*"`), and are run again as one
  const keepText = listOption(argv.keep);
  const keep = keepText === undefined ? undefined : keepPatterns(keepText);
  const sets = argv.set ?? [];
  const x = await ensembleExperiment(argv.scenario, argv.runs, argv.seed, keep, sets.length ? (loaded) => withSets(loaded, sets) : undefined);
  const rerun = ['ensemble', argv.scenario, '--runs', String(argv.runs), '--seed', String(x.experiment.seed), ...(keepText !== undefined ? ['--keep', keepText] : []), ...sets.flatMap((set) => ['--set', set])];
  await runFromCli(x, argv, process.argv.slice(2), rerun);
}
