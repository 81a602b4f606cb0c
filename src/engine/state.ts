/**
 * The mutable state of one run, in typed arrays allocated once. Phases read and write it; the reporter
 * table reads it. Layout follows {@link World}.
 */
import { NormalSampler, type Rng } from './rng.js';
import type { World } from './world.js';

/** A record of something that happened, for the event list and plot markers. */
export interface RunEvent {
  time: number;
  kind: 'shock' | 'summit';
  type: string;
  label: string;
  targets: string;
  magnitude: number;
  detail: string;
}

/** Channels of the change in cooperation, in the order they are recorded. */
export const CHANNELS = ['own', 'functional', 'political', 'cultivated', 'shock', 'noise'] as const;
export const CH_OWN = 0, CH_FUNCTIONAL = 1, CH_POLITICAL = 2, CH_CULTIVATED = 3, CH_SHOCK = 4, CH_NOISE = 5;

/** Live shocks, struct-of-arrays with a fixed capacity: nothing is allocated when a shock strikes. */
export class ShockPool {
  readonly capacity: number;
  size = 0;
  readonly plan: Int32Array;
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly magnitude: Float64Array;
  readonly mask: Int32Array;
  readonly struck: Uint8Array;
  constructor(capacity: number) {
    this.capacity = capacity;
    this.plan = new Int32Array(capacity);
    this.start = new Float64Array(capacity);
    this.end = new Float64Array(capacity);
    this.magnitude = new Float64Array(capacity);
    this.mask = new Int32Array(capacity);
    this.struck = new Uint8Array(capacity);
  }
  /** Adds a shock, reusing the slot of one that has ended when the pool is full. */
  add(plan: number, start: number, duration: number, magnitude: number, mask: number, now: number): void {
    let k = this.size;
    if (k === this.capacity) {
      k = -1;
      for (let q = 0; q < this.capacity; q++) if (this.struck[q] && this.end[q] <= now) { k = q; break; }
      if (k < 0) return; // every slot is live: the pool is sized so this does not happen in practice
    } else this.size++;
    this.plan[k] = plan;
    this.start[k] = start;
    this.end[k] = start + duration;
    this.magnitude[k] = magnitude;
    this.mask[k] = mask;
    this.struck[k] = 0;
  }
}

export class State {
  readonly world: World;
  readonly rng: Rng;
  step = 0;
  time: number;

  readonly gdp: Float64Array;
  readonly gdpPow: Float64Array;
  readonly openness: Float64Array;
  readonly support: Float64Array;
  readonly security: Float64Array;
  readonly waterStress: Float64Array;
  readonly meanTrust: Float64Array;
  readonly meanTrust0: Float64Array;
  readonly tradeOf: Float64Array;
  readonly tradeOf0: Float64Array;

  readonly coop: Float64Array;
  readonly coopNext: Float64Array;
  readonly utility: Float64Array;
  readonly investment: Float64Array;
  readonly investmentEffect: Float64Array;
  readonly compensation: Float64Array;

  readonly trust: Float64Array;
  readonly border: Float64Array;
  readonly trade: Float64Array;
  readonly shared0: Float64Array;

  readonly agreement: Float64Array;
  readonly regionCoop: Float64Array;
  institutions: number;
  /** Gravity constant, fixed at the start so that trade matches `parameters.trade.initialTotal`. */
  gravity = 1;
  tradeTotal = 0;
  negativeIndex = 0;
  positiveIndex = 0;
  integrationIndex = 0;
  stage = 0;
  deals = 0;

  /** Region-level scalars as an array, filled by the recorder (see `SCALARS` in record.ts). */
  readonly scalars = new Float64Array(7);
  /** Standard normal draws, two per pair of uniforms (Box & Muller 1958). */
  readonly normal: NormalSampler;

  /** This step's shock loads, reset and rebuilt by the drivers phase. */
  readonly drought: Float64Array;
  readonly pandemic: Float64Array;
  readonly sanctions: Float64Array;
  readonly gdpFactor: Float64Array;
  readonly closure: Float64Array;

  /** This step's change in cooperation by channel, mean over states: `channel * nSectors + s`. */
  readonly channels: Float64Array;
  /** This step's functional spillover, mean over states: `from * nSectors + to`. */
  readonly spill: Float64Array;

  readonly shocks: ShockPool;
  readonly events: RunEvent[] = [];
  /** Whether phases write `events` (single runs do; ensembles, which never read them, do not). */
  recordEvents = true;

  constructor(world: World, rng: Rng) {
    const { n, nSectors: ns } = world;
    this.world = world;
    this.rng = rng;
    this.time = world.start;
    const f = (len: number) => new Float64Array(len);
    this.gdp = Float64Array.from(world.gdpStart);
    this.normal = new NormalSampler(rng);
    this.gdpPow = f(n);
    this.openness = Float64Array.from(world.openness0);
    this.support = Float64Array.from(world.support0);
    this.security = Float64Array.from(world.securityBase);
    this.waterStress = Float64Array.from(world.waterBase);
    this.meanTrust = f(n);
    this.meanTrust0 = f(n);
    this.tradeOf = f(n);
    this.tradeOf0 = f(n);
    this.coop = Float64Array.from(world.coop0);
    this.coopNext = f(n * ns);
    this.utility = f(n * ns);
    this.investment = f(n * ns);
    this.investmentEffect = f(n * ns);
    this.compensation = f(n * ns);
    this.trust = Float64Array.from(world.trust0);
    this.border = Float64Array.from(world.borderBase);
    this.trade = f(n * n);
    this.shared0 = f(n * n);
    this.agreement = Float64Array.from(world.agreement0);
    this.regionCoop = f(ns);
    this.institutions = world.scenario.region.institutions;
    this.drought = f(n);
    this.pandemic = f(n);
    this.sanctions = f(n);
    this.gdpFactor = f(n).fill(1);
    this.closure = f(n * n);
    this.channels = f(6 * ns);
    this.spill = f(ns * ns);
    const random = world.shocks.filter((s) => s.probability > 0).length;
    this.shocks = new ShockPool(world.shocks.length + 16 * random + 8);
  }

  /** Security lost against baseline (0 when at or above it). */
  lostSecurity(i: number): number {
    const lost = this.world.securityBase[i] - this.security[i];
    return lost > 0 ? lost : 0;
  }
}
