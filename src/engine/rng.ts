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
 * Standard normal draws by the Box-Muller transform (Box & Muller 1958): each pair of uniforms gives two
 * draws, the second kept for the next call.
 */
export class NormalSampler {
  private readonly rng: Rng;
  private spare = 0;
  private hasSpare = false;
  constructor(rng: Rng) {
    this.rng = rng;
  }
  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.rng()));
    const angle = 2 * Math.PI * this.rng();
    this.spare = r * Math.sin(angle);
    this.hasSpare = true;
    return r * Math.cos(angle);
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
