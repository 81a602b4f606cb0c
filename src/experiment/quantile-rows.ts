/**
 * A design point's rows of quantiles.csv, from its series statistics and histograms: one place that formats them,
 * whether the main thread aggregates the point or a worker that ran all of its runs does (see point-summary.ts).
 */
import { csvField, formatTime, writeFloat32, writeNumber } from '../collect/format.js';
import type { Histograms } from './histograms.js';
import type { ExperimentMeta } from './layout.js';
import type { SeriesStats } from './series-stats.js';

export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** The header of quantiles.csv (with a point column when the experiment has design parameters). */
export function quantilesHeader(meta: Pick<ExperimentMeta, 'parameters'>): string {
  return `step,time,entity,variable,${meta.parameters.length > 0 ? 'point,' : ''}mean,q05,q25,q50,q75,q95`;
}

/** How many rows quantiles.csv holds: one a kept cell, step and design point. */
export function quantileRowCount(meta: Pick<ExperimentMeta, 'points' | 'cells' | 'times'>): number {
  return meta.points.count * meta.cells.length * meta.times.length;
}

/** Room a number and its comma can take (a number is at most 32 characters: see `writeFloat32`, `writeNumber`). */
const NUMBER_ROOM = 33;

export class QuantileRows {
  /**
   * Each series' row up to the point column (step, time, entity, variable), in UTF-8: views of one buffer, where they
   * lie one after another, made once (a view made per row was most of the time copying a key took).
   */
  private readonly keys: Uint8Array[];
  /** The keys' bytes, all together. */
  private readonly keyBytes: number;
  private readonly swept: boolean;
  private readonly q = new Float64Array(QUANTILES.length);
  private out = new Uint8Array(0);

  constructor(meta: ExperimentMeta) {
    this.swept = meta.parameters.length > 0;
    const encoder = new TextEncoder();
    const cells = meta.cells.map((c) => `${csvField(c.entity)},${csvField(c.variable)},`);
    const encoded = meta.times.flatMap((time, k) => cells.map((cell) => encoder.encode(`${k},${formatTime(time)},${cell}`)));
    this.keyBytes = encoded.reduce((sum, key) => sum + key.length, 0);
    const all = new Uint8Array(this.keyBytes);
    let at = 0;
    this.keys = encoded.map((key) => {
      all.set(key, at);
      at += key.length;
      return all.subarray(at - key.length, at);
    });
  }

  /**
   * The point's rows, step by step and cell by cell, each ending in a newline, as the bytes of quantiles.csv (a view
   * of a buffer this object reuses: valid until its next call).
   */
  of(point: number, stats: SeriesStats, histograms: Histograms | undefined): Uint8Array {
    const { keys, q } = this;
    const series = keys.length;
    // per row: the point and six numbers, each with a comma before or after, and the newline
    const room = this.keyBytes + series * ((this.swept ? 7 : 6) * NUMBER_ROOM + 1);
    if (this.out.length < room) this.out = new Uint8Array(room);
    const out = this.out;
    let at = 0;
    for (let v = 0; v < series; v++) {
      stats.quantiles(v, QUANTILES, histograms, q);
      out.set(keys[v], at);
      at += keys[v].length;
      if (this.swept) {
        at = writeNumber(out, at, point);
        out[at++] = 44;
      }
      // neighbours are often equal (a series at a bound, or a point of one run, where all six are): formatted once
      let last = stats.mean(v);
      let start = at;
      at = writeFloat32(out, at, last);
      let end = at;
      for (let j = 0; j < q.length; j++) {
        out[at++] = 44;
        if (q[j] !== last) {
          start = at;
          at = writeFloat32(out, at, (last = q[j]));
          end = at;
        } else {
          const length = end - start;
          for (let i = 0; i < length; i++) out[at + i] = out[start + i];
          start = at;
          at += length;
          end = at;
        }
      }
      out[at++] = 10;
    }
    return out.subarray(0, at);
  }
}
