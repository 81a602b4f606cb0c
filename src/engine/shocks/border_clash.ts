/**
 * Border clash between two states: severity 0-1 (1: the September 2022 Kyrgyz-Tajik clash, about 100
 * killed). Strikes security and the dyad's trust at once (Buzan & Waever: incidents are securitised), softened
 * by dispute-resolution capacity, and closes the border for its duration (the Kyrgyz-Tajik border stayed
 * closed from 2021 to the March 2025 treaties).
 */
import { dyadOf, type ShockModule } from './module.js';

export const borderClash: ShockModule = {
  strike(state, k) {
    const w = state.world;
    const d = dyadOf(state.shocks.mask[k], w.n);
    if (d < 0) return;
    const i = Math.floor(d / w.n), j = d % w.n;
    const m = state.shocks.magnitude[k] * (1 - w.params.security.disputeSoftening * w.policies.disputeResolution);
    state.security[i] = Math.max(0, state.security[i] - m * w.params.security.clashHit);
    state.security[j] = Math.max(0, state.security[j] - m * w.params.security.clashHit);
    const t = Math.max(0, state.trust[d] - m * w.params.trust.clashHit);
    state.trust[i * w.n + j] = t;
    state.trust[j * w.n + i] = t;
  },
  load(state, k) {
    const w = state.world;
    const d = dyadOf(state.shocks.mask[k], w.n);
    if (d < 0) return;
    const i = Math.floor(d / w.n), j = d % w.n;
    const m = state.shocks.magnitude[k];
    if (state.closure[i * w.n + j] < m) {
      state.closure[i * w.n + j] = m;
      state.closure[j * w.n + i] = m;
    }
  },
};
