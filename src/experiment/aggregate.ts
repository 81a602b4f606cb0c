/**
 * From records to tidy outputs: `runs.csv` (one row per run, by run id), `points.csv` (the design points) and
 * `quantiles.csv` (mean and quantiles per step, entity, variable and design point). Records are fed in run-id
 * order, so memory is bounded by the few design points open at a time and the output is the same however the runs
 * were computed: by one worker or many, in one go or resumed, in one job or in shards.
 * Quantiles are exact (Hazen) up to 64 runs a point; beyond, they come from histograms (0-1 series resolved to
 * 1/4096, money to 0.4%, the stage exactly, other series to 1.6%; see binning.ts). Histograms do not depend on
 * the order runs are counted in, so with several workers each counts its own runs and sends its histograms when it
 * leaves a design point (`addHistograms`); the main thread keeps only what depends on order, the sums for the
 * means, and counts the runs it reads back from a store (and, with one worker, every run) itself. A point whose runs
 * one worker computed all of comes summarised instead (point-summary.ts): its rows of quantiles.csv are written as
 * they come.
 */
import { join } from 'node:path';
import { csvField, formatExact } from '../collect/format.js';
import { seriesBinnings, type Binning } from './binning.js';
import { Histograms, type HistogramPages } from './histograms.js';
import { recordLayout, type ExperimentMeta, type RecordLayout } from './layout.js';
import type { PointSummary } from './point-summary.js';
import { QuantileRows, quantilesHeader } from './quantile-rows.js';
import { RowsBuffer, runsHeader } from './runs-csv.js';
import { needsHistograms, SeriesStats, type RunBlock } from './series-stats.js';
import { Stager } from './stager.js';
import type { RunStore } from './store.js';
import { TextWriter } from './text-writer.js';

/** The first design point and the number of runs of each point-aligned segment of runs [from, from + count). */
function pointSegments(replicates: number, from: number, count: number): Array<{ point: number; first: number; runs: number }> {
  const out: Array<{ point: number; first: number; runs: number }> = [];
  for (let id = from; id < from + count; ) {
    const point = Math.floor(id / replicates);
    const runs = Math.min(from + count, (point + 1) * replicates) - id;
    out.push({ point, first: id, runs });
    id += runs;
  }
  return out;
}

/** What came with a batch of records besides the records (see `Aggregator.feed`). */
export interface FeedOptions {
  rows?: Uint8Array;
  counted?: boolean;
  summaries?: PointSummary[];
  blocks?: RunBlock[];
}

export class Aggregator {
  private readonly meta: ExperimentMeta;
  private readonly layout: RecordLayout;
  private readonly runsCsv: TextWriter;
  private readonly quantiles: TextWriter;
  private readonly rows: QuantileRows;
  private readonly binnings: Binning[];
  private readonly binned: boolean;
  /** Statistics of points fed, until they are written. */
  private readonly stats = new Map<number, SeriesStats>();
  private readonly histograms = new Map<number, Histograms>();
  /** Rows of points summarised by the worker that ran them (point-summary.ts), until they are written. */
  private readonly summarised = new Map<number, Uint8Array>();
  /** Emptied objects kept for the next points (each is megabytes). */
  private readonly spareStats: SeriesStats[] = [];
  private readonly spareHistograms: Histograms[] = [];
  /** The next point to write. */
  private written = 0;
  private next = 0;
  /** Runs on their way into histograms, when this thread counts them (see stager.ts). */
  private readonly stager: Stager;
  /** runs.csv rows of records fed without theirs. */
  private readonly rowsBuffer: RowsBuffer;

  constructor(meta: ExperimentMeta, folder: string) {
    this.meta = meta;
    this.layout = recordLayout(meta);
    this.runsCsv = new TextWriter(join(folder, 'runs.csv'));
    this.runsCsv.line(runsHeader(meta));
    this.quantiles = new TextWriter(join(folder, 'quantiles.csv'));
    this.quantiles.line(quantilesHeader(meta));
    if (meta.parameters.length > 0) {
      const points = new TextWriter(join(folder, 'points.csv'));
      points.line(['point', ...meta.parameters].map(csvField).join(','));
      const { values } = meta.points, width = meta.parameters.length;
      for (let k = 0; k < meta.points.count; k++) points.line([k, ...meta.parameters.map((_, j) => formatExact(values[k * width + j]))].join(','));
      points.close();
    }
    this.rows = new QuantileRows(meta);
    this.binnings = seriesBinnings(meta);
    this.binned = needsHistograms(meta);
    this.stager = new Stager(this.binned ? this.layout.series : 0, undefined, meta.replicates);
    this.rowsBuffer = new RowsBuffer(meta);
  }

  /** The run id the aggregator expects next. */
  get expected(): number {
    return this.next;
  }

  private statsOf(point: number): SeriesStats {
    let s = this.stats.get(point);
    if (!s) this.stats.set(point, (s = this.spareStats.pop() ?? new SeriesStats(this.layout.series)));
    return s;
  }

  private histogramsOf(point: number): Histograms {
    let h = this.histograms.get(point);
    if (!h) this.histograms.set(point, (h = this.spareHistograms.pop() ?? new Histograms(this.binnings)));
    return h;
  }

  /**
   * Adds `count` consecutive records from run `from` (which must be the expected run), the first at `offset` in
   * `bytes`. `rows` are their runs.csv rows when a worker formatted them; `counted` says a worker has counted them
   * into histograms it will send, otherwise they are counted here; `summaries` are the quantiles.csv rows of points
   * whose runs are all among these and were summarised by the worker that ran them; `blocks`, the sums of whole
   * blocks of these runs, taken instead of the runs' values where the series statistics can (`takesBlock`).
   */
  feed(from: number, bytes: Uint8Array, offset: number, count: number, { rows, counted = false, summaries = [], blocks = [] }: FeedOptions = {}): void {
    if (from !== this.next) throw new Error(`aggregate: run ${from} fed, ${this.next} expected`);
    const { meta, layout } = this;
    if ((bytes.byteOffset + offset) % 8 !== 0) throw new Error('aggregate: records must start at a multiple of 8 bytes');
    const values = new Float32Array(bytes.buffer, bytes.byteOffset + offset, (count * layout.bytes) / 4);
    if (rows && rows.length > 0) this.runsCsv.bytes(rows);
    else {
      this.rowsBuffer.start(count);
      for (let r = 0; r < count; r++) this.rowsBuffer.add(from + r, new Float64Array(bytes.buffer, bytes.byteOffset + offset + r * layout.bytes, layout.outcomes));
      this.runsCsv.bytes(this.rowsBuffer.view());
    }
    for (const s of summaries) this.summarised.set(s.point, s.rows);
    for (const seg of pointSegments(meta.replicates, from, count)) {
      const summarised = this.summarised.has(seg.point);
      if (summarised && seg.runs !== meta.replicates) throw new Error(`aggregate: point ${seg.point} summarised from ${seg.runs} of its runs`);
      const stats = summarised ? undefined : this.statsOf(seg.point);
      let summed = 0; // runs up to here are in a block added whole
      for (let r = seg.first - from; r < seg.first - from + seg.runs; r++) {
        const base = r * layout.bytes;
        if (stats && from + r >= summed) {
          const block = blocks.find((b) => b.first === from + r);
          if (block && stats.takesBlock()) {
            stats.addBlock(block);
            summed = from + r + block.runs;
          } else stats.add(values.subarray((base + layout.seriesOffset) / 4, (base + layout.seriesOffset) / 4 + layout.series));
        }
      }
      if (!stats || !this.binned) continue;
      if (!counted) {
        const histograms = this.histogramsOf(seg.point);
        for (let r = seg.first - from; r < seg.first - from + seg.runs; r++) {
          const at = (r * layout.bytes + layout.seriesOffset) / 4;
          this.stager.add(histograms, values.subarray(at, at + layout.series));
        }
      }
      // once a point's runs are all fed, count what waits of them, whoever counts the rest: after a resume, runs read
      // back from the store are counted here and the new ones by the workers
      if (stats.runs === meta.replicates) this.stager.flush();
    }
    this.next += count;
    this.write();
  }

  /** Adds a worker's histograms of a point's runs. */
  addHistograms(point: number, pages: HistogramPages): void {
    this.histogramsOf(point).merge(pages);
    this.write();
  }

  /** Writes the points whose runs are all fed and counted, in order. */
  private write(): void {
    const { replicates } = this.meta;
    while (this.written < this.meta.points.count) {
      const point = this.written;
      const summarised = this.summarised.get(point);
      if (summarised !== undefined) {
        this.quantiles.bytes(summarised);
        this.summarised.delete(point);
        this.written++;
        continue;
      }
      const stats = this.stats.get(point);
      if (!stats || stats.runs < replicates) return;
      const histograms = this.histograms.get(point);
      if (this.binned && (!histograms || histograms.runs < replicates)) return;
      this.quantiles.bytes(this.rows.of(point, stats, histograms));
      stats.clear();
      this.spareStats.push(stats);
      this.stats.delete(point);
      if (histograms) {
        histograms.clear();
        this.spareHistograms.push(histograms);
        this.histograms.delete(point);
      }
      this.written++;
    }
  }

  /** Closes the files; every run must have been fed and counted. */
  finish(): void {
    if (this.next !== this.meta.runs) throw new Error(`aggregate: ${this.next} of ${this.meta.runs} runs fed`);
    this.stager.flush();
    this.write();
    if (this.written !== this.meta.points.count) throw new Error(`aggregate: point ${this.written} lacks histograms of some runs`);
    this.runsCsv.close();
    this.quantiles.close();
  }
}

/** Feeds `count` records from `store`, starting at run `from`, reading in blocks of about 4 MB. */
export function feedFromStore(agg: Aggregator, store: RunStore, from: number, count: number, onFed?: (runs: number) => void): void {
  const size = store.layout.bytes;
  const block = Math.max(1, Math.floor((4 << 20) / size));
  const buffer = new Uint8Array(Math.min(block, count) * size);
  for (let k = 0; k < count; k += block) {
    const n = Math.min(block, count - k);
    store.read(from + k, n, buffer);
    agg.feed(from + k, buffer, 0, n);
    onFed?.(n);
  }
}

/**
 * Aggregates whole stores (in run-id order) into `folder`. `onRuns`, if given, is told how many runs are aggregated
 * after each block of them (some 4 MB of records): a merge of a million runs takes a minute.
 */
export function aggregate(meta: ExperimentMeta, stores: RunStore[], folder: string, onRuns?: (done: number) => void): void {
  const agg = new Aggregator(meta, folder);
  let done = 0;
  const fed = onRuns && ((n: number) => onRuns((done += n)));
  for (const store of [...stores].sort((a, b) => a.header.first - b.header.first)) {
    feedFromStore(agg, store, store.header.first, store.header.end - store.header.first, fed);
    store.release();
  }
  agg.finish();
}
