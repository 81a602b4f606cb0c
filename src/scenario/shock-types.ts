/**
 * What each shock type means to a scenario author: its natural unit, the range of its magnitude and what
 * its targets are. The engine's shock modules implement the effects; this table is what validation and the
 * docs read, so it sits below the engine.
 */

/**
 * Shock types the engine knows; each has one module under `src/engine/shocks/`. Defined here, not in the schema, so
 * that the engine does not load zod (a tenth of a second for every worker, and weight in a browser).
 */
export const SHOCK_TYPES = [
  'drought',
  'border_clash',
  'pandemic',
  'commodity_price',
  'investment',
  'sanctions',
  'leadership_change',
  'settlement',
] as const;
export type ShockType = (typeof SHOCK_TYPES)[number];

export interface ShockTypeInfo {
  /** What `magnitude` measures. */
  unit: string;
  min: number;
  max: number;
  /** `dyad`: exactly two distinct states; `states`: any non-empty list. */
  targets: 'dyad' | 'states';
  /** What happens when `targets` is absent. */
  defaultTargets: 'all' | 'random-state' | 'random-neighbours';
  needsSector: boolean;
}

export const SHOCK_INFO: Record<ShockType, ShockTypeInfo> = {
  drought: { unit: 'severity 0-1 (share of normal river flow lost)', min: 0, max: 1, targets: 'states', defaultTargets: 'all', needsSector: false },
  border_clash: { unit: 'severity 0-1 (1: the 2022 Kyrgyz-Tajik clash)', min: 0, max: 1, targets: 'dyad', defaultTargets: 'random-neighbours', needsSector: false },
  pandemic: { unit: 'severity 0-1 (1: the 2020 border closures)', min: 0, max: 1, targets: 'states', defaultTargets: 'all', needsSector: false },
  commodity_price: { unit: 'change in the targets\' GDP level as a fraction (-0.1: 10% lower)', min: -0.9, max: 1, targets: 'states', defaultTargets: 'random-state', needsSector: false },
  investment: { unit: 'USD bn, spread evenly over the duration', min: 0, max: 1000, targets: 'states', defaultTargets: 'all', needsSector: true },
  sanctions: { unit: 'severity 0-1 (1: transit through the targets all but closed)', min: 0, max: 1, targets: 'states', defaultTargets: 'random-state', needsSector: false },
  leadership_change: { unit: 'change in openness, -1 to 1 (Uzbekistan 2016: about +0.4)', min: -1, max: 1, targets: 'states', defaultTargets: 'random-state', needsSector: false },
  settlement: { unit: 'strength 0-1 (1: a full border and water treaty)', min: 0, max: 1, targets: 'dyad', defaultTargets: 'random-neighbours', needsSector: false },
};
