/**
 * Drought: severity 0-1, the share of normal river flow lost (2021: flow of both basins at 84% of the
 * long-term mean, Tuyamuyun releases at 74% of schedule, ICWC). Raises water stress, downstream first,
 * and securitises the sectors that list it in `securitisedBy` (water, by default).
 */
import { raiseLoad, type ShockModule } from './module.js';

export const drought: ShockModule = {
  load(state, k) {
    raiseLoad(state.drought, state.shocks.mask[k], state.shocks.magnitude[k]);
  },
};
