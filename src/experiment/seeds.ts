/**
 * Run ids and seeds. Run id = point * replicates + replicate. A run's seed derives from (base seed, the design
 * point's values, replicate), never from a counter (after AgentPy's keyed seeds), so adding a design point leaves
 * every other run's seed, and result, as it was.
 */
import { deriveSeed } from '../engine/rng.js';
import { pointKey, type DesignPoint } from './design.js';

export function runSeed(seed: number, point: DesignPoint, replicate: number): number {
  return deriveSeed(seed, pointKey(point), replicate);
}

/** The runs of shard `index` (1-based) of `count`: a contiguous block, the blocks tiling [0, runs). */
export function shardRange(runs: number, index: number, count: number): { first: number; end: number } {
  return { first: Math.floor(((index - 1) * runs) / count), end: Math.floor((index * runs) / count) };
}
