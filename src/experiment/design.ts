/**
 * Design points of an experiment: each is a map from parameter path to value. Grids are full factorials in the
 * order the parameters are listed (the last varies fastest); Latin hypercubes (McKay, Beckman & Conover 1979)
 * put one point in each of `samples` equal strata of every parameter, paired at random from the seed.
 */
import { deriveSeed, makeRng } from '../engine/rng.js';

export type DesignPoint = Record<string, number>;

export function gridPoints(parameters: Record<string, number[]>): DesignPoint[] {
  let points: DesignPoint[] = [{}];
  for (const [path, values] of Object.entries(parameters)) points = points.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  return points;
}

export function lhsPoints(parameters: Record<string, [number, number]>, samples: number, seed: number): DesignPoint[] {
  const points: DesignPoint[] = Array.from({ length: samples }, () => ({}));
  for (const [path, [low, high]] of Object.entries(parameters)) {
    const rng = makeRng(deriveSeed(seed, 'lhs', path));
    const strata = Array.from({ length: samples }, (_, k) => k);
    for (let k = samples - 1; k > 0; k--) {
      const j = Math.floor(rng() * (k + 1));
      [strata[k], strata[j]] = [strata[j], strata[k]];
    }
    strata.forEach((s, k) => {
      points[k][path] = low + ((s + rng()) / samples) * (high - low);
    });
  }
  return points;
}

/** A design point's identity for seeding: its values, so adding other points changes nothing about it. */
export function pointKey(point: DesignPoint): string {
  return Object.keys(point)
    .sort()
    .map((k) => `${k}=${point[k]}`)
    .join('&');
}

/**
 * Design points as one array of numbers, point-major in the order of `parameters`: what goes to a worker thread. A
 * worker took 2.4 s to receive a million points as objects (the structured clone copies each), and a few
 * milliseconds as numbers.
 */
export function packPoints(points: DesignPoint[], parameters: string[]): Float64Array {
  const values = new Float64Array(points.length * parameters.length);
  points.forEach((p, k) => parameters.forEach((name, j) => (values[k * parameters.length + j] = p[name])));
  return values;
}

/** The `count` design points `packPoints` packed. */
export function unpackPoints(values: Float64Array, parameters: string[], count: number): DesignPoint[] {
  return Array.from({ length: count }, (_, k) => Object.fromEntries(parameters.map((name, j) => [name, values[k * parameters.length + j]])));
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
