/**
 * A design point's rows of quantiles.csv, from its series statistics and histograms: one place that formats them,
 * whether the main thread aggregates the point or a worker that ran all of its runs does (see point-summary.ts).
 */
import { csvField, formatFloat32, formatTime } from '../collect/format.js';
import type { Histograms } from './histograms.js';
import type { ExperimentMeta } from './layout.js';
import type { SeriesStats } from './series-stats.js';

export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** The header of quantiles.csv (with a point column when the experiment has design parameters). */
export function quantilesHeader(meta: Pick<ExperimentMeta, 'parameters'>): string {
  return `step,time,entity,variable,${meta.parameters.length > 0 ? 'point,' : ''}mean,q05,q25,q50,q75,q95`;
}

export class QuantileRows {
  private readonly meta: ExperimentMeta;
  private readonly swept: boolean;
  private readonly cellKeys: string[];
  private readonly times: string[];
  private readonly q = new Float64Array(QUANTILES.length);

  constructor(meta: ExperimentMeta) {
    this.meta = meta;
    this.swept = meta.parameters.length > 0;
    this.cellKeys = meta.cells.map((c) => `${csvField(c.entity)},${csvField(c.variable)}`);
    this.times = meta.times.map(formatTime);
  }

  /** The point's rows, step by step and cell by cell, joined by newlines (one `TextWriter.line`). */
  of(point: number, stats: SeriesStats, histograms: Histograms | undefined): string {
    const cells = this.meta.cells.length;
    const prefix = this.swept ? `${point},` : '';
    const q = this.q;
    const lines: string[] = [];
    for (let k = 0; k < this.meta.times.length; k++)
      for (let c = 0; c < cells; c++) {
        const v = k * cells + c;
        stats.quantiles(v, QUANTILES, histograms, q);
        lines.push(`${k},${this.times[k]},${this.cellKeys[c]},${prefix}${formatFloat32(stats.mean(v))},${Array.from(q, formatFloat32).join(',')}`);
      }
    return lines.join('\n');
  }
}
