/**
 * Count, sum, minimum, maximum and the first 64 values of each kept series of one design point, updated run by
 * run in run-id order. Quantiles are exact (Hazen) while a series has at most 64 values, and come from its histogram
 * (histograms.ts) beyond.
 * The sum is the one figure that depends on the order of additions. It is taken in blocks of BLOCK runs (by
 * replicate: 0-63, 64-127, ...), each summed from zero in replicate order, and the blocks' sums added in block order:
 * so a block can be summed by whoever ran it (a worker: `blockStats`, `addBlock`) and the total is the same bits
 * whoever summed what, in one job or in shards, resumed or not.
 */
import { hazenQuantile } from '../collect/hazen.js';
import type { Histograms } from './histograms.js';

/** Values per series kept for exact quantiles. */
export const EXACT = 64;

/** Runs a block of the sums holds. */
export const BLOCK = 64;

/** Whether an experiment's points need histograms: only when a point has more runs than are kept exactly. */
export function needsHistograms(meta: { replicates: number }): boolean {
  return meta.replicates > EXACT;
}

/** The statistics of one block of a point's runs (see `SeriesStats`), from the worker that ran them. */
export interface BlockStats {
  runs: number;
  sum: Float64Array;
  min: Float64Array;
  max: Float64Array;
  missing: Uint32Array;
}

/** A block's statistics and the run id it starts at. */
export interface RunBlock extends BlockStats {
  first: number;
}

export class SeriesStats {
  readonly series: number;
  /** Runs whose value of the series was NaN (skipped): a series' count is `runs - missing[v]`. */
  private readonly missing: Uint32Array;
  /** The sums of the blocks closed so far, added in block order; `block` is the sum of the block being filled. */
  private readonly sum: Float64Array;
  private readonly block: Float64Array;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  /**
   * The first EXACT values of each series, by position: the j-th value of series v at `exact[j * series + v]`. A
   * run's values go to one row (to several only after a NaN), so they are copied in at once (see `add`): a point's
   * first 64 runs took 18 us each to add when they were stored series by series, 7 this way (2,318 series).
   */
  private readonly exact: Float64Array;
  /** Runs added. */
  runs = 0;
  /** Whether any value added was NaN. */
  private anyMissing = false;
  /** Scratch of `quantiles`: a series' exact values, sorted. */
  private readonly sorted = new Float64Array(EXACT);
  /** Scratch of `quantiles`: order statistics wanted and found. */
  private ks = new Float64Array(0);
  private order = new Float64Array(0);
  /** Where each quantile's lower order statistic sits in `ks`. */
  private at = new Int32Array(0);

  constructor(series: number) {
    this.series = series;
    this.missing = new Uint32Array(series);
    this.sum = new Float64Array(series);
    this.block = new Float64Array(series);
    this.min = new Float64Array(series);
    this.max = new Float64Array(series);
    this.exact = new Float64Array(series * EXACT);
    this.clear();
  }

  clear(): void {
    this.missing.fill(0);
    this.anyMissing = false;
    this.sum.fill(0);
    this.block.fill(0);
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.runs = 0;
  }

  /**
   * Adds one run's series (NaN skipped): one sequential pass over arrays small enough for the first-level cache. A
   * series keeps its first EXACT values for exact quantiles. Until a NaN has been seen every series has as many values
   * as there are runs, so a run's values are copied into their row of `exact` at once; after a NaN, each series' own
   * count says where its value goes (and after EXACT runs, whether it still needs one).
   */
  add(values: Float32Array): void {
    if (!this.anyMissing) {
      // a NaN in this run leaves its slot to the series' next value: its count stays one short of the runs
      if (this.runs < EXACT) this.exact.set(values, this.runs * this.series);
      return this.addPresent(values);
    }
    const { missing, block, min, max, exact } = this;
    const runs = this.runs, series = this.series;
    for (let v = 0; v < series; v++) {
      const x = values[v];
      if (x !== x) {
        missing[v]++;
        continue;
      }
      if (runs - missing[v] < EXACT) exact[(runs - missing[v]) * series + v] = x;
      block[v] += x;
      if (x < min[v]) min[v] = x;
      if (x > max[v]) max[v] = x;
    }
    if (++this.runs % BLOCK === 0) this.closeBlock();
  }

  /**
   * `add` while no NaN has been seen (most runs), its exact values, if any are still wanted, already copied: twice as
   * fast without the checks per value (7 ns a value with them, 3 without).
   */
  private addPresent(values: Float32Array): void {
    const { missing, block, min, max } = this;
    const series = this.series;
    let nan = false;
    for (let v = 0; v < series; v++) {
      const x = values[v];
      if (x !== x) {
        missing[v]++;
        nan = true;
        continue;
      }
      block[v] += x;
      if (x < min[v]) min[v] = x;
      if (x > max[v]) max[v] = x;
    }
    if (nan) this.anyMissing = true;
    if (++this.runs % BLOCK === 0) this.closeBlock();
  }

  private closeBlock(): void {
    const { sum, block } = this;
    for (let v = 0; v < this.series; v++) {
      sum[v] += block[v];
      block[v] = 0;
    }
  }

  /**
   * Whether a whole block summed elsewhere can be added now (`addBlock`): at a block's start, and once no series
   * needs more values for its exact quantiles (a block comes without its values).
   */
  takesBlock(): boolean {
    return this.runs % BLOCK === 0 && this.runs >= EXACT && !this.anyMissing;
  }

  /** Adds a block of runs summed elsewhere (`blockStats` of a SeriesStats that added just them), when `takesBlock`. */
  addBlock(b: BlockStats): void {
    if (!this.takesBlock()) throw new Error(`series statistics: a block cannot be added after ${this.runs} runs`);
    const { sum, min, max, missing } = this;
    for (let v = 0; v < this.series; v++) {
      sum[v] += b.sum[v];
      if (b.min[v] < min[v]) min[v] = b.min[v];
      if (b.max[v] > max[v]) max[v] = b.max[v];
      if (b.missing[v] > 0) {
        missing[v] += b.missing[v];
        this.anyMissing = true;
      }
    }
    this.runs += b.runs;
  }

  /** This set's runs as one block for another set's `addBlock` (it must hold one block's runs, added from a clear). */
  blockStats(): BlockStats {
    if (this.runs > BLOCK) throw new Error(`series statistics: ${this.runs} runs are not one block`);
    // a whole block has been closed into `sum` (0 + its sum, the same bits); a short last block is still in `block`
    const sum = this.runs === BLOCK ? this.sum.slice() : this.block.slice();
    return { runs: this.runs, sum, min: this.min.slice(), max: this.max.slice(), missing: this.missing.slice() };
  }

  /** How many values series v has (runs whose value was not NaN). */
  private count(v: number): number {
    return this.runs - this.missing[v];
  }

  mean(v: number): number {
    const n = this.count(v);
    // the last block, if short, is added last, as if it had been closed
    return n ? (this.sum[v] + this.block[v]) / n : Number.NaN;
  }

  /**
   * The quantiles `qs` (ascending) of series v by Hazen's definition, into `out`; `histograms` must hold the same
   * values when n > EXACT. All at once: they share one sort, or one walk over the histogram.
   */
  quantiles(v: number, qs: readonly number[], histograms: Histograms | undefined, out: Float64Array): void {
    const n = this.count(v);
    if (n === 0) return void out.fill(Number.NaN, 0, qs.length);
    if (n <= EXACT) {
      // sorted by insertion into a scratch array: at most 64 values, and nothing allocated (a sweep of small points
      // sorts 2,318 series a point). A -0 and a 0 may come either way round (the typed array's sort puts -0 first):
      // a quantile between them is a zero either way, printed 0.
      const { exact, series, sorted } = this;
      for (let j = 0; j < n; j++) {
        const x = exact[j * series + v];
        let i = j;
        for (; i > 0 && sorted[i - 1] > x; i--) sorted[i] = sorted[i - 1];
        sorted[i] = x;
      }
      for (let j = 0; j < qs.length; j++) out[j] = hazenQuantile(sorted, qs[j], n);
      return;
    }
    if (!histograms) throw new Error(`quantile: series ${v} has ${n} values and no histogram`);
    // the order statistics each quantile interpolates between, lo and lo + 1 around its position q * n - 0.5, each
    // wanted once and in ascending order (neighbouring quantiles can share them)
    if (this.at.length < qs.length) {
      this.ks = new Float64Array(2 * qs.length);
      this.order = new Float64Array(2 * qs.length);
      this.at = new Int32Array(qs.length);
    }
    const ks = this.ks, order = this.order, at = this.at;
    let wanted = 0;
    for (let j = 0; j < qs.length; j++) {
      const lo = Math.min(n - 2, Math.max(0, Math.floor(qs[j] * n - 0.5)));
      if (wanted >= 2 && ks[wanted - 2] === lo && ks[wanted - 1] === lo + 1) at[j] = wanted - 2;
      else if (wanted >= 1 && ks[wanted - 1] === lo) {
        at[j] = wanted - 1;
        ks[wanted++] = lo + 1;
      } else if (wanted === 0 || lo > ks[wanted - 1]) {
        at[j] = wanted;
        ks[wanted++] = lo;
        ks[wanted++] = lo + 1;
      } else throw new Error('quantiles: expected ascending quantiles');
    }
    histograms.orderStatistics(v, ks, wanted, this.min[v], this.max[v], order);
    for (let j = 0; j < qs.length; j++) {
      const position = qs[j] * n - 0.5;
      if (position <= 0) out[j] = this.min[v];
      else if (position >= n - 1) out[j] = this.max[v];
      else out[j] = order[at[j]] + (order[at[j] + 1] - order[at[j]]) * (position - Math.floor(position));
    }
  }

  /** The q-quantile of series v (see `quantiles`). */
  quantile(v: number, q: number, histograms: Histograms | undefined): number {
    const out = new Float64Array(1);
    this.quantiles(v, [q], histograms, out);
    return out[0];
  }
}
