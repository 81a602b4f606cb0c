/**
 * Design points of an experiment: each gives a value to every parameter path of the design, and a design holds them
 * packed (`DesignPoints`), made into objects one at a time where one is wanted. Grids are full factorials in the
 * order the parameters are listed (the last varies fastest); Latin hypercubes (McKay, Beckman & Conover 1979)
 * put one point in each of `samples` equal strata of every parameter, paired at random from the seed.
 */
import { deriveSeed, makeRng } from '../engine/rng.js';

export type DesignPoint = Record<string, number>;

/**
 * A design's points, packed: point k's value of parameter `parameters[j]` at `values[k * parameters.length + j]`. As
 * objects, a design of a million points took some 130 MB in each thread that held it (the main thread and every
 * worker); packed, 8 bytes a value. A design without parameters (an ensemble) has one point and no values.
 */
export interface DesignPoints {
  parameters: string[];
  count: number;
  values: Float64Array;
}

/** Point k of a design as an object, its keys in the order of the design's parameters. */
export function pointAt(design: DesignPoints, k: number): DesignPoint {
  const { parameters, values } = design;
  const point: DesignPoint = {};
  for (let j = 0; j < parameters.length; j++) point[parameters[j]] = values[k * parameters.length + j];
  return point;
}

/** Points given as objects, packed (every point must have every parameter). */
export function packPoints(points: DesignPoint[], parameters: string[]): DesignPoints {
  const values = new Float64Array(points.length * parameters.length);
  points.forEach((p, k) => parameters.forEach((name, j) => (values[k * parameters.length + j] = p[name])));
  return { parameters, count: points.length, values };
}

/** Full factorial in the order the parameters are listed, the last varying fastest. */
export function gridPoints(parameters: Record<string, number[]>): DesignPoints {
  const names = Object.keys(parameters);
  const count = names.reduce((n, name) => n * parameters[name].length, 1);
  const values = new Float64Array(count * names.length);
  for (let k = 0; k < count; k++) {
    let rest = k;
    for (let j = names.length - 1; j >= 0; j--) {
      const levels = parameters[names[j]];
      values[k * names.length + j] = levels[rest % levels.length];
      rest = Math.floor(rest / levels.length);
    }
  }
  return { parameters: names, count, values };
}

/** The value of a hypercube's sample in stratum `stratum` of `samples`, `u` (in [0, 1)) of the way across it. */
function lhsValue(low: number, high: number, stratum: number, u: number, samples: number): number {
  return low + ((stratum + u) / samples) * (high - low);
}

/** The largest uniform alea gives: its draws are multiples of 2^-32 below 1. */
const LAST_UNIFORM = 1 - 2 ** -32;

/**
 * The largest value a hypercube of `samples` can give a parameter with these bounds: the high bound itself is never
 * drawn (save by rounding, in designs of a million samples or so), so a rule that excludes it is met by every sample.
 */
export function lhsHighest(low: number, high: number, samples: number): number {
  return lhsValue(low, high, samples - 1, LAST_UNIFORM, samples);
}

export function lhsPoints(parameters: Record<string, [number, number]>, samples: number, seed: number): DesignPoints {
  const names = Object.keys(parameters);
  const values = new Float64Array(samples * names.length);
  const strata = new Int32Array(samples);
  names.forEach((path, j) => {
    const [low, high] = parameters[path];
    const rng = makeRng(deriveSeed(seed, 'lhs', path));
    for (let k = 0; k < samples; k++) strata[k] = k;
    for (let k = samples - 1; k > 0; k--) {
      const i = Math.floor(rng() * (k + 1));
      const s = strata[k];
      strata[k] = strata[i];
      strata[i] = s;
    }
    for (let k = 0; k < samples; k++) values[k * names.length + j] = lhsValue(low, high, strata[k], rng(), samples);
  });
  return { parameters: names, count: samples, values };
}

/**
 * The first point of a design that repeats an earlier one, as [earlier, later], or undefined when every point is
 * distinct. A point's runs are seeded from its values (`designKey`), so a repeated point repeats the same runs: copies
 * that a study would count as independent replicates. Points are compared by value (0 and -0 are one, as in their keys);
 * found through a table of hashes of their values, so that a design of a million points costs no map of a million keys.
 */
export function repeatedPoint(design: DesignPoints): [number, number] | undefined {
  const { count, values } = design;
  const width = design.parameters.length;
  if (count < 2) return undefined;
  if (width === 0) return [0, 1];
  let size = 1;
  while (size < count * 2) size *= 2;
  const table = new Int32Array(size).fill(-1);
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const same = (a: number, b: number) => {
    for (let j = 0; j < width; j++) if (values[a * width + j] !== values[b * width + j]) return false;
    return true;
  };
  for (let k = 0; k < count; k++) {
    let h = 0x811c9dc5;
    for (let j = 0; j < width; j++) {
      bits[0] = values[k * width + j] + 0; // -0 + 0 is 0
      h = Math.imul(h ^ words[0], 0x01000193);
      h = Math.imul(h ^ words[1], 0x01000193);
    }
    h ^= h >>> 15;
    for (let slot = h & (size - 1); ; slot = (slot + 1) & (size - 1)) {
      const other = table[slot];
      if (other < 0) {
        table[slot] = k;
        break;
      }
      if (same(other, k)) return [other, k];
    }
  }
  return undefined;
}

/** A design point's identity for seeding: its values, so adding other points changes nothing about it. */
export function pointKey(point: DesignPoint): string {
  return Object.keys(point)
    .sort()
    .map((k) => `${k}=${point[k]}`)
    .join('&');
}

/** `pointKey` of point k of a design, without making the point. */
export function designKey(design: DesignPoints, k: number): string {
  const { parameters, values } = design;
  const order = sortedParameters(parameters);
  let key = '';
  for (let i = 0; i < order.length; i++) key += `${i > 0 ? '&' : ''}${parameters[order[i]]}=${values[k * parameters.length + order[i]]}`;
  return key;
}

/**
 * The indices of `parameters` in the sorted order of their names, as `pointKey` and canonical JSON take a point's keys
 * (by UTF-16 code units, `sort()`'s order); kept by array.
 */
const orders = new WeakMap<string[], number[]>();
export function sortedParameters(parameters: string[]): number[] {
  let order = orders.get(parameters);
  if (!order) orders.set(parameters, (order = parameters.map((_, j) => j).sort((a, b) => (parameters[a] < parameters[b] ? -1 : parameters[a] > parameters[b] ? 1 : 0))));
  return order;
}

/**
 * The JSON text of an object whose `points` is empty, cut where its points go: what comes before them and after, so
 * that a million points can be written or hashed a point at a time between the two (`experiment.json`, the
 * experiment's hash) instead of as one string of some 136 MB.
 */
export function aroundPoints(text: string): [string, string] {
  // the key, not text inside a string value: there every quote is escaped
  const at = text.indexOf('"points":[]') + '"points":['.length;
  return [text.slice(0, at), text.slice(at)];
}
