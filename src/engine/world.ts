/**
 * The world: everything about a run that does not change while it runs, laid out in typed arrays once,
 * so the step loop reads flat arrays and computes no constant twice. Index conventions: state i in
 * `0..n-1` (scenario order), sector s in `0..nSectors-1`, state-sector `i * nSectors + s`, ordered pair
 * `i * n + j`, sector pair `from * nSectors + to`.
 */
import type { CompiledFormulas } from '../scenario/formulas.js';
import type { LoadedScenario } from '../scenario/loaded.js';
import type { Parameters, Policies, Scenario, SectorSpec, StateSpec } from '../scenario/schema.js';
import { SHOCK_INFO, SHOCK_TYPES, type ShockType } from '../scenario/shock-types.js';
import { greatCircleKm } from './geo.js';
import { log, pow } from '../math/index.js';

/** Balassa role of a sector, as an index. */
export const ROLE = { market: 0, connectivity: 1, policy: 2, none: 3 } as const;

/** A shock as the engine holds it: targets as a bit mask over states. */
export interface ShockPlan {
  type: ShockType;
  typeIndex: number;
  label: string;
  at: number;
  probability: number;
  /** Probability of striking within one step: 1 - (1 - p)^dt. */
  stepProbability: number;
  duration: number;
  magnitude: number;
  /** Bit i set: state i is a target; 0 means "the type's default, drawn or all". */
  mask: number;
  sector: number;
}

export interface World {
  scenario: Scenario;
  params: Parameters;
  policies: Policies;
  formulas: CompiledFormulas;
  codes: string[];
  names: string[];
  sectors: string[];
  sectorLabels: string[];
  n: number;
  nSectors: number;
  start: number;
  end: number;
  stepsPerYear: number;
  dt: number;
  /** Number of steps; states are recorded at steps 0..steps. */
  steps: number;
  strength: number;

  gdpStart: Float64Array;
  /** GDP trend (USD bn) at every recorded step: `trend[step * n + i]`. */
  trend: Float64Array;
  /** What `gdpStart`, `trend` and `trendScale` were computed from (see `buildWorld`'s `previous`). */
  trendKey: string;
  /**
   * How far GDP's trend alone scales trade, (trend / gdpStart)^gdpElasticity, at every recorded step (as `trend`): the
   * drivers' measure of the trade that lower trade costs created (see `tradeCreated` in drivers.ts).
   */
  trendScale: Float64Array;
  population: Float64Array;
  upstream: Uint8Array;
  openness0: Float64Array;
  securityBase: Float64Array;
  waterBase: Float64Array;
  droughtSensitivity: Float64Array;
  support0: Float64Array;
  /** Relative poverty 0 (richest per head) to 1 (poorest), on a log scale of GDP per head at the start. */
  poverty: Float64Array;
  coop0: Float64Array;
  exposure: Float64Array;

  neighbour: Uint8Array;
  /**
   * The fixed part of a dyad's log gravity: ln(distance^-theta) less the transit cost of states that share no
   * border, for each ordered pair.
   */
  logDyadFactor: Float64Array;
  trust0: Float64Array;
  borderBase: Float64Array;
  /** Unordered pairs i < j as [i0, j0, i1, j1, ...]. */
  pairs: Int32Array;
  nPairs: number;
  /** Pairs that share a border, same layout: where random dyad shocks strike. */
  neighbourPairs: Int32Array;

  benefit: Float64Array;
  politicalCost: Float64Array;
  tradeCost: Float64Array;
  waterRelief: Float64Array;
  negative: Uint8Array;
  role: Uint8Array;
  agreement0: Float64Array;
  unilateral: Float64Array;
  /** Bit t set: shock type t securitises the sector. */
  securitisedBy: Uint32Array;
  matrix: Float64Array;

  shocks: ShockPlan[];
}

/**
 * A state's GDP trend as a function of the decimal year. Observations (`gdpPath`, else `gdp` in `gdpYear`) are annual
 * flows, placed mid-year; between two of them the trend is log-linear, beyond them it grows at `gdpGrowth`. The
 * observations are sorted once, not at every step (a world is built per design point, and sorting per step was a
 * twelfth of a sweep of one-run points).
 */
export function gdpTrend(state: StateSpec): (time: number) => number {
  const points = Object.entries(state.gdpPath ?? { [state.gdpYear]: state.gdp })
    .map(([year, value]) => [Number(year) + 0.5, value] as const)
    .sort((a, b) => a[0] - b[0]);
  const g = 1 + state.gdpGrowth;
  const [tn, vn] = points[points.length - 1];
  return (time) => {
    // past the last observation (a run's every step, when the path ends at its start) without walking the path
    if (time > tn) return vn * pow(g, time - tn);
    const [t0, v0] = points[0];
    if (time <= t0) return v0 * pow(g, time - t0);
    for (let k = 1; k < points.length; k++) {
      const [ta, va] = points[k - 1];
      const [tb, vb] = points[k];
      if (time <= tb) return va * pow(vb / va, (time - ta) / (tb - ta));
    }
    return vn * pow(g, time - tn);
  };
}

/** A world's borders, distances and dyads (`geography`). */
interface Geography {
  neighbour: Uint8Array;
  pairs: Int32Array;
  nPairs: number;
  neighbourPairs: Int32Array;
  trust0: Float64Array;
  borderBase: Float64Array;
  logDyadFactor: Float64Array;
}

/**
 * The parts of a world that a world built for another design point of the same experiment can lend (`buildWorld`'s
 * `previous` with `varied`), each with the scenario paths it reads (a path read, or any path below it): a part none of
 * whose paths a design varies is the same in every point's world. Built anew, the baseline's world took 18-40 us on the
 * AMD machine (the trend's key written as JSON, 20 great-circle distances and their logarithms, the dyads' lookups, a
 * few dozen small arrays); borrowing these parts, 1.5-5, where a run takes some 300. The run's calendar is among the
 * inputs (the states' poverty reads the GDP at the start, the shocks' chance a step the steps a year): no design may
 * vary it, but a library caller could.
 */
const PART_INPUTS = {
  trend: ['states', 'parameters.trade.gdpElasticity', 'start', 'end', 'stepsPerYear'],
  states: ['states', 'sectors', 'parameters.water', 'start'],
  geography: ['states', 'dyads', 'parameters.trust.initial', 'parameters.trade.distanceElasticity', 'parameters.trade.transitCost'],
  sectors: ['sectors'],
  matrix: ['spillover.matrix'],
  shocks: ['shocks', 'stepsPerYear'],
} as const;

type Part = keyof typeof PART_INPUTS;

/** Each part's input paths, split into keys once. */
const PART_KEYS = Object.fromEntries(Object.entries(PART_INPUTS).map(([part, paths]) => [part, paths.map((path) => path.split('.'))])) as Record<Part, string[][]>;

/** Whether any of the paths `varied` is one of `inputs` or lies below one. */
function touches(varied: readonly string[], inputs: readonly string[]): boolean {
  return varied.some((v) => inputs.some((p) => v === p || v.startsWith(`${p}.`)));
}

/**
 * The parts a list of varied paths reaches, by list: an experiment passes its one list for every point, and matching
 * its paths against every part's took a quarter of a lent world's build.
 */
const reachedBy = new WeakMap<readonly string[], ReadonlySet<Part>>();
function partsReached(varied: readonly string[]): ReadonlySet<Part> {
  let reached = reachedBy.get(varied);
  if (!reached) reachedBy.set(varied, (reached = new Set((Object.keys(PART_INPUTS) as Part[]).filter((part) => touches(varied, PART_INPUTS[part])))));
  return reached;
}

/**
 * Whether two documents hold the same thing at `keys`, walking both down the path and stopping at the first object they
 * share (a design point shares most of its base's at the top: a few lookups).
 */
function sameAt(a: unknown, b: unknown, keys: readonly string[]): boolean {
  for (const key of keys) {
    if (a === b) return true;
    if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') return false;
    a = (a as Record<string, unknown>)[key];
    b = (b as Record<string, unknown>)[key];
  }
  return a === b;
}

/**
 * Whether two scenarios hold the very same inputs of a part: the same numbers, and the same objects (not copies)
 * above them. A design point's scenario is its base with the design's values set by `withValuesAt`, which copies
 * only the objects on the way to those values, so what a point leaves as it was is the base's own object in every
 * point; anything else (a wrong `varied`, a scenario loaded or copied anew) fails this, and the part is built.
 */
function sameInputs(a: unknown, b: unknown, part: Part): boolean {
  for (const keys of PART_KEYS[part]) if (!sameAt(a, b, keys)) return false;
  return true;
}

/** Whether two objects have the same keys in the same order (a world's states and sectors are listed in key order). */
function sameKeys(a: object, b: object, list: readonly string[]): boolean {
  if (a === b) return true;
  const keys = Object.keys(b);
  return keys.length === list.length && keys.every((k, i) => k === list[i]);
}

function geography(sc: Scenario, codes: string[], states: StateSpec[], p: Parameters): Geography {
  const n = codes.length;
  const pairIndex: number[] = [];
  const neighbourIndex: number[] = [];
  const neighbour = new Uint8Array(n * n);
  codes.forEach((_, i) =>
    states[i].neighbours.forEach((m) => {
      const j = codes.indexOf(m);
      neighbour[i * n + j] = 1;
      neighbour[j * n + i] = 1;
    }),
  );
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      pairIndex.push(i, j);
      if (neighbour[i * n + j]) neighbourIndex.push(i, j);
    }

  const dyadOverride = (i: number, j: number) => {
    // in sort()'s order (UTF-16 code units), without sort(): it allocated most of what building a world did
    const [a, b] = codes[i] < codes[j] ? [codes[i], codes[j]] : [codes[j], codes[i]];
    return sc.dyads[`${a}-${b}`] ?? sc.dyads[`${b}-${a}`] ?? {};
  };
  const trust0 = new Float64Array(n * n);
  const borderBase = new Float64Array(n * n);
  const logDyadFactor = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) {
        trust0[i * n + j] = 1;
        borderBase[i * n + j] = 1;
        continue;
      }
      // a dyad's override is the same both ways: looked up once, from the first of its two
      if (i < j) {
        const o = dyadOverride(i, j);
        trust0[i * n + j] = trust0[j * n + i] = o.trust ?? p.trust.initial;
        borderBase[i * n + j] = borderBase[j * n + i] = o.border ?? 1;
      }
      const km = Math.max(50, greatCircleKm(states[i].lat, states[i].lon, states[j].lat, states[j].lon));
      logDyadFactor[i * n + j] = -p.trade.distanceElasticity * log(km) - (neighbour[i * n + j] ? 0 : p.trade.transitCost);
    }
  return { neighbour, pairs: Int32Array.from(pairIndex), nPairs: pairIndex.length / 2, neighbourPairs: Int32Array.from(neighbourIndex), trust0, borderBase, logDyadFactor };
}

/** A loop, not Float64Array.from over an array-like: that builtin's generic path was a fifth of building a world. */
function f64(len: number, fn: (k: number) => number): Float64Array {
  const out = new Float64Array(len);
  for (let k = 0; k < len; k++) out[k] = fn(k);
  return out;
}

/** The sectors' constants. */
function sectorArrays(sectorSpecs: SectorSpec[]) {
  const ns = sectorSpecs.length;
  return {
    sectorLabels: sectorSpecs.map((s) => s.label),
    benefit: f64(ns, (s) => sectorSpecs[s].benefit),
    politicalCost: f64(ns, (s) => sectorSpecs[s].politicalCost),
    tradeCost: f64(ns, (s) => sectorSpecs[s].tradeCost),
    waterRelief: f64(ns, (s) => sectorSpecs[s].waterRelief),
    negative: Uint8Array.from(sectorSpecs, (s) => (s.integration === 'negative' ? 1 : 0)),
    role: Uint8Array.from(sectorSpecs, (s) => ROLE[s.balassa]),
    agreement0: f64(ns, (s) => sectorSpecs[s].agreement),
    unilateral: f64(ns, (s) => sectorSpecs[s].unilateral),
    securitisedBy: Uint32Array.from(sectorSpecs, (s) => s.securitisedBy.reduce((m, t) => m | (1 << SHOCK_TYPES.indexOf(t)), 0)),
  };
}

function spilloverMatrix(sc: Scenario, sectors: string[]): Float64Array {
  const ns = sectors.length;
  const matrix = new Float64Array(ns * ns);
  for (const [from, row] of Object.entries(sc.spillover.matrix))
    for (const [to, v] of Object.entries(row)) if (from !== to) matrix[sectors.indexOf(from) * ns + sectors.indexOf(to)] = v;
  return matrix;
}

function shockPlans(sc: Scenario, codes: string[], sectors: string[]): ShockPlan[] {
  const n = codes.length;
  const shocks: ShockPlan[] = sc.shocks.map((sh) => ({
    type: sh.type,
    typeIndex: SHOCK_TYPES.indexOf(sh.type),
    label: sh.label ?? sh.type.replace('_', ' '),
    at: sh.at ?? Number.NaN,
    probability: sh.probability ?? 0,
    stepProbability: 1 - pow(1 - (sh.probability ?? 0), 1 / sc.stepsPerYear),
    duration: sh.duration,
    magnitude: sh.magnitude,
    mask: (sh.targets ?? []).reduce((m, c) => m | (1 << codes.indexOf(c)), 0),
    sector: sh.sector !== undefined ? sectors.indexOf(sh.sector) : -1,
  }));
  for (const sh of shocks) if (sh.mask === 0 && SHOCK_INFO[sh.type].defaultTargets === 'all') sh.mask = n >= 32 ? -1 : ((1 << n) - 1) | 0;
  return shocks;
}

/** The states' constants, with `gdpStart` (from the trend) for their relative poverty. */
function stateArrays(states: StateSpec[], sectors: string[], sectorSpecs: SectorSpec[], p: Parameters, gdpStart: Float64Array) {
  const n = states.length;
  const ns = sectors.length;
  const perHead = states.map((st, i) => gdpStart[i] / st.population);
  const richest = Math.max(...perHead);
  const poorest = Math.min(...perHead);
  const span = log(richest / poorest) || 1;
  return {
    names: states.map((s) => s.name),
    population: f64(n, (i) => states[i].population),
    upstream: Uint8Array.from(states, (s) => (s.upstream ? 1 : 0)),
    openness0: f64(n, (i) => states[i].openness),
    securityBase: f64(n, (i) => states[i].security),
    waterBase: f64(n, (i) => states[i].waterStress),
    droughtSensitivity: f64(n, (i) => (states[i].upstream ? p.water.upstreamSensitivity : p.water.downstreamSensitivity)),
    support0: f64(n, (i) => states[i].support),
    poverty: f64(n, (i) => log(richest / perHead[i]) / span),
    coop0: f64(n * ns, (k) => states[Math.floor(k / ns)].cooperation[sectors[k % ns]] ?? sectorSpecs[k % ns].agreement),
    exposure: f64(n * ns, (k) => states[Math.floor(k / ns)].exposure[sectors[k % ns]] ?? 1),
  };
}

/**
 * The world of a scenario (only its resolved document and compiled formulas are read). `previous`, a world built
 * before (a sweep's last design point), lends its GDP trend and its scale when those were computed from the same values:
 * each is 305 powers for the baseline, a third of building a world, and design points seldom move them. The values are compared
 * as they were when each world was built (`trendKey`), so a scenario changed in place since is never mistaken for the
 * same. With `varied`, the caller says that this scenario differs from `previous`'s only at those paths, as the design
 * points of one experiment do (each is its base scenario with the design's values set, `withValuesAt`), and `previous`
 * lends every part read off those paths (`PART_INPUTS`) whose inputs are the very same objects and numbers in both
 * scenarios (`sameInputs`: a few lookups, no values compared). So a wrong list, or scenarios loaded or copied apart,
 * cost a build, not a wrong world; only a scenario changed in place, at a path `varied` leaves out, would be
 * mistaken. Worlds never write their arrays, so sharing them is safe.
 */
export function buildWorld(loaded: Pick<LoadedScenario, 'scenario' | 'formulas'>, previous?: World, varied?: readonly string[]): World {
  const sc = loaded.scenario;
  const lender = previous && varied ? previous : undefined;
  const reached = lender ? partsReached(varied!) : undefined;
  const lends = (part: Part) => lender !== undefined && !reached!.has(part) && sameInputs(lender.scenario, sc, part);
  // the lists of states and sectors are the lender's when they name the same, in the same order (a design varies
  // numbers only), so that what is found by list (reporter tables) is found at once
  const codes = lender && sameKeys(lender.scenario.states, sc.states, lender.codes) ? lender.codes : Object.keys(sc.states);
  const sectors = lender && sameKeys(lender.scenario.sectors, sc.sectors, lender.sectors) ? lender.sectors : Object.keys(sc.sectors);
  const n = codes.length;
  const ns = sectors.length;
  const p = sc.parameters;
  const states = codes.map((c) => sc.states[c]);
  const sectorSpecs = sectors.map((s) => sc.sectors[s]);
  const stepsPerYear = sc.stepsPerYear;
  const steps = Math.round((sc.end - sc.start) * stepsPerYear);

  const a = p.trade.gdpElasticity;
  let gdpStart: Float64Array, trend: Float64Array, trendScale: Float64Array, trendKey: string;
  if (lends('trend')) ({ gdpStart, trend, trendScale, trendKey } = lender!);
  else {
    trendKey = JSON.stringify([sc.start, stepsPerYear, steps, a, states.map((st) => [st.gdpPath ?? null, st.gdp, st.gdpYear, st.gdpGrowth])]);
    if (previous?.trendKey === trendKey) ({ gdpStart, trend, trendScale } = previous);
    else {
      const trends = states.map(gdpTrend);
      gdpStart = f64(n, (i) => trends[i](sc.start));
      trend = f64((steps + 1) * n, (k) => trends[k % n](sc.start + Math.floor(k / n) / stepsPerYear));
      trendScale = f64((steps + 1) * n, (k) => pow(trend[k] / gdpStart[k % n], a));
    }
  }

  const stateParts = lends('states') ? lender! : stateArrays(states, sectors, sectorSpecs, p, gdpStart);
  const geo: Geography = lends('geography') ? lender! : geography(sc, codes, states, p);
  const sectorParts = lends('sectors') ? lender! : sectorArrays(sectorSpecs);

  return {
    scenario: sc,
    params: p,
    policies: sc.policies,
    formulas: loaded.formulas,
    codes,
    names: stateParts.names,
    sectors,
    sectorLabels: sectorParts.sectorLabels,
    n,
    nSectors: ns,
    start: sc.start,
    end: sc.end,
    stepsPerYear,
    dt: 1 / stepsPerYear,
    steps,
    strength: sc.spillover.strength,
    gdpStart,
    trend,
    trendKey,
    trendScale,
    population: stateParts.population,
    upstream: stateParts.upstream,
    openness0: stateParts.openness0,
    securityBase: stateParts.securityBase,
    waterBase: stateParts.waterBase,
    droughtSensitivity: stateParts.droughtSensitivity,
    support0: stateParts.support0,
    poverty: stateParts.poverty,
    coop0: stateParts.coop0,
    exposure: stateParts.exposure,
    neighbour: geo.neighbour,
    logDyadFactor: geo.logDyadFactor,
    trust0: geo.trust0,
    borderBase: geo.borderBase,
    pairs: geo.pairs,
    nPairs: geo.nPairs,
    neighbourPairs: geo.neighbourPairs,
    benefit: sectorParts.benefit,
    politicalCost: sectorParts.politicalCost,
    tradeCost: sectorParts.tradeCost,
    waterRelief: sectorParts.waterRelief,
    negative: sectorParts.negative,
    role: sectorParts.role,
    agreement0: sectorParts.agreement0,
    unilateral: sectorParts.unilateral,
    securitisedBy: sectorParts.securitisedBy,
    matrix: lends('matrix') ? lender!.matrix : spilloverMatrix(sc, sectors),
    shocks: lends('shocks') ? lender!.shocks : shockPlans(sc, codes, sectors),
  };
}
