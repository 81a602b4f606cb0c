/** `spillover merge <dir...> [--out DIR]`: combine shard folders into the outputs of the whole experiment. */
import { counted, shown } from '../shown.js';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { mergeShards } from '../../experiment/runner.js';
import { quantileRowCount } from '../../experiment/quantile-rows.js';
import { provenance } from '../package-info.js';
import { freeSpace } from '../disk-space.js';
import { defaultMergeOut, progressReporter, quantilesNote } from '../experiment-options.js';

interface MergeArgs {
  dirs: string[];
  out?: string;
  quiet?: boolean;
}

export const command = 'merge <dirs...>';
export const describe = 'Combine the output folders of shards into runs.csv and quantiles.csv identical to an unsharded run';

export function builder(y: Argv): Argv<MergeArgs> {
  return y
    .positional('dirs', { type: 'string', array: true, describe: 'shard output folders', demandOption: true })
    .option('out', { type: 'string', describe: 'output folder (default: the folder the shards are in, when each is its shard-I, as a shard\'s default and --emit-slurm make them)' })
    .option('quiet', { type: 'boolean', describe: 'print nothing but errors' })
    .example('$0 merge out/shard-1 out/shard-2 out/shard-3 --out out/all', 'combine three shards')
    .example('$0 merge output/benefit-sharing/shard-{1..4}', 'combine four shards into output/benefit-sharing/') as Argv<MergeArgs>;
}

export async function handler(argv: ArgumentsCamelCase<MergeArgs>): Promise<void> {
  const out = argv.out ?? defaultMergeOut(argv.dirs);
  if (typeof out !== 'string') throw out;
  const manifest = provenance();
  let shards = 0;
  const meta = mergeShards(argv.dirs, out, manifest, {
    checked: (m, found) => {
      shards = found;
      if (argv.quiet) return;
      const { where, free } = freeSpace(out);
      const note = quantilesNote(quantileRowCount(m), m.replicates, free, shown(where));
      if (note) process.stderr.write(`${note}\n`);
    },
    // a merge of a million runs aggregates for a minute, and a SLURM merge job's log stayed empty meanwhile
    onProgress: progressReporter(argv.quiet),
  });
  // a merge's folder given counts as the shards it stands for
  if (!argv.quiet) console.log(`${meta.name}: merged ${counted(shards, 'shard')}, ${counted(meta.runs, 'run')}, into ${shown(out)}/`);
}
