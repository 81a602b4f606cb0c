/** e^x, as fdlibm's e_exp.c computes it (Sun Microsystems 1993, FreeBSD msun), in operations JavaScript fixes. */
import { LN2_HI, LN2_LO, POW2, TWO_M28 } from './float.js';

const INV_LN2 = 1.44269504088896338700;
// the largest and smallest arguments of a finite, nonzero result
const EXP_MAX = 7.09782712893383973096e2, EXP_MIN = -7.45133219101941108420e2, TWO_M1000 = 9.33263618503218878990e-302;
const P1 = 1.66666666666666019037e-1, P2 = -2.77777777770155933842e-3, P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6, P5 = 4.13813679705723846039e-8;
// e_exp.c compares the high word of |x| with 0x3e300000 (2^-28) and 0x3fd62e42 (about ln 2 / 2) (and 0x3ff0a2b2, about
// 3 ln 2 / 2: see `exp`). A comparison of high words is one with the double of that high word and a zero low word (for
// "above 0x3fd62e42", the double of high word 0x3fd62e43): these are those doubles, so no bits of x need reading.
const TINY = TWO_M28, HALF_LN2 = 0.3465735912322998;

/**
 * e^x, the bits of fdlibm's e_exp.c (and of V8 11's `Math.exp`, which is that code). Written so that V8 inlines it and
 * keeps its result an unboxed double: its bytecode under the limit of 460 bytes, the rare cases in a function that
 * leaves its result in OUT. A call that is not inlined, or a branch that returns a call's result or a constant such as
 * Infinity, made V8 box the result of every call on the heap: the engine allocated 18 KB a run more than with
 * `Math.exp` and `Math.log`, and its worker ran 10% slower.
 */
export function exp(x: number): number {
  const a = x < 0 ? -x : x;
  if (!(a >= TINY && x <= EXP_MAX && x >= EXP_MIN)) {
    expRare(x);
    return OUT[0];
  }
  // x = k ln 2 + r, |r| <= ln 2 / 2, with r held as hi - lo (below ln 2 / 2, k = 0 and r = x: e_exp.c's own formula
  // for that case, 1 - ((x c) / (c - 2) - x), is the same number as the general one with hi = x and lo = 0)
  let hi = x, lo = 0, k = 0;
  if (a >= HALF_LN2) {
    // e_exp.c takes k = ±1 below 3 ln 2 / 2 and rounds x / ln 2 above: the rounding gives ±1 there too (from
    // 1.0000000013 to 1.99999996), so one formula serves
    k = Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
    hi = x - k * LN2_HI; // exact
    lo = k * LN2_LO;
  }
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1 - ((lo - (r * c) / (2.0 - c)) - hi);
  // y * 2^k, in two factors where 2^k alone would overflow or be subnormal, as e_exp.c does
  if (k < -1021) return y * POW2[k + 1000 + 1024] * TWO_M1000;
  return k < 1024 ? y * POW2[k + 1024] : y * 2 * POW2[1023 + 1024];
}

/** Where `expRare` leaves its result. */
const OUT = new Float64Array(1);

/** exp of NaN, of arguments beyond the finite nonzero results, and of |x| < 2^-28, into OUT. */
function expRare(x: number): void {
  OUT[0] = x !== x ? x : x > EXP_MAX ? Infinity : x < EXP_MIN ? 0 : 1 + x;
}
