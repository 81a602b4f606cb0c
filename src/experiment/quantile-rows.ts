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
  private readonly swept: boolean;
  /** Each series' row up to the point column: step, time, entity, variable. */
  private readonly keys: string[];
  private readonly q = new Float64Array(QUANTILES.length);

  constructor(meta: ExperimentMeta) {
    this.swept = meta.parameters.length > 0;
    const cells = meta.cells.map((c) => `${csvField(c.entity)},${csvField(c.variable)},`);
    this.keys = meta.times.flatMap((time, k) => cells.map((cell) => `${k},${formatTime(time)},${cell}`));
  }

  /** The point's rows, step by step and cell by cell, joined by newlines (one `TextWriter.line`). */
  of(point: number, stats: SeriesStats, histograms: Histograms | undefined): string {
    const prefix = this.swept ? `${point},` : '';
    const q = this.q;
    const lines: string[] = [];
    for (let v = 0; v < this.keys.length; v++) {
      stats.quantiles(v, QUANTILES, histograms, q);
      // neighbours are often equal (a series at a bound, or a point of one run, where all six are): formatted once
      let last = stats.mean(v), text = formatFloat32(last);
      let line = this.keys[v] + prefix + text;
      for (let j = 0; j < q.length; j++) {
        if (q[j] !== last) text = formatFloat32((last = q[j]));
        line += `,${text}`;
      }
      lines.push(line);
    }
    return lines.join('\n');
  }
}
