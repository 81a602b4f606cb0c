/**
 * A design point summarised by the worker that ran all of its runs. Writing a point's rows of quantiles.csv costs
 * the same whether the point has ten runs or ten thousand (some 20 ms for the default 2,318 series: a walk over each
 * series' histogram, and formatting); in a sweep of small points, left to the main thread, that alone kept two
 * workers slower than one. So when the pool hands a worker whole points, the worker adds their runs up, in replicate
 * order as the main thread would (the means come out the same to the last bit), counts their histograms, formats
 * the rows and sends them with the records.
 */
import { seriesBinnings } from './binning.js';
import { Histograms } from './histograms.js';
import type { ExperimentMeta } from './layout.js';
import { QuantileRows } from './quantile-rows.js';
import { needsHistograms, SeriesStats } from './series-stats.js';
import { Stager } from './stager.js';

/** A point's rows of quantiles.csv, formatted where its runs were computed (bytes of the file, newlines included). */
export interface PointSummary {
  point: number;
  rows: Uint8Array;
}

export class PointSummariser {
  private readonly replicates: number;
  private readonly stats: SeriesStats;
  private readonly histograms?: Histograms;
  private readonly stager?: Stager;
  private readonly rows: QuantileRows;

  constructor(meta: ExperimentMeta, series: number) {
    this.replicates = meta.replicates;
    this.stats = new SeriesStats(series);
    if (needsHistograms(meta)) {
      this.histograms = new Histograms(seriesBinnings(meta));
      this.stager = new Stager(series);
    }
    this.rows = new QuantileRows(meta);
  }

  /** Adds the next run of `point` (its replicate `replicate`); returns the point's summary after its last run. */
  add(point: number, replicate: number, series: Float32Array): PointSummary | undefined {
    if (replicate !== this.stats.runs) throw new Error(`point summary: replicate ${replicate} of point ${point} came, ${this.stats.runs} expected`);
    this.stats.add(series);
    if (this.histograms) this.stager!.add(this.histograms, series);
    if (this.stats.runs < this.replicates) return undefined;
    this.stager?.flush();
    // a copy: the rows' buffer is reused for the next point, and the summary waits to be sent
    const summary = { point, rows: this.rows.of(point, this.stats, this.histograms).slice() };
    this.stats.clear();
    this.histograms?.clear();
    return summary;
  }
}
