/**
 * The outcomes of one run as a row of numbers, for `runs.csv`: the final stage, the year each stage was first
 * reached (NaN when never), and the end values of the main indicators.
 */
import type { RunResult } from '../engine/simulate.js';
import type { World } from '../engine/world.js';
import { firstYearAtStage } from './stage-years.js';

/** Column names of the outcomes, for a world. */
export function outcomeNames(w: World): string[] {
  return [
    'final_stage',
    ...[1, 2, 3, 4, 5, 6].map((s) => `stage${s}_year`),
    'trade_usd_end',
    'integration_index_end',
    'negative_integration_end',
    'positive_integration_end',
    'institutions_end',
    ...w.sectors.map((s) => `cooperation.${s}_end`),
    ...w.sectors.map((s) => `agreement.${s}_end`),
    ...w.codes.map((c) => `${c}.trade_usd_end`),
  ];
}

/** Where each outcome is read: the stage column, then the columns whose last value is an outcome. */
interface OutcomeColumns {
  stage: number;
  ends: Int32Array;
}
const columnCache = new WeakMap<RunResult['reporters'], OutcomeColumns>();

function outcomeColumns(run: RunResult): OutcomeColumns {
  let c = columnCache.get(run.reporters);
  if (!c) {
    const w = run.world;
    const column = (entity: string, variable: string) => run.reporters.findIndex((r) => r.entity === entity && r.variable === variable);
    const ends = [
      ...['trade_usd', 'integration_index', 'negative_integration', 'positive_integration', 'institutions'].map((v) => column('region', v)),
      ...w.sectors.map((s) => column('region', `cooperation.${s}`)),
      ...w.sectors.map((s) => column('region', `agreement.${s}`)),
      ...w.codes.map((code) => column(code, 'trade_usd')),
    ];
    c = { stage: column('region', 'balassa_stage'), ends: Int32Array.from(ends) };
    columnCache.set(run.reporters, c);
  }
  return c;
}

/** Writes a run's outcomes into `out` (length `outcomeNames(world).length`). */
export function runOutcomes(run: RunResult, out: Float64Array): void {
  const width = run.reporters.length;
  const last = run.times.length - 1;
  const { stage, ends } = outcomeColumns(run);
  let o = 0;
  out[o++] = run.values[last * width + stage];
  for (let s = 1; s <= 6; s++) out[o++] = firstYearAtStage(run.values, stage, width, run.times, s);
  for (let e = 0; e < ends.length; e++) out[o++] = run.values[last * width + ends[e]];
}
