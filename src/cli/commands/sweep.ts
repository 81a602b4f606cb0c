/** `spillover sweep <experiment.json>`: a design of parameter values, replicated, with quantiles per point. */
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { loadExperiment } from '../../experiment/load.js';
import { InputError } from '../../scenario/errors.js';
import { withSets } from '../sets.js';
import { experimentOptions, runFromCli, startEarly, type ExperimentArgs } from '../experiment-options.js';

interface SweepArgs extends ExperimentArgs {
  experiment: string;
  set?: string[];
}

export const command = 'sweep <experiment>';
export const describe = 'Run an experiment file (grid, Latin hypercube, CSV or replicates design) and write runs.csv, points.csv and quantiles.csv';

export function builder(y: Argv): Argv<SweepArgs> {
  return experimentOptions(
    y
      .positional('experiment', { type: 'string', describe: 'experiment file (JSON)', demandOption: true })
      .option('set', { type: 'string', array: true, describe: 'PATH=VALUE: a number of the experiment\'s scenario set for every design point, as with run --set (repeatable); not a path the design varies' })
      .example('$0 sweep experiments/benefit-sharing.json', 'run it on every core into output/benefit-sharing/')
      .example('$0 sweep experiments/benefit-sharing.json --shard 2/4', 'one of four independent jobs, into output/benefit-sharing/shard-2/; then spillover merge')
      .example('$0 sweep experiments/benefit-sharing.json --emit-slurm sweep.sbatch', 'write a SLURM array script and its merge step')
      .example('$0 sweep more-points.json --out out/more --reuse out/fewer', 'copy the runs shared with an earlier sweep, run only the new ones')
      .example('$0 sweep experiments/benefit-sharing.json --set spillover.strength=0.5', 'the same sweep with spillover at half strength, into output/benefit-sharing-spillover.strength=0.5/'),
  ) as Argv<SweepArgs>;
}

export async function handler(argv: ArgumentsCamelCase<SweepArgs>): Promise<void> {
  startEarly(argv);
  const sets = argv.set ?? [];
  const x = await loadExperiment(argv.experiment, sets.length ? (loaded) => withSets(loaded, sets) : undefined);
  // a value the design varies would be overwritten at every point: the --set would change nothing but the hash
  const varied = Object.keys(x.loaded.set ?? {}).find((path) => x.parameters.includes(path));
  if (varied) throw new InputError('--set', '', `${JSON.stringify(varied)} is a parameter ${x.source}'s design varies; expected a number the design leaves as the scenario has it`);
  await runFromCli(x, argv, process.argv.slice(2), ['sweep', resolve(argv.experiment), ...sets.flatMap((set) => ['--set', set])]);
}
