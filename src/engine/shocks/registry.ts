/** Shock modules by type index (the order of `SHOCK_TYPES`). */
import { SHOCK_TYPES, type ShockType } from '../../scenario/shock-types.js';
import { borderClash } from './border_clash.js';
import { commodityPrice } from './commodity_price.js';
import { drought } from './drought.js';
import { investment } from './investment.js';
import { leadershipChange } from './leadership_change.js';
import type { ShockModule } from './module.js';
import { pandemic } from './pandemic.js';
import { sanctions } from './sanctions.js';
import { settlement } from './settlement.js';

const BY_TYPE: Record<ShockType, ShockModule> = {
  drought,
  border_clash: borderClash,
  pandemic,
  commodity_price: commodityPrice,
  investment,
  sanctions,
  leadership_change: leadershipChange,
  settlement,
};

export const SHOCK_MODULES: readonly ShockModule[] = SHOCK_TYPES.map((t) => BY_TYPE[t]);
