/**
 * The histograms of one design point's kept series, all in flat typed arrays (see binning.ts for the bins).
 * Sparse: bins come in pages of 64, taken from one pool when first touched. An ensemble's values at one step
 * cluster in a few pages, so the counts in use stay small enough for the caches (dense histograms, 50 MB for the
 * default cells, ran three times slower on cache and TLB misses). Counts do not depend on the order runs are
 * counted in, and histograms of one point add up page by page: workers count their own runs, and the main thread
 * adds their histograms (`pagesOf`, `merge`).
 */
import { binEdges, DISCRETE, LINEAR, LOG, type Binning } from './binning.js';

const PAGE_BITS = 6, PAGE = 1 << PAGE_BITS;

/** A histogram set's touched pages, for sending to another thread: page slot and the page's counts. */
export interface HistogramPages {
  runs: number;
  slots: Int32Array;
  counts: Uint32Array;
}

export class Histograms {
  readonly series: number;
  private readonly binnings: Binning[];
  /** First page slot of each series. */
  private readonly offset: Int32Array;
  /** Page of each slot (`pageAt[offset[v] + (bin >> PAGE_BITS)]`), -1 while untouched. */
  private readonly pageAt: Int32Array;
  /** Slot of each page, in the order pages were taken. */
  private slotOf: Int32Array;
  private pages: Uint32Array;
  private used = 0;
  /** Runs counted (or merged) so far. */
  runs = 0;

  constructor(binnings: Binning[]) {
    this.series = binnings.length;
    this.binnings = binnings;
    this.offset = new Int32Array(binnings.length);
    let total = 0;
    binnings.forEach((b, v) => {
      this.offset[v] = total;
      total += Math.ceil(b.bins / PAGE);
    });
    this.pageAt = new Int32Array(total).fill(-1);
    this.slotOf = new Int32Array(256);
    this.pages = new Uint32Array(256 * PAGE);
  }

  /** Empties every histogram. */
  clear(): void {
    for (let p = 0; p < this.used; p++) this.pageAt[this.slotOf[p]] = -1;
    this.pages.fill(0, 0, this.used * PAGE);
    this.used = 0;
    this.runs = 0;
  }

  /**
   * Counts `runs` runs whose series v sits at `values[first + v * seriesStride + r * runStride]` (`bits` views the
   * same memory as Uint32). Series by series, so each histogram's pages stay in cache while its runs are counted:
   * the more runs at once, the fewer cache misses per run (values of one step cluster, but over hundreds of bins).
   * NaN is skipped. The arithmetic is binning.ts's `binOf`, inlined per kind: calling `binOf` per value measured
   * 20 us a run instead of 14 (2,318 values, in cache).
   */
  count(values: Float32Array, bits: Uint32Array, first: number, seriesStride: number, runStride: number, runs: number): void {
    for (let v = 0; v < this.series; v++) {
      const b = this.binnings[v];
      const off = this.offset[v];
      const last = b.bins - 1;
      if (b.kind === LINEAR || b.kind === DISCRETE) {
        const origin = b.origin, scale = b.scale;
        for (let r = 0, at = first + v * seriesStride; r < runs; r++, at += runStride) {
          const x = values[at];
          if (x !== x) continue;
          let bin = Math.floor((x - origin) * scale);
          if (bin < 0) bin = 0;
          else if (bin > last) bin = last;
          this.increment(off, bin);
        }
      } else if (b.kind === LOG) {
        const shift = b.shift, lowest = b.first;
        for (let r = 0, at = first + v * seriesStride; r < runs; r++, at += runStride) {
          const x = values[at];
          if (x !== x) continue;
          let bin = x > 0 ? (bits[at] >>> shift) - lowest : 0;
          if (bin < 0) bin = 0;
          else if (bin > last) bin = last;
          this.increment(off, bin);
        }
      } else {
        const shift = b.shift, lowest = b.first, zero = b.zero;
        for (let r = 0, at = first + v * seriesStride; r < runs; r++, at += runStride) {
          if (values[at] !== values[at]) continue;
          const u = bits[at];
          const j = ((u & 0x7fffffff) >>> shift) - lowest;
          const k = j < zero - 1 ? j : zero - 1;
          this.increment(off, j < 0 ? zero : u >>> 31 ? zero - 1 - k : zero + 1 + k);
        }
      }
    }
    this.runs += runs;
  }

  private increment(off: number, bin: number): void {
    const slot = off + (bin >> PAGE_BITS);
    let page = this.pageAt[slot];
    if (page < 0) page = this.take(slot);
    this.pages[page * PAGE + (bin & (PAGE - 1))]++;
  }

  private take(slot: number): number {
    if (this.used === this.slotOf.length) {
      const slots = new Int32Array(this.used * 2);
      slots.set(this.slotOf);
      this.slotOf = slots;
      const pages = new Uint32Array(this.used * 2 * PAGE);
      pages.set(this.pages);
      this.pages = pages;
    }
    this.pageAt[slot] = this.used;
    this.slotOf[this.used] = slot;
    return this.used++;
  }

  /** The touched pages, copied (for sending to the main thread). */
  pagesOf(): HistogramPages {
    return { runs: this.runs, slots: this.slotOf.slice(0, this.used), counts: this.pages.slice(0, this.used * PAGE) };
  }

  /** Adds another histogram set of the same series (from `pagesOf`). */
  merge(other: HistogramPages): void {
    for (let p = 0; p < other.slots.length; p++) {
      const slot = other.slots[p];
      let page = this.pageAt[slot];
      if (page < 0) page = this.take(slot);
      for (let k = 0; k < PAGE; k++) this.pages[page * PAGE + k] += other.counts[p * PAGE + k];
    }
    this.runs += other.runs;
  }

  /**
   * The value of the k-th smallest (0-based) of series v, placed within its bin as if the bin's values were spread
   * evenly (a discrete bin's values sit at its centre), and bounded by the observed minimum and maximum.
   */
  orderStatistic(v: number, k: number, min: number, max: number): number {
    const b = this.binnings[v];
    let cumulative = 0;
    // page by page, skipping the pages never touched (most of a series' range): the bins are the same as bin by bin
    for (let first = 0; first < b.bins; first += PAGE) {
      const page = this.pageAt[this.offset[v] + (first >> PAGE_BITS)];
      if (page < 0) continue;
      const end = Math.min(b.bins, first + PAGE);
      for (let bin = first; bin < end; bin++) {
        const c = this.pages[page * PAGE + (bin - first)];
        if (c === 0) continue;
        if (k < cumulative + c) {
          const within = b.kind === DISCRETE ? 0.5 : (k - cumulative + 0.5) / c;
          const [a, z] = binEdges(b, bin);
          return Math.min(max, Math.max(min, a + (z - a) * within));
        }
        cumulative += c;
      }
    }
    return max;
  }
}
