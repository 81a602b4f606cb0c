/**
 * The run's random numbers: one seeded generator per run (seedrandom's alea: in our measurement the default
 * ARC4 alone cost more than a whole simple model step), passed explicitly to whatever draws.
 */
import seedrandom from 'seedrandom';
import { exp, log } from '../math/index.js';

/** A uniform generator on [0, 1). */
export type Rng = () => number;

/** The generator of one run. */
export function makeRng(seed: number | string): Rng {
  return seedrandom.alea(String(seed));
}

// The ziggurat's 128 layers (Marsaglia & Tsang 2000, with Doornik's 2005 tables): X[i] is the right edge of layer i
// (X[0] the width of a rectangle with the base layer's area, X[1] = R where the tail starts, X[128] = 0), and
// INSIDE[i] = X[i + 1] / X[i] the share of layer i that lies wholly under the density.
const LAYERS = 128;
const TAIL = 3.442619855899;
const AREA = 9.91256303526217e-3;
const X = new Float64Array(LAYERS + 1);
const INSIDE = new Float64Array(LAYERS);
{
  let f = exp(-0.5 * TAIL * TAIL);
  X[0] = AREA / f;
  X[1] = TAIL;
  for (let i = 2; i < LAYERS; i++) {
    X[i] = Math.sqrt(-2 * log(AREA / X[i - 1] + f));
    f = exp(-0.5 * X[i] * X[i]);
  }
  X[LAYERS] = 0;
  for (let i = 0; i < LAYERS; i++) INSIDE[i] = X[i + 1] / X[i];
}

/**
 * Standard normal draws by the ziggurat method (Marsaglia & Tsang 2000, in Doornik's 2005 ZIGNOR form): a uniform
 * point in a random one of 128 equal-area layers under the density is accepted at once 98.8% of the time, with no
 * logarithm, square root or exponential (the polar method it replaced spent half a logarithm and half a square root
 * per draw, about 7% of a model step). One 32-bit uniform gives the layer (its low 7 bits) and the point (its high
 * 25 bits, so draws are multiples of about 2^-24 times the layer's width). How many uniforms a draw consumes
 * depends on the uniforms alone, never on the model's state, so runs that share a seed share their random numbers.
 */
export class NormalSampler {
  private rng: Rng;
  /** Where `next()` has `fill` write its one draw. */
  private readonly one = new Float64Array(1);
  constructor(rng: Rng) {
    this.rng = rng;
  }
  /** Starts over with another generator. */
  reset(rng: Rng): void {
    this.rng = rng;
  }
  next(): number {
    this.fill(this.one, 0, 1);
    return this.one[0];
  }

  /**
   * Writes `count` draws into `out` from `from`, the same draws as `count` calls of `next()`. A hot loop should draw
   * this way: a number returned from a call the compiler does not inline is boxed on the heap (a draw per call of
   * `next()` from the effort phase was 250 bytes of garbage a step).
   */
  fill(out: Float64Array, from: number, count: number): void {
    for (let k = from; k < from + count; k++) {
      // alea's outputs are multiples of 2^-32, so this is its 32 bits exactly
      const bits = (this.rng() * 4294967296) >>> 0;
      const i = bits & (LAYERS - 1); // the layer: the low 7 bits
      const u = ((bits >>> 7) + 0.5) * (2 / 33554432) - 1; // the point: the high 25 bits, in (-1, 1), never 0
      // two stores, not one of a conditional: merged with the call's (boxed) result, the fast path's number would
      // be boxed too
      if (Math.abs(u) < INSIDE[i]) out[k] = u * X[i];
      else out[k] = this.beyond(i, u);
    }
  }

  /** The rest of a draw whose point fell outside layer i's inner rectangle (1.2% of draws). */
  private beyond(i: number, u: number): number {
    if (i === 0) return this.tail(u < 0);
    // the layer's wedge: accept under the density, else start a new draw
    const x = u * X[i];
    const f0 = exp(-0.5 * (X[i] * X[i] - x * x));
    const f1 = exp(-0.5 * (X[i + 1] * X[i + 1] - x * x));
    return f1 + this.rng() * (f0 - f1) < 1 ? x : this.next();
  }
  /** A draw beyond the base layer's edge (Marsaglia 1964's tail method). */
  private tail(negative: boolean): number {
    let x: number, y: number;
    do {
      x = log(1 - this.rng()) / TAIL;
      y = log(1 - this.rng());
    } while (-2 * y < x * x);
    return negative ? x - TAIL : TAIL - x;
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
