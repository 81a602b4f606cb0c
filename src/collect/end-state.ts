/**
 * The state a run ends in, as a scenario that starts there: what lets a projection continue from history
 * instead of from invented values. Values are means over the replicates given.
 */
import type { RunResult } from '../engine/simulate.js';

const round = (v: number) => Number(v.toFixed(6));

/** A scenario fragment (without `extends`) holding the state at the last step of the runs. */
export function endState(runs: RunResult[]): Record<string, unknown> {
  const world = runs[0].world;
  const last = runs[0].times.length - 1;
  const width = runs[0].reporters.length;
  const mean = (entity: string, variable: string) => {
    const r = runs[0].reporters.findIndex((x) => x.entity === entity && x.variable === variable);
    return runs.reduce((s, run) => s + run.values[last * width + r], 0) / runs.length;
  };
  const end = world.end;
  const states = Object.fromEntries(
    world.codes.map((c) => [
      c,
      {
        gdp: round(mean(c, 'gdp_usd') / 1e9),
        gdpYear: end - 0.5,
        openness: round(mean(c, 'openness')),
        support: round(mean(c, 'support')),
        cooperation: Object.fromEntries(world.sectors.map((s) => [s, round(mean(c, `cooperation.${s}`))])),
      },
    ]),
  );
  const codes = [...world.codes].sort();
  const dyads: Record<string, { trust: number }> = {};
  for (let a = 0; a < codes.length; a++)
    for (let b = a + 1; b < codes.length; b++) dyads[`${codes[a]}-${codes[b]}`] = { trust: round(mean(`${codes[a]}-${codes[b]}`, 'trust')) };
  return {
    start: end,
    states,
    dyads,
    sectors: Object.fromEntries(world.sectors.map((s) => [s, { agreement: round(mean('region', `agreement.${s}`)) }])),
    region: { institutions: round(mean('region', 'institutions')) },
    parameters: { trade: { initialTotal: round(mean('region', 'trade_usd') / 1e9) } },
  };
}
