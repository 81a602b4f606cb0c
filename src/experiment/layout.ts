/**
 * What an experiment's runs store, and where: the metadata every shard writes beside its records
 * (`experiment.json`), and the byte layout of one run's record in `runs.bin`:
 * outcomes (Float64) | kept series, step-major (Float32, padded to 8 bytes) | trailer: run id + 1, checksum (Float64).
 */
import type { DesignPoints } from './design.js';

export interface ExperimentMeta {
  format: 'spillover-experiment/1';
  name: string;
  hash: string;
  runs: number;
  replicates: number;
  seed: number;
  /** Every design point on the same seeds (common random numbers; see `RunSeeds`); absent when each point has its own. */
  pairedSeeds?: boolean;
  design: string;
  parameters: string[];
  /** In experiment.json, an array of objects (see meta-file.ts). */
  points: DesignPoints;
  /** Entity and variable of each kept cell, in record order. */
  cells: Array<{ entity: string; variable: string }>;
  times: number[];
  outcomes: string[];
  /**
   * What a run's record depends on besides its design point's values, its replicate and the kept cells: the model
   * version and the resolved scenario (its SHA-256). With `seed`, `cells`, `times` and `outcomes`, they say whether
   * another experiment's records can be reused (`--reuse`, reuse.ts). Absent in folders made before 0.3.8.
   */
  modelVersion?: string;
  scenarioSha256?: string;
}

export interface RecordLayout {
  outcomes: number;
  series: number;
  /** Byte offsets. */
  seriesOffset: number;
  trailerOffset: number;
  bytes: number;
}

export function recordLayout(meta: Pick<ExperimentMeta, 'outcomes' | 'cells' | 'times'>): RecordLayout {
  const outcomes = meta.outcomes.length;
  const series = meta.cells.length * meta.times.length;
  const seriesOffset = outcomes * 8;
  const trailerOffset = seriesOffset + Math.ceil((series * 4) / 8) * 8;
  return { outcomes, series, seriesOffset, trailerOffset, bytes: trailerOffset + 16 };
}

/**
 * The record checksum: FNV-1a (Fowler, Noll & Vo) over 32-bit words instead of bytes, four times fewer steps; a
 * torn write (a 4 KB page of the record missing or stale) changes it. `end` is a multiple of 8, and records
 * start at multiples of 8.
 */
export function checksum(bytes: Uint8Array, end: number): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, end >>> 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    h ^= words[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Seals a record: writes the trailer. */
function seal(record: Uint8Array, layout: RecordLayout, runId: number): void {
  const view = new DataView(record.buffer, record.byteOffset, layout.bytes);
  view.setFloat64(layout.trailerOffset, runId + 1, true);
  view.setFloat64(layout.trailerOffset + 8, checksum(record, layout.trailerOffset), true);
}

/** Whether a record is complete and belongs to `runId` (a torn or empty record is not). */
export function isSealed(record: Uint8Array, layout: RecordLayout, runId: number): boolean {
  const view = new DataView(record.buffer, record.byteOffset, layout.bytes);
  return view.getFloat64(layout.trailerOffset, true) === runId + 1 && view.getFloat64(layout.trailerOffset + 8, true) === checksum(record, layout.trailerOffset);
}

/** Seals consecutive records from run `from` (workers seal their own, so the checksums cost the main thread nothing). */
export function sealRecords(records: Uint8Array, layout: RecordLayout, from: number): void {
  for (let k = 0; k * layout.bytes < records.length; k++) seal(records.subarray(k * layout.bytes, (k + 1) * layout.bytes), layout, from + k);
}
