/**
 * The histograms of one design point's kept series, all in flat typed arrays (see binning.ts for the bins).
 * Sparse: bins come in pages of 64, taken from one pool when first touched. An ensemble's values at one step
 * cluster in a few pages, so the counts in use stay small enough for the caches (dense histograms, 50 MB for the
 * default cells, ran three times slower on cache and TLB misses). Counts do not depend on the order runs are
 * counted in, and histograms of one point add up page by page: workers count their own runs, and the main thread
 * adds their histograms (`takePages`, `merge`).
 */
import { DISCRETE, LINEAR, LOG, placeInBin, type Binning } from './binning.js';

const PAGE_BITS = 6, PAGE = 1 << PAGE_BITS;

/**
 * A histogram set's touched pages, for sending to another thread: the first `used` entries of `slots` are the pages'
 * slots, and `counts` holds the pages in the same order (the arrays may be longer). With `lent`, they are a worker's
 * shared pages (`SharedPages`), to be read and handed back by that number, not kept.
 */
export interface HistogramPages {
  runs: number;
  used: number;
  slots: Int32Array;
  counts: Uint32Array;
  lent?: number;
}

/** A set's pages and their slots, room to grow included. */
interface PageStore {
  slots: Int32Array;
  pages: Uint32Array;
}

const NO_PAGES: PageStore = { slots: new Int32Array(0), pages: new Uint32Array(0) };

/**
 * A worker's page stores, in shared memory, which its histogram sets lend the main thread instead of copying them.
 * A copy cost three times a set's pages on the way (a slice, the message, the main thread's copy), each page faulted in
 * anew (some 12 us a 4 KB page on the development machine): at the end of 1,024 weekly runs to 2100 on two worker
 * threads, whose sets hold some 370 MB each, memory went from 1.2 to 2.9 GB and the copies took some 5 s. A store the
 * main thread has read comes back (`returned`) and serves the next set; none is dropped, since V8 frees a dropped
 * SharedArrayBuffer only when it happens to collect it in every thread that saw it (see `RecordBuffer`), and an
 * idle worker collects nothing.
 */
export class SharedPages {
  private readonly free: PageStore[] = [];
  private readonly lent = new Map<number, PageStore & { used: number }>();
  private lends = 0;

  /** A store with room for `room` pages at least, all zeros. */
  take(room: number): PageStore {
    const k = this.free.findIndex((s) => s.slots.length >= room);
    if (k >= 0) return this.free.splice(k, 1)[0];
    return { slots: new Int32Array(new SharedArrayBuffer(room * 4)), pages: new Uint32Array(new SharedArrayBuffer(room * PAGE * 4)) };
  }

  /** Gives back a store whose first `used` pages were written, zeroing them. */
  give(store: PageStore, used: number): void {
    if (store.slots.length === 0) return;
    store.pages.fill(0, 0, used * PAGE);
    this.free.push(store);
  }

  /** Lends a store whose first `used` pages are counts, under the number returned. */
  lend(store: PageStore, used: number): number {
    this.lent.set(++this.lends, { ...store, used });
    return this.lends;
  }

  /** The main thread is done with these lent stores (see `HistogramPages.lent`). */
  returned(ids: number[]): void {
    for (const id of ids) {
      const store = this.lent.get(id);
      if (!store) continue;
      this.lent.delete(id);
      this.give(store, store.used);
    }
  }
}

/**
 * Adds a page of counts into another. Its own function, not a loop inside `merge`: `merge` runs once per worker and
 * design point, too rarely for the compiler to pick it up before it is done, while a function called once per page
 * is compiled after a few hundred pages (in a microbenchmark of 7,700 pages, 12 ms instead of 20).
 */
function addPage(to: Uint32Array, at: number, from: Uint32Array, start: number): void {
  for (let k = 0; k < PAGE; k++) to[at + k] += from[start + k];
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
  /** Where a worker's sets take their pages from, to lend them (`lend`); plain arrays without. */
  private readonly shared?: SharedPages;
  /** The room a set starts with, in pages. */
  private readonly room: number;

  constructor(binnings: Binning[], shared?: SharedPages) {
    this.series = binnings.length;
    this.binnings = binnings;
    this.offset = new Int32Array(binnings.length);
    let total = 0;
    binnings.forEach((b, v) => {
      this.offset[v] = total;
      total += Math.ceil(b.bins / PAGE);
    });
    this.pageAt = new Int32Array(total).fill(-1);
    // room for 16 pages a series from the start (the baseline's 2,318 series touch 7.2 pages each in 100 runs, 9.5 in
    // 1,000, 11.3 in 20,000): growing from a few pages, by doubling, took 75 ms of a what-if report's 750 (21 copies),
    // and from eight a series, one copy took some 20 ms of a 1,000-run ensemble. Room never touched costs no memory.
    this.room = Math.max(256, 16 * binnings.length);
    this.shared = shared;
    ({ slots: this.slotOf, pages: this.pages } = this.store(this.room));
  }

  /** New page room, all zeros: from the shared stores, or plain. Room never touched costs no memory. */
  private store(room: number): PageStore {
    return this.shared ? this.shared.take(room) : { slots: new Int32Array(room), pages: new Uint32Array(room * PAGE) };
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

  /** Doubles the room for pages (or, after a set lent its pages, takes the room it starts with). */
  private grow(): void {
    const { slots, pages } = this.store(this.used === 0 ? this.room : Math.max(256, 2 * this.used));
    slots.set(this.slotOf.subarray(0, this.used));
    pages.set(this.pages.subarray(0, this.used * PAGE));
    this.shared?.give({ slots: this.slotOf, pages: this.pages }, this.used);
    this.slotOf = slots;
    this.pages = pages;
  }

  private take(slot: number): number {
    if (this.used === this.slotOf.length) this.grow();
    this.pageAt[slot] = this.used;
    this.slotOf[this.used] = slot;
    return this.used++;
  }

  /**
   * Hands over copies of the touched pages (for sending to the main thread, which takes them over as they are: see
   * `merge`) and empties this set, which keeps its arrays for the next point. Copies of the pages in use only: a message
   * copies the whole of an array's memory, room to grow included (transferring it instead would slow the worker's
   * engine, see `RecordBuffer` in batch-computer.ts), and the room is 16 pages a series. With the 148,000 series of a
   * weekly scenario to 2100 that was 607 MB a worker, written twice on the way to the main thread, where a message of
   * the pages in use holds some 10 pages a series: two worker threads' last histograms took an ensemble to a peak of
   * 3.9 GB.
   */
  takePages(): HistogramPages {
    const out = { runs: this.runs, used: this.used, slots: this.slotOf.slice(0, this.used), counts: this.pages.slice(0, this.used * PAGE) };
    this.clear();
    return out;
  }

  /**
   * Lends the touched pages, in shared memory, to the main thread (see `SharedPages`), and empties this set, which
   * takes new room when it next counts. The main thread reads them (`merge`) and hands them back by `lent`.
   */
  lend(): HistogramPages {
    const shared = this.shared!;
    const { used, runs } = this;
    const out = { runs, used, slots: this.slotOf.subarray(0, used), counts: this.pages.subarray(0, used * PAGE), lent: shared.lend({ slots: this.slotOf, pages: this.pages }, used) };
    for (let p = 0; p < used; p++) this.pageAt[this.slotOf[p]] = -1;
    ({ slots: this.slotOf, pages: this.pages } = NO_PAGES);
    this.used = 0;
    this.runs = 0;
    return out;
  }

  /**
   * Adds another histogram set of the same series (from `takePages`, taking over its arrays: `other` is spent; or from
   * `lend`, reading them only).
   */
  merge(other: HistogramPages): void {
    if (this.used === 0 && other.lent === undefined) {
      // nothing here yet (a design point's first worker to report): take its pages as they are, no copy; the other
      // workers' pages mostly fall on the same slots, and the rest make room as counting does (`grow`)
      this.slotOf = other.slots;
      this.pages = other.counts;
      this.used = other.used;
      for (let p = 0; p < this.used; p++) this.pageAt[other.slots[p]] = p;
      this.runs += other.runs;
      return;
    }
    for (let p = 0; p < other.used; p++) {
      const slot = other.slots[p];
      let page = this.pageAt[slot];
      if (page < 0) page = this.take(slot); // a page taken is all zeros
      addPage(this.pages, page * PAGE, other.counts, p * PAGE);
    }
    this.runs += other.runs;
  }

  /**
   * The k-th smallest values (0-based) of series v for each of the first `wanted` k of `ks` (ascending), into `out`,
   * in one walk over its bins (see `placeInBin`). One walk for all of a row's order statistics, not one each from the
   * first bin (ten walks a row, for five quantiles). A sweep's point of 100 runs touches some seven pages a series, and
   * most order statistics fall in a few of them: a page that holds none is passed over on its total, and inside a page
   * the walk has no branch on empty bins (which the processor mispredicted at every touched one) and stops at the
   * page's last order statistic: 1.2 us a series instead of 2.5 (a 100-run point, in cache), the same values.
   */
  orderStatistics(v: number, ks: ArrayLike<number>, wanted: number, min: number, max: number, out: Float64Array): void {
    const b = this.binnings[v];
    const { pages, pageAt } = this;
    const offset = this.offset[v];
    let cumulative = 0, q = 0;
    if (wanted === 0) return;
    let k = ks[0];
    // page by page, skipping the pages never touched (most of a series' range): the bins are the same as bin by bin
    pages: for (let first = 0; first < b.bins; first += PAGE) {
      const page = pageAt[offset + (first >> PAGE_BITS)];
      if (page < 0) continue;
      const at = page * PAGE - first;
      const end = Math.min(b.bins, first + PAGE);
      let total = 0;
      for (let bin = first; bin < end; bin++) total += pages[at + bin];
      const after = cumulative + total;
      if (k >= after) {
        cumulative = after;
        continue;
      }
      for (let bin = first; bin < end; bin++) {
        const c = pages[at + bin];
        const next = cumulative + c;
        // every order statistic below `cumulative` is placed, so an empty bin never enters this loop
        while (k < next) {
          out[q] = placeInBin(b, bin, k, cumulative, c, min, max);
          if (++q === wanted) return;
          k = ks[q];
          if (k >= after) {
            // none left in this page
            cumulative = after;
            continue pages;
          }
        }
        cumulative = next;
      }
    }
    for (; q < wanted; q++) out[q] = max;
  }
}
