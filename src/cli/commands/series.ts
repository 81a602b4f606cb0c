/** `spillover series <dir...> --out FILE`: every run's kept series as tidy CSV, read back from the run stores (`--out -`: to standard output). */
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EXPERIMENT_FILES } from '../../experiment/runner.js';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { InputError, formatValue } from '../../scenario/errors.js';
import { seriesBytes, seriesHeader, selectCells, writeSeries } from '../../experiment/series-export.js';
import { openShards } from '../../experiment/shards.js';
import { keepPatterns } from '../../experiment/keep.js';
import { freeSpace, sizeShown } from '../disk-space.js';
import { listOption } from '../option-checks.js';
import { counted, shown } from '../shown.js';
import { writeFileStreamed } from '../write-folder.js';
import { ReaderGone, writeStdoutStreamed } from '../stdout-stream.js';

interface SeriesArgs {
  dirs: string[];
  out: string;
  /** Comma-separated; a list when given more than once. */
  keep?: string | string[];
  ids?: string;
  quiet?: boolean;
}

export const command = 'series <dirs...>';
export const describe = "Write every run's kept series as tidy CSV (run, step, time, entity, variable, value), read back from an experiment's output folder or its shards' folders";

export function builder(y: Argv): Argv<SeriesArgs> {
  return y
    .positional('dirs', { type: 'string', array: true, describe: 'the output folder of an ensemble or a sweep, or the folders of its shards', demandOption: true })
    .option('out', { type: 'string', describe: 'the CSV file to write, or - for standard output (to a pipe: gzip, a database)', demandOption: true })
    .option('keep', { type: 'string', describe: 'variables to write, of those the experiment kept, comma-separated (e.g. "cooperation.*,trade_usd"; default: all); repeatable, the lists adding up' })
    .option('ids', { type: 'string', describe: 'the runs to write, FROM-TO or one run id, as in the run column of runs.csv (default: every run the folders hold)' })
    .option('quiet', { type: 'boolean', describe: 'print nothing but errors' })
    .example('$0 series output/baseline-ensemble --keep integration_index --out paths.csv', "every run's integration index, step by step")
    .example('$0 series out/shard-1 out/shard-2 --ids 0-99 --out first-100.csv', 'the first 100 runs of a sharded experiment')
    .example('$0 series output/baseline-ensemble --out - | gzip > paths.csv.gz', 'to standard output, compressed on the way') as Argv<SeriesArgs>;
}

/**
 * The line said before an export of 100 MB or more (none below): its rows and size (22 million rows, 1.1 GB, are the
 * three cooperation series of 20,000 runs), and `free`, the room in `where`, when that is less.
 */
export function seriesSizeNote(rows: number, bytes: number, free: number, where: string): string | undefined {
  if (bytes < 100e6) return undefined;
  const room = bytes > free ? `, and ${where} has ${sizeShown(free)} free (a full disk stops it, leaving nothing)` : '';
  return `note: writing ${rows} rows, about ${sizeShown(bytes)}${room}; --keep and --ids choose fewer`;
}

/** `--ids`: runs [first, end) of an experiment of `runs` runs, or undefined when not given. */
export function parseIds(text: string | undefined, runs: number): [number, number] | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  const from = m ? Number(m[1]) : NaN, to = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(from <= to && to < runs)) throw new InputError('--ids', '', `${formatValue(text)} is not a range of this experiment's runs; expected FROM-TO or one run id, from 0 to ${runs - 1}`);
  return [from, to + 1];
}

/** The path of `file` with its folder's links resolved, to tell two names of one file apart from two files. */
function realFile(file: string): string {
  const full = resolve(file);
  return existsSync(dirname(full)) ? join(realpathSync(dirname(full)), basename(full)) : full;
}

export async function handler(argv: ArgumentsCamelCase<SeriesArgs>): Promise<void> {
  const toStdout = argv.out === '-';
  // an export written over a file of a folder it reads: --out DIR/runs.bin replaced the records with the CSV
  const target = toStdout ? undefined : realFile(argv.out);
  for (const folder of argv.dirs)
    for (const name of EXPERIMENT_FILES)
      if (target !== undefined && realFile(join(folder, name)) === target) throw new InputError('--out', '', `${formatValue(argv.out)} is the ${name} of ${folder}, which this export reads; expected a file outside the experiment's own`);
  const patterns = keepPatterns(listOption(argv.keep) ?? '');
  const { meta, shards, close } = openShards(argv.dirs);
  let rows = 0, written = 0, first: number, end: number;
  try {
    if (meta.cells.length === 0)
      throw new InputError(argv.dirs[0], '', 'keeps no series (its experiment\'s "keep" is empty), so its runs have no path to write; expected the folder of an experiment that keeps variables (each run\'s outcomes are in runs.csv)');
    const cells = selectCells(meta, patterns, '--keep');
    [first, end] = parseIds(argv.ids, meta.runs) ?? [shards[0].store.header.first, shards[shards.length - 1].store.header.end];
    const folder = toStdout ? undefined : dirname(resolve(argv.out));
    // a shard's folder gives its own runs only, which is what one asks for at times; but a merge written into a shard's
    // folder holds the whole experiment's runs.csv beside that shard's records, and its export was silently a part
    if (!argv.quiet && argv.ids === undefined && end - first < meta.runs)
      process.stderr.write(`note: ${argv.dirs.length === 1 ? 'the folder given holds' : `the ${argv.dirs.length} folders given hold`} runs ${first}-${end - 1} of the experiment's ${meta.runs}; the others are in its other shards' folders (give them too, or the folder they were merged into)\n`);
    const note = argv.quiet ? undefined : seriesSizeNote((end - first) * meta.times.length * cells.length, seriesBytes(meta, shards, cells, first, end), folder ? freeSpace(folder).free : Infinity, folder ? shown(folder) : '');
    const fill = (put: (bytes: Uint8Array) => void) => {
      // said once the file is open: before a refusal to write it, two lines of one
      if (note) process.stderr.write(`${note}\n`);
      const counting = (bytes: Uint8Array) => {
        put(bytes);
        written += bytes.length;
      };
      counting(Buffer.from(`${seriesHeader(meta)}\n`));
      rows = writeSeries(meta, shards, cells, first, end, counting);
    };
    if (!toStdout) writeFileStreamed(argv.out, fill);
    else {
      try {
        writeStdoutStreamed(fill);
      } catch (e) {
        // the reader stopped early (`| head`): what it did not read is not wanted, which is no failure of the export
        if (e instanceof ReaderGone) return;
        throw e;
      }
    }
  } finally {
    close();
  }
  if (argv.quiet) return;
  // to standard output, the closing line goes to stderr, out of the data's way
  const line = `${meta.name}: wrote ${toStdout ? 'standard output' : shown(argv.out)}: ${counted(end - first, 'run')}, ${counted(rows, 'row')}, ${sizeShown(written)}`;
  if (toStdout) process.stderr.write(`${line}\n`);
  else console.log(line);
}
