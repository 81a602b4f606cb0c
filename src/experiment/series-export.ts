/**
 * Every run's kept series as tidy CSV, read back from the run stores: a row a run, step and kept cell,
 * `run[,point,replicate],seed,step,time,entity,variable,value`, a run's rows in the order quantiles.csv gives a point's.
 * Every row carries its run's seed, as every row of runs.csv does, so that any row names the run that made it
 * (`spillover run SCENARIO --seed SEED`, with the point's values set) without a join.
 * What BehaviorSpace calls table output and Mesa's `batch_run` returns, for what quantiles cannot tell: a run's path,
 * how many runs ever fall below a level, which runs turn back. The values are the records' Float32, printed as
 * quantiles.csv prints them (seven significant digits; NaN as NA).
 */
import { csvField, formatTime, writeFloat32, writeNumber } from '../collect/format.js';
import { formatValue, InputError } from '../scenario/errors.js';
import { keepMatches } from './keep.js';
import { RunSeeds } from './seeds.js';
import { isSealed, recordLayout, type ExperimentMeta } from './layout.js';
import type { ShardStore } from './shards.js';
import { unfinishedAdvice } from './folder-lock.js';

/** The header row of an export: the point and replicate only in a sweep (in an ensemble the replicate is the run). */
export function seriesHeader(meta: Pick<ExperimentMeta, 'parameters'>): string {
  return `run,${meta.parameters.length > 0 ? 'point,replicate,' : ''}seed,step,time,entity,variable,value`;
}

/**
 * The kept cells (indices into `meta.cells`) whose variable one of `patterns` names (see `keepMatches`), in record
 * order; every cell when there is no pattern. A pattern that names no kept variable is refused, `where` naming it.
 */
export function selectCells(meta: Pick<ExperimentMeta, 'cells'>, patterns: string[], where: string): number[] {
  if (patterns.length === 0) return meta.cells.map((_, k) => k);
  const kept = [...new Set(meta.cells.map((c) => c.variable))];
  for (const pattern of patterns)
    if (!kept.some((v) => keepMatches(pattern, v)))
      throw new InputError(where, '', `${formatValue(pattern)} is not a variable this experiment kept; expected one of ${kept.map((v) => JSON.stringify(v)).join(', ')}`);
  return meta.cells.flatMap((c, k) => (patterns.some((p) => keepMatches(p, c.variable)) ? [k] : []));
}

/** Room a row's run, point, replicate, seed and value take at most, with their commas and the newline. */
const NUMBERS_ROOM = 5 * 33 + 1;

/**
 * Writes the rows of runs [first, end) for the kept cells `cells` through `put`, a block of rows at a time (`put` may
 * keep no view of what it is given), and returns how many rows it wrote. Every run must lie in one of `shards` (by
 * their first run) and be finished; one that does not is refused with one line, which may come after rows were put.
 */
export function writeSeries(meta: ExperimentMeta, shards: ShardStore[], cells: number[], first: number, end: number, put: (bytes: Uint8Array) => void): number {
  const layout = recordLayout(meta);
  const encoder = new TextEncoder();
  // each chosen series' `step,time,entity,variable,`, and where it sits in a record (step-major, as the records hold it)
  const keys: Uint8Array[] = [];
  const at: number[] = [];
  meta.times.forEach((time, step) => {
    for (const c of cells) {
      keys.push(encoder.encode(`${step},${formatTime(time)},${csvField(meta.cells[c].entity)},${csvField(meta.cells[c].variable)},`));
      at.push(step * meta.cells.length + c);
    }
  });
  const longest = keys.reduce((most, key) => Math.max(most, key.length), 0);
  const swept = meta.parameters.length > 0;
  const blockRuns = Math.max(1, Math.floor((4 << 20) / layout.bytes));
  const block = new Uint8Array(blockRuns * layout.bytes);
  const values = new Float32Array(block.buffer);
  const out = new Uint8Array((1 << 20) + longest + NUMBERS_ROOM);
  const prefix = new Uint8Array(NUMBERS_ROOM);
  const seeds = new RunSeeds(meta.seed, meta.points, meta.pairedSeeds);
  let used = 0, rows = 0;

  for (let id = first; id < end; ) {
    const shard = shards.find((s) => s.store.header.first <= id && id < s.store.header.end);
    if (!shard) {
      const next = shards.find((s) => s.store.header.first > id)?.store.header.first ?? end;
      const to = Math.min(next, end) - 1;
      throw new InputError(id === to ? `run ${id}` : `runs ${id}-${to}`, '', `${id === to ? 'is' : 'are'} in no folder given; expected the folders of every shard that holds a run exported`);
    }
    const upTo = Math.min(end, shard.store.header.end);
    for (let from = id; from < upTo; from += blockRuns) {
      const count = Math.min(blockRuns, upTo - from);
      shard.store.read(from, count, block);
      for (let r = 0; r < count; r++) {
        const run = from + r;
        if (!isSealed(block.subarray(r * layout.bytes, (r + 1) * layout.bytes), layout, run))
          throw new InputError(shard.folder, '', `run ${run} is not finished; ${unfinishedAdvice(shard.folder, 'finished runs', 'the command that made the folder carries on with --resume')}`);
        const base = (r * layout.bytes + layout.seriesOffset) >> 2;
        // the run's `run[,point,replicate],seed,`, formatted once and copied into each of its rows
        let ids = writeNumber(prefix, 0, run);
        prefix[ids++] = 44;
        const point = Math.floor(run / meta.replicates), replicate = run % meta.replicates;
        if (swept) {
          ids = writeNumber(prefix, ids, point);
          prefix[ids++] = 44;
          ids = writeNumber(prefix, ids, replicate);
          prefix[ids++] = 44;
        }
        ids = writeNumber(prefix, ids, seeds.of(point, replicate));
        prefix[ids++] = 44;
        for (let v = 0; v < keys.length; v++) {
          if (used > out.length - longest - NUMBERS_ROOM) {
            put(out.subarray(0, used));
            used = 0;
          }
          for (let i = 0; i < ids; i++) out[used + i] = prefix[i];
          used += ids;
          out.set(keys[v], used);
          used += keys[v].length;
          used = writeFloat32(out, used, values[base + at[v]]);
          out[used++] = 10;
        }
        rows += keys.length;
      }
    }
    shard.store.release();
    id = upTo;
  }
  if (used > 0) put(out.subarray(0, used));
  return rows;
}

/**
 * About how many bytes `writeSeries` writes for runs [first, end) and `cells`, header aside: the first run's rows
 * exactly (its values formatted, as series of stages or counts take two characters a value and shares ten), as many
 * for every other run, with the run, point and replicate as long as the last run's. For a note before a long export.
 */
export function seriesBytes(meta: ExperimentMeta, shards: ShardStore[], cells: number[], first: number, end: number): number {
  if (end <= first) return 0; // a shard of no runs (more shards than runs)
  let bytes = 0;
  const rows = writeSeries(meta, shards, cells, first, first + 1, (b) => (bytes += b.length));
  const ids = (run: number) => `${run},` + (meta.parameters.length > 0 ? `${Math.floor(run / meta.replicates)},${run % meta.replicates},` : '');
  return (end - first) * (bytes + rows * (ids(end - 1).length - ids(first).length));
}
