/** `fit.html`: observed against simulated, one chart per calibration target. */
import { figurePage } from './page.js';
import { plotlyBundle } from './plotly-bundle.js';
import type { Figure } from './figures.js';
import { color } from './palette.js';

export interface FitSeries {
  name: string;
  unit: string;
  years: number[];
  observed: number[];
  /** Simulated calendar-year means, every year of the run, mean over replicates and each replicate. */
  simYears: number[];
  simMean: number[];
  simLow: number[];
  simHigh: number[];
}

export function fitFigure(s: FitSeries, k: number): Figure {
  return {
    id: `target-${k}`,
    title: s.name,
    caption: `Observed (points) and simulated calendar-year means (line: mean over replicates; band: their range), ${s.unit}.`,
    data: [
      { x: s.simYears, y: s.simHigh, mode: 'lines', line: { width: 0 }, showlegend: false, hoverinfo: 'skip' },
      { x: s.simYears, y: s.simLow, mode: 'lines', line: { width: 0 }, fill: 'tonexty', fillcolor: 'rgba(0,114,178,0.15)', name: 'replicate range' },
      { x: s.simYears, y: s.simMean, mode: 'lines+markers', name: 'simulated', line: { color: color(0), width: 2.5 } },
      { x: s.years, y: s.observed, mode: 'markers', name: 'observed', marker: { color: color(5), size: 11, symbol: 'diamond' } },
    ],
    layout: { xaxis: { title: { text: 'year' }, dtick: 1 }, yaxis: { title: { text: s.unit }, rangemode: 'tozero' }, legend: { orientation: 'h', y: -0.2 }, margin: { t: 30, r: 20, b: 60, l: 60 } },
  };
}

export function fitPage(title: string, subtitle: string[], summary: string[], series: FitSeries[]): string {
  return figurePage({ title, subtitle, summary, figures: series.map(fitFigure), plotlyBundle: plotlyBundle() });
}
