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
  // arrays and constants in locals: the loops write typed arrays, after which fields would be loaded again
  const { security: sec, pandemic, closure, border } = state;
  const { securityBase, pairs, borderBase } = w;
  const recover = dt * p.security.recovery * speedUp;
  for (let i = 0; i < n; i++) sec[i] += recover * (securityBase[i] - sec[i]);
  const reopen = dt * p.border.recovery * speedUp;
  const closing = p.pandemic.borderClosure;
  for (let q = 0; q < w.nPairs; q++) {
    const i = pairs[2 * q], j = pairs[2 * q + 1];
    const d = i * n + j;
    const pan = pandemic[i] > pandemic[j] ? pandemic[i] : pandemic[j];
    const target = borderBase[d] * (1 - closure[d]) * (1 - closing * pan);
    const b = border[d] > target ? target : border[d] + reopen * (target - border[d]);
    border[d] = b;
    border[j * n + i] = b;
  }
}
