/**
 * Runs taken from an earlier experiment's output folder instead of computed again (`--reuse DIR`). A run's record is
 * a function of the model, the resolved scenario, the kept cells, the base seed, its design point's values and its
 * replicate, and of nothing else: its seed derives from the last three (seeds.ts; with paired seeds, from the base seed
 * and the replicate, so paired and unpaired runs are never mixed), never from its run id. So when a
 * sweep gains design points or replicates, or an ensemble more runs, the runs it shares with an earlier experiment are
 * that experiment's records. Copied and sealed again under their new run ids, they give the same outputs, byte for
 * byte, as computing them would.
 */
import { join } from 'node:path';
import { InputError } from '../scenario/errors.js';
import { designKey, pointAt } from './design.js';
import { isSealed, sealRecords, type ExperimentMeta, type RecordLayout } from './layout.js';
import { RunStore } from './store.js';
import { readMetaFile } from './meta-file.js';
import { shardsNotFound } from './manifest-file.js';

/** An earlier output folder open for reuse. */
export interface ReuseSource {
  meta: ExperimentMeta;
  store: RunStore;
  /**
   * Where each kept cell of this experiment is among the earlier one's, when it kept more (or in another order): its
   * records are then cut down to this experiment's cells. Absent when both keep the same cells.
   */
  cells?: Int32Array;
}

/** Where each cell of `meta` is among those of `old`, or the first of them `old` did not keep. */
function cellMap(old: ExperimentMeta, meta: ExperimentMeta): Int32Array | { missing: string } {
  const at = new Map(old.cells.map((c, k) => [`${c.entity} ${c.variable}`, k]));
  const map = new Int32Array(meta.cells.length);
  for (let c = 0; c < meta.cells.length; c++) {
    const k = at.get(`${meta.cells[c].entity} ${meta.cells[c].variable}`);
    if (k === undefined) return { missing: `${meta.cells[c].entity} ${meta.cells[c].variable}` };
    map[c] = k;
  }
  return map;
}

/**
 * What makes another experiment's records differ from this one's at the same point values and replicate, if anything
 * (`cells`: `cellMap`'s answer).
 */
function whatDiffers(old: ExperimentMeta, meta: ExperimentMeta, cells: Int32Array | { missing: string }): string | undefined {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (old.format !== meta.format) return `another format (${JSON.stringify(old.format)})`;
  if (old.modelVersion === undefined || old.scenarioSha256 === undefined) return 'an earlier version of spillover, whose experiment.json does not say which model and scenario made them';
  if (old.modelVersion !== meta.modelVersion) return `model version ${old.modelVersion}, not ${meta.modelVersion}`;
  if (old.scenarioSha256 !== meta.scenarioSha256) return `another scenario (SHA-256 ${old.scenarioSha256.slice(0, 12)}, not ${meta.scenarioSha256!.slice(0, 12)})`;
  if (old.seed !== meta.seed) return `base seed ${old.seed}, not ${meta.seed}`;
  if (!old.pairedSeeds !== !meta.pairedSeeds) return old.pairedSeeds ? 'seeds paired across design points (this experiment draws them for each point)' : 'seeds drawn for each design point (this experiment pairs them across points)';
  if ('missing' in cells) return `other kept variables (not ${cells.missing})`;
  if (!same(old.times, meta.times) || !same(old.outcomes, meta.outcomes)) return 'other steps or outcomes';
  return undefined;
}

/**
 * Opens the earlier output folder `folder` (named in messages as given) to reuse its runs in the experiment of `meta`,
 * checking that its records are what this experiment's would be at the same design point values and replicates.
 */
export function openReuse(folder: string, meta: ExperimentMeta): ReuseSource {
  const old = readMetaFile(folder);
  if (!old) throw new InputError(folder, '', 'has no experiment.json; expected the output folder of an earlier sweep or ensemble');
  // an experiment.json of another format may lack the cells: they are looked at only once the format is known
  const cells = old.format === meta.format && Array.isArray(old.cells) ? cellMap(old, meta) : { missing: '' };
  const differs = whatDiffers(old, meta, cells);
  if (differs) throw new InputError(folder, '', `holds runs of ${differs}; expected runs of the same model version, scenario and base seed as this experiment, keeping its variables or more`);
  const store = RunStore.open(join(folder, 'runs.bin'), old, true);
  if (!store) {
    // a merged folder holds outputs and no records: those stay in its shards' folders
    const missing = shardsNotFound(folder);
    if (missing.length) throw new InputError(folder, '', `was merged from shards and holds no records, and the folders of its shards ${missing.join(', ')} were not found from here; expected the shards' folders, each after its own --reuse`);
    throw new InputError(join(folder, 'runs.bin'), '', 'is missing or not a run store of this version of spillover; expected the records of an earlier sweep or ensemble');
  }
  const map = cells as Int32Array;
  const identical = map.length === old.cells.length && map.every((k, c) => k === c);
  return { meta: old, store, ...(identical ? {} : { cells: map }) };
}

/**
 * Writes the records [k, m) of `records` (laid out as `from`), cut down to the cells of `to` (`cells`: where each of
 * them is in `from`'s records), into `out` from its start: the outcomes as they are, then the kept values step by step.
 * `out`'s padding before each trailer is never written, and stays zero as in a computed record.
 */
function project(records: Uint8Array, k: number, m: number, from: RecordLayout, to: RecordLayout, cells: Int32Array, steps: number, out: Uint8Array): Uint8Array {
  const oldCells = from.series / steps, newCells = cells.length;
  for (let j = k; j < m; j++) {
    const source = records.byteOffset + j * from.bytes, target = out.byteOffset + (j - k) * to.bytes;
    out.set(records.subarray(j * from.bytes, j * from.bytes + to.outcomes * 8), (j - k) * to.bytes);
    const a = new Float32Array(records.buffer, source + from.seriesOffset, from.series);
    const b = new Float32Array(out.buffer, target + to.seriesOffset, to.series);
    for (let step = 0; step < steps; step++)
      for (let c = 0; c < newCells; c++) b[step * newCells + c] = a[step * oldCells + cells[c]];
  }
  return out.subarray(0, (m - k) * to.bytes);
}

/**
 * Copies into `store` the records `source` holds, sealed, of the runs [first, end) not yet `done`, sealed again under
 * their run ids here, and marks them done; returns how many it copied. A run is the earlier experiment's when its
 * design point has the same parameters and values (as its seed's key, `pointKey`, and value for value) and the
 * earlier experiment had that replicate. Only the records wanted are read (a shard of an array job reads its own, not
 * the whole earlier store), consecutive ones in one read of some 4 MB at most; a record torn or never written is left
 * to be run.
 */
export function reuseRuns(source: ReuseSource, meta: ExperimentMeta, store: RunStore, done: Uint8Array, first: number, end: number): number {
  return takeRuns(source, meta, done, first, end, store);
}

/**
 * How many runs of [first, end) not yet `done` `source` would give (`reuseRuns` without copying: each record wanted
 * is still read, for its seal), marking them done: what `validate --reuse` reports before an array job is sized.
 */
export function countReusable(source: ReuseSource, meta: ExperimentMeta, done: Uint8Array, first: number, end: number): number {
  return takeRuns(source, meta, done, first, end);
}

/** The earlier points whose runs `source`'s store holds, by key (a design listing a point twice ran the same runs twice). */
function storedPoints(source: ReuseSource): Map<string, number> {
  const old = source.meta, { first, end } = source.store.header;
  const byKey = new Map<string, number>();
  for (let q = Math.floor(first / old.replicates); q * old.replicates < end; q++) {
    const key = designKey(old.points, q);
    if (!byKey.has(key)) byKey.set(key, q);
  }
  return byKey;
}

/**
 * Marks in `copied` (one byte a run of the experiment of `meta`) the runs `source` would give by its design and the
 * runs its store was made for, sealed or not: what shards weigh as copies when they split an experiment (`shardRange`).
 * No record is read, so every task of an array job, reading the same folders' metadata, draws the same boundaries.
 */
function markReusable(source: ReuseSource, meta: ExperimentMeta, copied: Uint8Array): void {
  const old = source.meta, { first: oldFirst, end: oldEnd } = source.store.header;
  const byKey = storedPoints(source);
  const replicates = Math.min(old.replicates, meta.replicates);
  for (let p = 0; p < meta.points.count; p++) {
    const match = byKey.get(designKey(meta.points, p));
    if (match === undefined || !sameValues(pointAt(meta.points, p), pointAt(old.points, match))) continue;
    // the replicates of the earlier point its store holds
    const from = Math.max(0, oldFirst - match * old.replicates), to = Math.min(replicates, oldEnd - match * old.replicates);
    if (from < to) copied.fill(1, p * meta.replicates + from, p * meta.replicates + to);
  }
}

/** One byte a run of the experiment of `meta`, set for the runs `sources` give by their metadata (`markReusable`). */
export function copiedRuns(sources: ReuseSource[], meta: ExperimentMeta): Uint8Array {
  const copied = new Uint8Array(meta.runs);
  for (const source of sources) markReusable(source, meta, copied);
  return copied;
}

/** `copiedRuns` of `folders`, opened and closed here. */
export function reusableByMetadata(folders: string[], meta: ExperimentMeta): Uint8Array {
  const sources: ReuseSource[] = [];
  try {
    for (const folder of folders) sources.push(openReuse(folder, meta));
    return copiedRuns(sources, meta);
  } finally {
    sources.forEach((source) => source.store.close());
  }
}

/** `reuseRuns`, copying into `store` when given, else only counting. */
function takeRuns(source: ReuseSource, meta: ExperimentMeta, done: Uint8Array, first: number, end: number, store?: RunStore): number {
  const old = source.meta, from = source.store;
  const { first: oldFirst, end: oldEnd } = from.header;
  const byKey = storedPoints(source);
  // the earlier records' layout, and this experiment's (the same unless it keeps fewer cells)
  const layout = from.layout, size = layout.bytes;
  const capacity = Math.max(1, Math.floor((4 << 20) / size));
  const buffer = new Uint8Array(capacity * size);
  const projected = store && source.cells ? new Uint8Array(capacity * store.layout.bytes) : undefined;
  let reused = 0, point = -1, match: number | undefined;
  for (let id = first; id < end; ) {
    const p = Math.floor(id / meta.replicates), r = id % meta.replicates;
    if (p !== point) {
      point = p;
      match = byKey.get(designKey(meta.points, p));
      // the key writes each value as text: the values themselves must be the same numbers too
      if (match !== undefined && !sameValues(pointAt(meta.points, p), pointAt(old.points, match))) match = undefined;
    }
    if (match === undefined || r >= old.replicates) {
      id = (p + 1) * meta.replicates; // none of this point's runs, or none left
      continue;
    }
    const oldId = match * old.replicates + r;
    const wanted = (k: number) => !done[id + k - first] && r + k < old.replicates && oldId + k >= oldFirst && oldId + k < oldEnd;
    if (!wanted(0)) {
      id++;
      continue;
    }
    let n = 1;
    while (n < capacity && id + n < end && (id + n) % meta.replicates !== 0 && wanted(n)) n++;
    from.read(oldId, n, buffer);
    // the sealed ones, a stretch at a time: sealed again here, written in one write
    for (let k = 0; k < n; ) {
      const record = (j: number) => buffer.subarray(j * size, (j + 1) * size);
      if (!isSealed(record(k), layout, oldId + k)) {
        k++;
        continue;
      }
      let m = k + 1;
      while (m < n && isSealed(record(m), layout, oldId + m)) m++;
      if (store) {
        const bytes = projected ? project(buffer, k, m, layout, store.layout, source.cells!, meta.times.length, projected) : buffer.subarray(k * size, m * size);
        sealRecords(bytes, store.layout, id + k);
        store.writeRecords(id + k, bytes);
      }
      done.fill(1, id + k - first, id + m - first);
      reused += m - k;
      k = m;
    }
    id += n;
  }
  return reused;
}

/** Whether two design points set the same parameters to the same numbers. */
function sameValues(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.is(a[k], b[k]));
}
