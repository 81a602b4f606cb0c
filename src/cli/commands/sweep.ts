/** `spillover sweep <experiment.json>`: a design of parameter values, replicated, with quantiles per point. */
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { loadExperiment } from '../../experiment/load.js';
import { experimentOptions, runFromCli, startEarly, type ExperimentArgs } from '../experiment-options.js';

interface SweepArgs extends ExperimentArgs {
  experiment: string;
}

export const command = 'sweep <experiment>';
export const describe = 'Run an experiment file (grid, Latin hypercube, CSV or replicates design) and write runs.csv, points.csv and quantiles.csv';

export function builder(y: Argv): Argv<SweepArgs> {
  return experimentOptions(
    y
      .positional('experiment', { type: 'string', describe: 'experiment file (JSON)', demandOption: true })
      .example('$0 sweep experiments/benefit-sharing.json', 'run it on every core into output/benefit-sharing/')
      .example('$0 sweep experiments/benefit-sharing.json --shard 2/4 --out out/shard-2', 'one of four independent jobs; then spillover merge')
      .example('$0 sweep experiments/benefit-sharing.json --emit-slurm sweep.sbatch', 'write a SLURM array script and its merge step')
      .example('$0 sweep more-points.json --out out/more --reuse out/fewer', 'copy the runs shared with an earlier sweep, run only the new ones'),
  ) as Argv<SweepArgs>;
}

export async function handler(argv: ArgumentsCamelCase<SweepArgs>): Promise<void> {
  startEarly(argv);
  const x = await loadExperiment(argv.experiment);
  await runFromCli(x, argv, process.argv.slice(2), ['sweep', resolve(argv.experiment)]);
}
