/**
 * Run ids and seeds. Run id = point * replicates + replicate. A run's seed derives from (base seed, the design
 * point's values, replicate), never from a counter (after AgentPy's keyed seeds), so adding a design point leaves
 * every other run's seed, and result, as it was.
 */
import { deriveSeed } from '../engine/rng.js';
import { designKey, pointKey, type DesignPoint, type DesignPoints } from './design.js';

export function runSeed(seed: number, point: DesignPoint, replicate: number): number {
  return deriveSeed(seed, pointKey(point), replicate);
}

/**
 * `runSeed` for runs taken in run-id order, each design point's key made once, not once a run: the key writes the
 * point's values as text, some microseconds a run, paid by the worker and again by the main thread's runs.csv rows.
 */
export class RunSeeds {
  private readonly seed: number;
  private readonly points: DesignPoints;
  private point = -1;
  private key = '';
  constructor(seed: number, points: DesignPoints) {
    this.seed = seed;
    this.points = points;
  }
  /** The seed of replicate `replicate` of design point `point` (an index into the points). */
  of(point: number, replicate: number): number {
    if (point !== this.point) {
      this.point = point;
      this.key = designKey(this.points, point);
    }
    return deriveSeed(this.seed, this.key, replicate);
  }
}

/** The runs of shard `index` (1-based) of `count`: a contiguous block, the blocks tiling [0, runs). */
export function shardRange(runs: number, index: number, count: number): { first: number; end: number } {
  return { first: Math.floor(((index - 1) * runs) / count), end: Math.floor((index * runs) / count) };
}
