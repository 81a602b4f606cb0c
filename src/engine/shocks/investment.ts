/**
 * External investment into one sector: USD bn spread evenly over the duration and over the targets (EU
 * Global Gateway, EUR 12 bn, Samarkand 2025; China-Kyrgyzstan-Uzbekistan railway, Kyrgyz section about
 * USD 4.7 bn). It builds a stock that depreciates, and the stock raises the sector's benefit (phase 2).
 */
import { targets, type ShockModule } from './module.js';

export const investment: ShockModule = {
  load(state, k) {
    const w = state.world;
    const pool = state.shocks;
    const plan = w.shocks[pool.plan[k]];
    const mask = pool.mask[k];
    let count = 0;
    for (let i = 0; i < w.n; i++) if (targets(mask, i)) count++;
    const years = pool.end[k] - pool.start[k];
    // share of the package that arrives in this step (all of it at once when the duration is 0)
    const share = years > 0 ? Math.min(w.dt, pool.end[k] - state.time, state.time + w.dt - pool.start[k]) / years : 1;
    const perState = (pool.magnitude[k] * share) / count;
    for (let i = 0; i < w.n; i++) if (targets(mask, i)) state.investment[i * w.nSectors + plan.sector] += perState;
  },
};
