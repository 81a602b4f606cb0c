/**
 * Sanctions on a transit route: severity 0-1, the extra trade cost on every dyad that involves a target
 * (1: transit through the targets all but closed).
 */
import { raiseLoad, type ShockModule } from './module.js';

export const sanctions: ShockModule = {
  load(state, k) {
    raiseLoad(state.sanctions, state.shocks.mask[k], state.shocks.magnitude[k]);
  },
};
