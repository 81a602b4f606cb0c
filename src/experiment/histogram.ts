/**
 * Quantiles of a bounded, integer or positive series with a fixed-bin histogram: O(1) per value and independent of the
 * order values arrive in. While a sample has at most `EXACT` values they are kept and quantiles are exact
 * (Hazen's definition, as in the t-digest); beyond that the k-th order statistic is placed within its bin as if
 * the bin's values were spread evenly. Bins are linear on [lo, hi] or, for money, logarithmic; values outside
 * the range fall into the end bins, and the observed minimum and maximum bound every answer.
 */
import { hazenQuantile } from '../collect/hazen.js';

const EXACT = 64;

export class HistogramSketch {
  private readonly lo: number;
  private readonly log: boolean;
  /** Every value sits at its bin's centre (integers with bins of width 1). */
  private readonly discrete: boolean;
  private readonly counts: Uint32Array;
  private readonly exact = new Float64Array(EXACT);
  private n = 0;
  private sum = 0;
  private min = Infinity;
  private max = -Infinity;
  private readonly scale: number;
  private readonly origin: number;

  constructor(lo: number, hi: number, bins: number, kind: 'linear' | 'log' | 'discrete' = 'linear') {
    const log = kind === 'log';
    this.lo = lo;
    this.log = log;
    this.discrete = kind === 'discrete';
    this.counts = new Uint32Array(bins);
    this.origin = log ? Math.log(lo) : lo;
    this.scale = bins / ((log ? Math.log(hi) : hi) - this.origin);
  }

  get count(): number {
    return this.n;
  }

  add(x: number): void {
    if (Number.isNaN(x)) return;
    if (this.n < EXACT) this.exact[this.n] = x;
    this.n++;
    this.sum += x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
    let b = Math.floor(((this.log ? Math.log(x > 0 ? x : this.lo) : x) - this.origin) * this.scale);
    if (b < 0) b = 0;
    else if (b >= this.counts.length) b = this.counts.length - 1;
    this.counts[b]++;
  }

  mean(): number {
    return this.n ? this.sum / this.n : Number.NaN;
  }

  /** The value of the k-th smallest (0-based, fractional k interpolates). */
  private orderStatistic(k: number): number {
    let cumulative = 0;
    for (let b = 0; b < this.counts.length; b++) {
      const c = this.counts[b];
      if (c === 0) continue;
      if (k < cumulative + c) {
        const within = this.discrete ? 0.5 : (k - cumulative + 0.5) / c;
        const a = this.origin + b / this.scale, z = this.origin + (b + 1) / this.scale;
        const v = this.log ? Math.exp(a + (z - a) * within) : a + (z - a) * within;
        return Math.min(this.max, Math.max(this.min, v));
      }
      cumulative += c;
    }
    return this.max;
  }

  quantile(q: number): number {
    const n = this.n;
    if (n === 0) return Number.NaN;
    if (n <= EXACT) return hazenQuantile(this.exact.slice(0, n).sort(), q);
    const position = q * n - 0.5;
    if (position <= 0) return this.min;
    if (position >= n - 1) return this.max;
    const lo = Math.floor(position);
    const a = this.orderStatistic(lo), b = this.orderStatistic(lo + 1);
    return a + (b - a) * (position - lo);
  }
}
