/**
 * Pandemic: severity 0-1 (1: the 2020 closures, when cargo processing time rose by up to 70%, ADB). Raises
 * trade costs, narrows borders, cuts GDP and diverts governments' attention from cooperation.
 */
import { raiseLoad, type ShockModule } from './module.js';

export const pandemic: ShockModule = {
  load(state, k) {
    raiseLoad(state.pandemic, state.shocks.mask[k], state.shocks.magnitude[k]);
  },
};
