/** The natural logarithm, as fdlibm's e_log.c computes it (Sun Microsystems 1993, FreeBSD msun). */
import { highWord, LN2_HI, LN2_LO, POW2 } from './float.js';

// the polynomial in s = f / (2 + f)
const LG1 = 6.666666666666735130e-1, LG2 = 3.999999999940941908e-1, LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1, LG5 = 1.818357216161805012e-1, LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;
const MIN_NORMAL = 2.2250738585072014e-308, TWO_54 = 1.8014398509481984e16;

/** Where the rare cases below leave their result (see `log`). */
const OUT = new Float64Array(1);

/**
 * ln x, the bits of fdlibm's e_log.c (and of V8 11's `Math.log`, which is that code). Written so that V8 inlines it
 * and keeps its result an unboxed double, like `exp` (see there): the common case's bytecode under V8's limit, and the
 * rare cases in functions of their own that leave their result in OUT instead of returning it, since a branch that
 * returns the result of a call V8 does not inline makes it box the result of every branch.
 */
export function log(x: number): number {
  if (x >= MIN_NORMAL && x < Infinity) return logNormal(x, 0);
  logRare(x);
  return OUT[0];
}

/** log of zero, negatives, NaN, infinity, and of subnormals (scaled by 2^54 first, as e_log.c does), into OUT. */
function logRare(x: number): void {
  OUT[0] = x > 0 && x < Infinity ? logNormal(x * TWO_54, -54) : x === 0 ? -Infinity : x === Infinity ? x : NaN;
}

/** ln x + k ln 2 for a normal x. */
function logNormal(x: number, k: number): number {
  const high = highWord(x);
  const hx = high & 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  const e = (high >> 20) - 1023 + (i >> 20);
  k += e;
  // e_log.c sets x's exponent so that x lies in [sqrt(2)/2, sqrt(2)) by writing its high word: that is x * 2^-e,
  // exactly, with no store of a half double (which stalls the load after it: 33 ns a logarithm instead of 10)
  const f = x * POW2[1024 - e] - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) {
    logNearPower(f, k);
    return OUT[0];
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const R = t2 + t1;
  // e_log.c returns f - (...) when k = 0: the same number as 0 * LN2_HI - ((...) - f), the form taken here for any k
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k * LN2_HI - ((hfsq - (s * (hfsq + R) + k * LN2_LO)) - f);
  }
  return k * LN2_HI - ((s * (f - R) - k * LN2_LO) - f);
}

/** e_log.c's case |f| < 2^-20 (x within 2^-20 of a power of two), into OUT. */
function logNearPower(f: number, k: number): void {
  if (f === 0) OUT[0] = k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
  else {
    const R = f * f * (0.5 - 0.33333333333333333 * f);
    OUT[0] = k === 0 ? f - R : k * LN2_HI - ((R - k * LN2_LO) - f);
  }
}

const LN10 = 2.302585092994046, LN2 = 0.6931471805599453;

/** log10 x as ln x / ln 10 (deterministic, not `Math.log10`: within a unit or two in the last place). */
export function log10(x: number): number {
  return log(x) / LN10;
}

/** log2 x as ln x / ln 2 (deterministic, not `Math.log2`). */
export function log2(x: number): number {
  return log(x) / LN2;
}
