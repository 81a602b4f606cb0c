/**
 * The outcomes of one run as a row of numbers, for `runs.csv`: the final stage, the year each stage was first
 * reached (NaN when never), and the end values of the main indicators.
 */
import type { RunResult } from '../engine/simulate.js';
import type { World } from '../engine/world.js';

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

/** Writes a run's outcomes into `out` (length `outcomeNames(world).length`). */
export function runOutcomes(run: RunResult, out: Float64Array): void {
  const w = run.world;
  const width = run.reporters.length;
  const last = run.times.length - 1;
  const column = (entity: string, variable: string) => run.reporters.findIndex((r) => r.entity === entity && r.variable === variable);
  const at = (c: number, k: number) => run.values[k * width + c];
  const stage = column('region', 'balassa_stage');
  let o = 0;
  out[o++] = at(stage, last);
  for (let s = 1; s <= 6; s++) {
    let year = Number.NaN;
    for (let k = 0; k <= last; k++) if (at(stage, k) >= s) { year = run.times[k]; break; }
    out[o++] = year;
  }
  for (const v of ['trade_usd', 'integration_index', 'negative_integration', 'positive_integration', 'institutions']) out[o++] = at(column('region', v), last);
  for (const s of w.sectors) out[o++] = at(column('region', `cooperation.${s}`), last);
  for (const s of w.sectors) out[o++] = at(column('region', `agreement.${s}`), last);
  for (const c of w.codes) out[o++] = at(column(c, 'trade_usd'), last);
}
