/**
 * The run's random numbers: one seeded generator per run (seedrandom's alea: in our measurement the default
 * ARC4 alone cost more than a whole simple model step), passed explicitly to whatever draws.
 */
import seedrandom from 'seedrandom';

/** A uniform generator on [0, 1). */
export type Rng = () => number;

/** The generator of one run. */
export function makeRng(seed: number | string): Rng {
  return seedrandom.alea(String(seed));
}

/**
 * Standard normal draws by Marsaglia's polar method (Marsaglia & Bray 1964): a uniform point in the unit disc
 * gives two draws with one logarithm and no sine or cosine; the second is kept for the next call. How many
 * uniforms a draw consumes depends on the uniforms alone, never on the model's state, so runs that share a seed
 * still share their random numbers.
 */
export class NormalSampler {
  private rng: Rng;
  private spare = 0;
  private hasSpare = false;
  constructor(rng: Rng) {
    this.rng = rng;
  }
  /** Starts over with another generator (no spare draw kept). */
  reset(rng: Rng): void {
    this.rng = rng;
    this.spare = 0;
    this.hasSpare = false;
  }
  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.rng() - 1;
      v = 2 * this.rng() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }
}

/**
 * A 32-bit seed derived from keys (base seed, design point, replicate, ...), never from a counter, so that
 * adding a run changes no other run's seed. FNV-1a over the joined keys, then murmur3's finaliser to spread
 * the bits (Fowler, Noll & Vo; Appleby's MurmurHash3).
 */
export function deriveSeed(...keys: Array<string | number>): number {
  const text = keys.join('\u001f');
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
