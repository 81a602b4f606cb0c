/**
 * Commodity price swing: the change in the targets' GDP level as a fraction while it lasts (-0.1: GDP 10%
 * lower), e.g. an oil or gas price fall for Kazakhstan and Turkmenistan.
 */
import { targets, type ShockModule } from './module.js';

export const commodityPrice: ShockModule = {
  load(state, k) {
    const mask = state.shocks.mask[k];
    for (let i = 0; i < state.world.n; i++) if (targets(mask, i)) state.gdpFactor[i] *= 1 + state.shocks.magnitude[k];
  },
};
