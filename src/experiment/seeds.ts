/**
 * Run ids and seeds. Run id = point * replicates + replicate. A run's seed derives from (base seed, the design
 * point's values, replicate), never from a counter (after AgentPy's keyed seeds), so adding a design point leaves
 * every other run's seed, and result, as it was. With paired seeds (common random numbers: Law, Simulation Modeling
 * and Analysis, 5th ed., 2015, §11.2), the point's values are left out: replicate r of every point runs on one seed,
 * an ensemble's replicate r's, so that two points differ by their values alone and their difference varies less.
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
  private readonly paired: boolean;
  private point = -1;
  private key = '';
  /** `paired`: every point on the seeds of an ensemble (the key of a point of no parameters, ''). */
  constructor(seed: number, points: DesignPoints, paired = false) {
    this.seed = seed;
    this.points = points;
    this.paired = paired;
  }
  /** The seed of replicate `replicate` of design point `point` (an index into the points). */
  of(point: number, replicate: number): number {
    if (point !== this.point && !this.paired) {
      this.point = point;
      this.key = designKey(this.points, point);
    }
    return deriveSeed(this.seed, this.key, replicate);
  }
}

/**
 * What a run costs a shard, in whole units so that every task of an array job draws the same boundaries: computed, or
 * copied from an earlier experiment (`--reuse`: read, sealed again and written). Here a copy took 13-37 us (a local
 * disk, the earlier records in the page cache; 20,000 copies, 190 MB written) against some 150 for a run computed in a
 * shard, warm-up included; a shared file system makes copies dearer. So a copy counts a quarter.
 */
const COMPUTED = 4, COPIED = 1;

/** What runs cost, in units of COPIED (a computed run COMPUTED); a run set in `copied` is a copied one. */
function unitsOf(runs: number, copied?: Uint8Array): number {
  let total = 0;
  for (let id = 0; id < runs; id++) total += copied?.[id] ? COPIED : COMPUTED;
  return total;
}

/** What runs cost, in computed runs: a copied one (set in `copied`) counts a quarter. */
export function runsCost(runs: number, copied?: Uint8Array): number {
  return unitsOf(runs, copied) / COMPUTED;
}

/**
 * The runs of shard `index` (1-based) of `count`: a contiguous block, the blocks tiling [0, runs). Without `copied`,
 * blocks of equal runs. With it (one byte a run, set for the runs an earlier experiment gives), blocks of equal cost:
 * when an experiment grows with `--reuse`, its copied runs sit at the start of each point, most often of the whole
 * experiment, and equal blocks left the first shards with nothing to compute while the last computed everything. Each
 * boundary k is the last run id whose runs before it cost at most k / count of the whole, so equal costs give the
 * equal blocks; no block is empty while there are as many runs as shards.
 */
export function shardRange(runs: number, index: number, count: number, copied?: Uint8Array): { first: number; end: number } {
  if (!copied) return { first: Math.floor(((index - 1) * runs) / count), end: Math.floor((index * runs) / count) };
  const total = unitsOf(runs, copied);
  let first = 0, end = 0;
  for (let id = 0, cost = 0; id <= runs; id++) {
    if (cost * count <= (index - 1) * total) first = id;
    if (cost * count > index * total) break;
    end = id;
    if (id < runs) cost += copied[id] ? COPIED : COMPUTED;
  }
  // at least one run a shard: boundary k within [k, runs - (count - k)]
  const within = (id: number, k: number) => (count > runs ? id : Math.min(runs - (count - k), Math.max(k, id)));
  return { first: within(first, index - 1), end: within(end, index) };
}
