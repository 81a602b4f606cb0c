/**
 * The reporter table (after Mesa's DataCollector): what a run records at every step, as a list of
 * (entity, variable, reader). Model logic never writes output; it only leaves state the readers can see.
 * Entities: `region`, a state code, or a dyad `AAA-BBB` (codes in alphabetical order).
 */
import { CHANNELS, type State } from './state.js';
import type { World } from './world.js';

export interface Reporter {
  entity: string;
  variable: string;
  read(state: State): number;
}

const BN = 1e9;

export function reporters(w: World): Reporter[] {
  const out: Reporter[] = [];
  const add = (entity: string, variable: string, read: (s: State) => number) => out.push({ entity, variable, read });
  const { n, nSectors: ns, sectors, codes } = w;

  sectors.forEach((name, s) => add('region', `cooperation.${name}`, (st) => st.regionCoop[s]));
  sectors.forEach((name, s) => add('region', `agreement.${name}`, (st) => st.agreement[s]));
  add('region', 'trade_usd', (st) => st.tradeTotal * BN);
  add('region', 'integration_index', (st) => st.integrationIndex);
  add('region', 'balassa_stage', (st) => st.stage);
  add('region', 'negative_integration', (st) => st.negativeIndex);
  add('region', 'positive_integration', (st) => st.positiveIndex);
  add('region', 'institutions', (st) => st.institutions);
  add('region', 'agreements_made', (st) => st.deals);
  sectors.forEach((from, f) =>
    sectors.forEach((to, t) => {
      if (f !== t) add('region', `spillover.${from}.${to}`, (st) => st.spill[f * ns + t]);
    }),
  );
  sectors.forEach((name, s) =>
    CHANNELS.forEach((ch, c) => add('region', `attribution.${name}.${ch}`, (st) => st.channels[c * ns + s])),
  );

  codes.forEach((code, i) => {
    sectors.forEach((name, s) => add(code, `cooperation.${name}`, (st) => st.coop[i * ns + s]));
    add(code, 'security', (st) => st.security[i]);
    add(code, 'water_stress', (st) => st.waterStress[i]);
    add(code, 'support', (st) => st.support[i]);
    add(code, 'openness', (st) => st.openness[i]);
    add(code, 'gdp_usd', (st) => st.gdp[i] * BN);
    add(code, 'trade_usd', (st) => st.tradeOf[i] * BN);
  });

  const order = codes.map((c, i) => [c, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      const [ca, i] = order[a];
      const [cb, j] = order[b];
      const d = i * n + j;
      const dyad = `${ca}-${cb}`;
      add(dyad, 'trust', (st) => st.trust[d]);
      add(dyad, 'trade_usd', (st) => st.trade[d] * BN);
      add(dyad, 'border', (st) => st.border[d]);
    }
  return out;
}
