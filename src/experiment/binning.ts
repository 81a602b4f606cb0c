/**
 * How a kept series is binned for its quantiles, chosen by what the variable is. Fixed bins make counts
 * independent of the order values arrive in, and two histograms of one series add up bin by bin.
 * - 0-1 series: linear bins of 1/4096.
 * - The Balassa stage (an integer 0-6): one bin per stage.
 * - Money: log-linear bins from 1e3 to 1e15 USD, 256 per doubling (at most 0.39% wide).
 * - Anything else (attribution terms, spillover flows, counts): log-linear bins of either sign, 64 per doubling
 *   (at most 1.6% wide) for magnitudes from 2^-30 (about 1e-9, below which a value counts as 0) to 2^20.
 * Log-linear bins are read straight off a Float32's bits, as HdrHistogram does (Tene 2012): for positive floats
 * the bit pattern orders like the value, so its exponent and leading mantissa bits, shifted, are a bin number;
 * no logarithm is computed. Records hold Float32, so nothing is lost by binning their bits.
 */

export const LINEAR = 0, DISCRETE = 1, LOG = 2, SIGNED = 3;

export interface Binning {
  kind: number;
  bins: number;
  /** LINEAR, DISCRETE: value at the low edge of bin 0, and bins per unit. */
  origin: number;
  scale: number;
  /** LOG, SIGNED: bits dropped, and the shifted bits of the smallest magnitude binned. */
  shift: number;
  first: number;
  /** SIGNED: the bin of zero (and of magnitudes below the smallest), with `zero - 1` bins on each side. */
  zero: number;
}

const bits32 = new Uint32Array(1);
const float32 = new Float32Array(bits32.buffer);

/** The bits of a number rounded to Float32. */
export function floatBits(x: number): number {
  float32[0] = x;
  return bits32[0];
}

/** The Float32 with these bits. */
export function bitsFloat(bits: number): number {
  bits32[0] = bits;
  return float32[0];
}

function linear(lo: number, hi: number, bins: number, kind = LINEAR): Binning {
  return { kind, bins, origin: lo, scale: bins / (hi - lo), shift: 0, first: 0, zero: 0 };
}

function logLinear(kind: number, lo: number, hi: number, perDoubling: number): Binning {
  const shift = 23 - Math.log2(perDoubling);
  const first = floatBits(lo) >>> shift;
  const span = (floatBits(hi) >>> shift) - first + 1;
  return kind === LOG
    ? { kind, bins: span, origin: 0, scale: 0, shift, first, zero: 0 }
    : { kind, bins: 2 * span + 1, origin: 0, scale: 0, shift, first, zero: span };
}

const UNIT = /^(cooperation\.|agreement\.)|^(trust|border|security|water_stress|support|openness|integration_index|negative_integration|positive_integration|institutions)$/;

/** The binning of a variable's series. */
export function binningFor(variable: string): Binning {
  if (UNIT.test(variable)) return linear(0, 1, 4096);
  if (variable === 'balassa_stage') return linear(-0.5, 6.5, 7, DISCRETE);
  if (variable.endsWith('_usd')) return logLinear(LOG, 1e3, 1e15, 256);
  return logLinear(SIGNED, 2 ** -30, 2 ** 20, 64);
}

/** The binning of each kept series of an experiment (cell-major within each step, like the records). */
export function seriesBinnings(meta: { cells: Array<{ variable: string }>; times: unknown[] }): Binning[] {
  const perCell = meta.cells.map((c) => binningFor(c.variable));
  return Array.from({ length: meta.cells.length * meta.times.length }, (_, v) => perCell[v % meta.cells.length]);
}

/**
 * The bin of a value, given as a number and as its Float32 bits (the hot loop in histograms.ts inlines the
 * same arithmetic). Values beyond the range fall into the end bins.
 */
export function binOf(b: Binning, x: number, bits: number): number {
  let bin: number;
  if (b.kind === LINEAR || b.kind === DISCRETE) bin = Math.floor((x - b.origin) * b.scale);
  else if (b.kind === LOG) bin = x > 0 ? (bits >>> b.shift) - b.first : 0;
  else {
    const j = ((bits & 0x7fffffff) >>> b.shift) - b.first;
    if (j < 0) return b.zero;
    const k = j < b.zero - 1 ? j : b.zero - 1;
    return bits >>> 31 ? b.zero - 1 - k : b.zero + 1 + k;
  }
  return bin < 0 ? 0 : bin >= b.bins ? b.bins - 1 : bin;
}

/** The value at the low (or, with `upper`, the high) edge of a bin (for SIGNED, the zero bin is [0, 0]). */
export function binEdge(b: Binning, bin: number, upper: boolean): number {
  const edge = upper ? bin + 1 : bin;
  if (b.kind === LINEAR || b.kind === DISCRETE) return b.origin + edge / b.scale;
  if (b.kind === LOG) return bitsFloat((b.first + edge) << b.shift);
  if (bin === b.zero) return 0;
  if (bin > b.zero) return bitsFloat((b.first + edge - b.zero - 1) << b.shift);
  // below zero the bins mirror those above: this bin's low edge is minus the high edge of its mirror
  return -bitsFloat((b.first + b.zero - bin - (upper ? 1 : 0)) << b.shift);
}

/** The values at the low and high edges of a bin (for SIGNED, the zero bin is [0, 0]). */
export function binEdges(b: Binning, bin: number): [number, number] {
  return [binEdge(b, bin, false), binEdge(b, bin, true)];
}

/**
 * The k-th smallest (0-based) of a series' values, from the bin it falls in: `below` values lie in lower bins and
 * `count` in this one, which are taken as spread evenly across it (a discrete bin's values sit at its centre); the
 * result is bounded by the observed minimum and maximum.
 */
export function placeInBin(b: Binning, bin: number, k: number, below: number, count: number, min: number, max: number): number {
  const a = binEdge(b, bin, false), z = binEdge(b, bin, true);
  const within = b.kind === DISCRETE ? 0.5 : (k - below + 0.5) / count;
  return Math.min(max, Math.max(min, a + (z - a) * within));
}
