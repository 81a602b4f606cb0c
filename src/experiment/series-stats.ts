/**
 * Count, sum, minimum, maximum and the first 64 values of each kept series of one design point, updated run by
 * run in run-id order (the sum is the one order-dependent figure, so the main thread keeps it). Quantiles are exact
 * (Hazen) while a series has at most 64 values, and come from its histogram (histograms.ts) beyond.
 */
import { hazenQuantile } from '../collect/hazen.js';
import type { Histograms } from './histograms.js';

/** Values per series kept for exact quantiles. */
export const EXACT = 64;

export class SeriesStats {
  readonly series: number;
  /** Runs whose value of the series was NaN (skipped): a series' count is `runs - missing[v]`. */
  private readonly missing: Uint32Array;
  private readonly sum: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly exact: Float64Array;
  /** Runs added. */
  runs = 0;
  /** Whether any value added was NaN. */
  private anyMissing = false;

  constructor(series: number) {
    this.series = series;
    this.missing = new Uint32Array(series);
    this.sum = new Float64Array(series);
    this.min = new Float64Array(series);
    this.max = new Float64Array(series);
    this.exact = new Float64Array(series * EXACT);
    this.clear();
  }

  clear(): void {
    this.missing.fill(0);
    this.anyMissing = false;
    this.sum.fill(0);
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.runs = 0;
  }

  /**
   * Adds one run's series (NaN skipped): one sequential pass over arrays small enough for the first-level cache. A
   * series keeps its first EXACT values for exact quantiles; after EXACT runs only a series with NaN can still be
   * short of them, so the check is made only once a NaN has been seen.
   */
  add(values: Float32Array): void {
    const { missing, sum, min, max, exact } = this;
    const runs = this.runs;
    const keeping = runs < EXACT || this.anyMissing;
    for (let v = 0; v < this.series; v++) {
      const x = values[v];
      if (x !== x) {
        missing[v]++;
        this.anyMissing = true;
        continue;
      }
      if (keeping && runs - missing[v] < EXACT) exact[v * EXACT + runs - missing[v]] = x;
      sum[v] += x;
      if (x < min[v]) min[v] = x;
      if (x > max[v]) max[v] = x;
    }
    this.runs++;
  }

  /** How many values series v has (runs whose value was not NaN). */
  private count(v: number): number {
    return this.runs - this.missing[v];
  }

  mean(v: number): number {
    const n = this.count(v);
    return n ? this.sum[v] / n : Number.NaN;
  }

  /** The q-quantile of series v (Hazen's definition); `histograms` must hold the same values when n > EXACT. */
  quantile(v: number, q: number, histograms: Histograms | undefined): number {
    const n = this.count(v);
    if (n === 0) return Number.NaN;
    if (n <= EXACT) return hazenQuantile(this.exact.slice(v * EXACT, v * EXACT + n).sort(), q);
    if (!histograms) throw new Error(`quantile: series ${v} has ${n} values and no histogram`);
    const position = q * n - 0.5;
    if (position <= 0) return this.min[v];
    if (position >= n - 1) return this.max[v];
    const lo = Math.floor(position);
    const a = histograms.orderStatistic(v, lo, this.min[v], this.max[v]), z = histograms.orderStatistic(v, lo + 1, this.min[v], this.max[v]);
    return a + (z - a) * (position - lo);
  }
}
