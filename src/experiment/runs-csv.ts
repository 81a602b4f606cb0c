/**
 * Rows of `runs.csv`: run id, design point, replicate, seed, parameter values, outcomes. Workers format their runs'
 * rows (number formatting is the costliest part of a row), and the main thread formats rows of records it reads
 * back from a store (resume, merge) with the same function, so a row is the same text either way. Rows are written
 * as bytes, a batch's rows into one buffer: as strings, each row was a tree of pieces that the young generation
 * copied until the rows were joined and encoded.
 */
import { csvField, writeExact, writeNumber } from '../collect/format.js';
import type { ExperimentMeta } from './layout.js';
import { RunSeeds } from './seeds.js';

export function runsHeader(meta: ExperimentMeta): string {
  return ['run', 'point', 'replicate', 'seed', ...meta.parameters, ...meta.outcomes].map(csvField).join(',');
}

/** The most bytes a row can take: four integers, and 32 bytes a number with its comma (see `writeNumber`). */
export function runsRowRoom(meta: Pick<ExperimentMeta, 'parameters' | 'outcomes'>): number {
  return 4 * 33 + 33 * (meta.parameters.length + meta.outcomes.length) + 1;
}

/** Writes run `runId`'s row (its seed `seed`), newline included, into `out` at `at` (`runsRowRoom` bytes free); returns its end. */
export function writeRunsRow(out: Uint8Array, at: number, meta: ExperimentMeta, runId: number, outcomes: Float64Array, seed: number): number {
  const point = Math.floor(runId / meta.replicates);
  const replicate = runId % meta.replicates;
  const { values } = meta.points, width = meta.parameters.length;
  at = writeNumber(out, at, runId);
  out[at++] = 44;
  at = writeNumber(out, at, point);
  out[at++] = 44;
  at = writeNumber(out, at, replicate);
  out[at++] = 44;
  at = writeNumber(out, at, seed);
  for (let j = 0; j < width; j++) {
    out[at++] = 44;
    at = writeExact(out, at, values[point * width + j]); // as points.csv: the value that seeded the run
  }
  for (let k = 0; k < outcomes.length; k++) {
    out[at++] = 44;
    at = writeNumber(out, at, outcomes[k]);
  }
  out[at++] = 10;
  return at;
}

/** A buffer for a batch's rows, grown as needed and reused. */
export class RowsBuffer {
  private bytes = new Uint8Array(0);
  private readonly room: number;
  private readonly meta: ExperimentMeta;
  private at = 0;
  private readonly seeds: RunSeeds;

  constructor(meta: ExperimentMeta) {
    this.meta = meta;
    this.room = runsRowRoom(meta);
    this.seeds = new RunSeeds(meta.seed, meta.points, meta.pairedSeeds);
  }

  /** Starts a batch of `runs` rows. */
  start(runs: number): void {
    if (this.bytes.length < runs * this.room) this.bytes = new Uint8Array(runs * this.room);
    this.at = 0;
  }

  /** Adds run `runId`'s row; `seed`, when the caller has it already (else derived again, a hash of the point's key). */
  add(runId: number, outcomes: Float64Array, seed?: number): void {
    const { replicates } = this.meta;
    this.at = writeRunsRow(this.bytes, this.at, this.meta, runId, outcomes, seed ?? this.seeds.of(Math.floor(runId / replicates), runId % replicates));
  }

  /** The batch's rows so far, a view of this buffer (valid until the next `start`). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.at);
  }
}
