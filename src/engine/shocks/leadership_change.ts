/**
 * Leadership change: a lasting change in the targets' openness, -1 to 1 (Uzbekistan's opening after 2016
 * is about +0.4 on this scale).
 */
import { targets, type ShockModule } from './module.js';

export const leadershipChange: ShockModule = {
  strike(state, k) {
    const mask = state.shocks.mask[k];
    for (let i = 0; i < state.world.n; i++)
      if (targets(mask, i)) state.openness[i] = Math.min(1, Math.max(0, state.openness[i] + state.shocks.magnitude[k]));
  },
};
