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
  /**
   * Drops the shocks that have struck and can no longer load any step from `now` on, keeping the others in
   * order (loads add up in pool order), so the pool's loops stay as short as the live shocks.
   */
  compact(now: number): void {
    let kept = 0;
    for (let k = 0; k < this.size; k++) {
      const over = this.struck[k] && (this.end[k] === this.start[k] ? this.start[k] < now : this.end[k] <= now);
      if (over) continue;
      if (kept !== k) {
        this.plan[kept] = this.plan[k];
        this.start[kept] = this.start[k];
        this.end[kept] = this.end[k];
        this.magnitude[kept] = this.magnitude[k];
        this.mask[kept] = this.mask[k];
        this.struck[kept] = this.struck[k];
      }
      kept++;
    }
    this.size = kept;
  }

  /**
   * Adds a shock. The drivers phase compacts the pool before adding, so a full pool holds only live shocks and
   * the new one is dropped (the pool is sized so this does not happen in practice).
   */
  add(plan: number, start: number, duration: number, magnitude: number, mask: number): void {
    if (this.size === this.capacity) return;
    const k = this.size++;
    this.plan[k] = plan;
    this.start[k] = start;
    this.end[k] = start + duration;
    this.magnitude[k] = magnitude;
    this.mask[k] = mask;
    this.struck[k] = 0;
  }
}

/**
 * Hands out views of one Float64Array, so that a state's numbers lie in one block of memory (a few kilobytes that
 * stay in cache) and a reporter addresses any slot by a single offset (see record.ts).
 */
class Slab {
  readonly data: Float64Array;
  private used = 0;
  constructor(length: number) {
    this.data = new Float64Array(length);
  }
  take(length: number): Float64Array {
    if (this.used + length > this.data.length) throw new Error('State: the slab is smaller than the arrays taken from it');
    const view = this.data.subarray(this.used, this.used + length);
    this.used += length;
    return view;
  }
  /** Checks that the arrays taken fill the slab exactly (its length is counted by hand where it is made). */
  checkFull(): void {
    if (this.used !== this.data.length) throw new Error(`State: the slab holds ${this.data.length} numbers, the arrays ${this.used}`);
  }
}

/** Room in the shock pool for a world's shocks: each scheduled one, and 16 of each random one. */
function poolCapacity(world: World): number {
  const random = world.shocks.filter((s) => s.probability > 0).length;
  return world.shocks.length + 16 * random + 8;
}

export class State {
  /** The world this state belongs to (see `rebind`). */
  world: World;
  rng: Rng;
  step = 0;
  // initialised with a number, not left undefined by the class field: a field that starts as undefined holds any
  // value, and then every decimal year stored in it is a new heap object (a kilobyte of garbage a run)
  time = 0;

  readonly gdp: Float64Array;
  /** Log economic mass in the gravity equation: gdpElasticity * ln(gdp). */
  readonly gdpMass: Float64Array;
  readonly openness: Float64Array;
  readonly support: Float64Array;
  readonly security: Float64Array;
  readonly waterStress: Float64Array;
  readonly meanTrust: Float64Array;
  readonly meanTrust0: Float64Array;
  readonly tradeOf: Float64Array;
  readonly tradeOf0: Float64Array;
  /** Each state's factor in the gravity equation (see trade.ts). */
  readonly mass: Float64Array;

  readonly coop: Float64Array;
  readonly coopNext: Float64Array;
  readonly utility: Float64Array;
  /** This step's standard normal draws for the effort phase, one per state and sector. */
  readonly noise: Float64Array;
  /** The logistic response to `utility`, and the utility it was computed at (NaN: not yet), kept across steps. */
  readonly response: Float64Array;
  readonly responseAt: Float64Array;
  readonly investment: Float64Array;
  readonly investmentEffect: Float64Array;
  readonly compensation: Float64Array;

  readonly trust: Float64Array;
  readonly border: Float64Array;
  readonly trade: Float64Array;
  /** The dyads' trade at the start (see `tradeCreated` in drivers.ts). */
  readonly trade0: Float64Array;
  readonly shared0: Float64Array;
  /** A dyad's log trade cost from border, pandemic and sanctions (NaN: not yet), and exp(fixed - that cost). */
  readonly dyadCost: Float64Array;
  readonly dyadFactor: Float64Array;

  readonly agreement: Float64Array;
  readonly regionCoop: Float64Array;
  institutions = 0;
  /** Gravity constant, fixed at the start so that trade matches `parameters.trade.initialTotal`. */
  gravity = 1;
  tradeTotal = 0;
  negativeIndex = 0;
  positiveIndex = 0;
  integrationIndex = 0;
  stage = 0;
  deals = 0;

  /** Region-level scalars as an array, filled by the recorder (see `SCALARS` in record.ts). */
  readonly scalars: Float64Array;
  /** Every Float64Array above is a view of this one: `slab.data`. */
  readonly slab: Float64Array;
  /** Standard normal draws (the ziggurat method, see rng.ts). */
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
  events: RunEvent[] = [];
  /** Whether phases write `events` (single runs do; ensembles, which never read them, do not). */
  recordEvents = true;
  /**
   * Whether the effort phase fills `channels` and `spill` (the attribution of each change in cooperation). They
   * feed nothing else, so a run that records neither (an ensemble keeping other variables) skips them.
   */
  attribution = true;

  constructor(world: World, rng: Rng) {
    const { n, nSectors: ns } = world;
    this.world = world;
    this.rng = rng;
    this.time = world.start;
    // the sizes of the arrays below: 15 per state, 9 per state and sector, 8 per ordered pair, 2 per sector, 6 per
    // channel and sector, one per sector pair, 7 scalars
    const slab = new Slab(15 * n + 9 * n * ns + 8 * n * n + 2 * ns + 6 * ns + ns * ns + 7);
    this.slab = slab.data;
    const f = (len: number) => slab.take(len);
    this.normal = new NormalSampler(rng);
    this.gdp = f(n);
    this.gdpMass = f(n);
    this.openness = f(n);
    this.support = f(n);
    this.security = f(n);
    this.waterStress = f(n);
    this.meanTrust = f(n);
    this.meanTrust0 = f(n);
    this.tradeOf = f(n);
    this.tradeOf0 = f(n);
    this.mass = f(n);
    this.coop = f(n * ns);
    this.coopNext = f(n * ns);
    this.utility = f(n * ns);
    this.noise = f(n * ns);
    this.response = f(n * ns);
    this.responseAt = f(n * ns);
    this.investment = f(n * ns);
    this.investmentEffect = f(n * ns);
    this.compensation = f(n * ns);
    this.trust = f(n * n);
    this.border = f(n * n);
    this.trade = f(n * n);
    this.trade0 = f(n * n);
    this.shared0 = f(n * n);
    this.dyadCost = f(n * n);
    this.dyadFactor = f(n * n);
    this.agreement = f(ns);
    this.regionCoop = f(ns);
    this.drought = f(n);
    this.pandemic = f(n);
    this.sanctions = f(n);
    this.gdpFactor = f(n);
    this.closure = f(n * n);
    this.channels = f(6 * ns);
    this.spill = f(ns * ns);
    this.scalars = f(7);
    slab.checkFull();
    this.shocks = new ShockPool(poolCapacity(world));
    this.reset(rng);
  }

  /**
   * Makes this state another world's, when that world has the same shape (states, sectors, steps and room for its
   * shocks): `reset` then starts its runs as a new state would. Returns whether it did.
   */
  rebind(world: World): boolean {
    const w = this.world;
    if (world.n !== w.n || world.nSectors !== w.nSectors || world.steps !== w.steps || poolCapacity(world) !== this.shocks.capacity) return false;
    this.world = world;
    return true;
  }

  /**
   * Returns the state to the world's starting values with a new generator, so that one state serves many runs
   * (allocating the arrays cost more than a fifth of a run). Everything a run writes is restored here.
   */
  reset(rng: Rng): void {
    const w = this.world;
    this.rng = rng;
    this.normal.reset(rng);
    this.step = 0;
    this.time = w.start;
    // every array starts at 0 (the slab holds them all, so none can be forgotten here) unless set below
    this.slab.fill(0);
    this.gdp.set(w.gdpStart);
    this.openness.set(w.openness0);
    this.support.set(w.support0);
    this.security.set(w.securityBase);
    this.waterStress.set(w.waterBase);
    this.coop.set(w.coop0);
    this.trust.set(w.trust0);
    this.border.set(w.borderBase);
    this.agreement.set(w.agreement0);
    this.gdpFactor.fill(1);
    this.responseAt.fill(NaN);
    this.dyadCost.fill(NaN);
    this.institutions = w.scenario.region.institutions;
    this.gravity = 1;
    this.tradeTotal = 0;
    this.negativeIndex = 0;
    this.positiveIndex = 0;
    this.integrationIndex = 0;
    this.stage = 0;
    this.deals = 0;
    this.shocks.size = 0;
    this.events = [];
    this.recordEvents = true;
    this.attribution = true;
  }
}
