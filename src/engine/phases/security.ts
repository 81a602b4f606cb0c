/**
 * Phase 5, security (Buzan & Waever 2003, Regional Security Complex Theory): security recovers toward its
 * baseline and closed borders reopen, both faster with institutionalised dispute resolution; borders close
 * at once while a clash or a pandemic lasts. (Clashes strike security and trust in phase 1, when they start;
 * their lasting cost, diverted effort, is in phase 3.)
 */
import type { State } from '../state.js';

export function security(state: State): void {
  const w = state.world;
  const p = w.params;
  const n = w.n;
  const dt = w.dt;
  const speedUp = 1 + w.policies.disputeResolution;
  for (let i = 0; i < n; i++) state.security[i] += dt * p.security.recovery * speedUp * (w.securityBase[i] - state.security[i]);
  const reopen = dt * p.border.recovery * speedUp;
  for (let q = 0; q < w.nPairs; q++) {
    const i = w.pairs[2 * q], j = w.pairs[2 * q + 1];
    const d = i * n + j;
    const pan = state.pandemic[i] > state.pandemic[j] ? state.pandemic[i] : state.pandemic[j];
    const target = w.borderBase[d] * (1 - state.closure[d]) * (1 - p.pandemic.borderClosure * pan);
    const b = state.border[d] > target ? target : state.border[d] + reopen * (target - state.border[d]);
    state.border[d] = b;
    state.border[j * n + i] = b;
  }
}
