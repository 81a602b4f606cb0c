/** The `plots.html` page of one run. */
import type { RunResult } from '../engine/simulate.js';
import { MODEL_VERSION } from '../engine/version.js';
import type { RunSummary } from '../collect/summary.js';
import { runFigures } from './figures.js';
import { figurePage } from './page.js';
import { plotlyBundle } from './plotly-bundle.js';
import { describeRun } from './describe.js';

export function runPage(run: RunResult, summary: RunSummary): string {
  const sc = run.world.scenario;
  return figurePage({
    title: `spillover: ${sc.name}`,
    subtitle: [sc.description, `Seed ${run.seed}; ${sc.start}-${sc.end}, ${sc.stepsPerYear} steps a year; model ${MODEL_VERSION}. One run: other seeds give other paths (use an ensemble for uncertainty).`],
    summary: describeRun(summary),
    figures: runFigures(run),
    plotlyBundle: plotlyBundle(),
  });
}
