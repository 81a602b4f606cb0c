/**
 * Exact pieces of doubles, shared by the elementary functions: powers of two, and a double's high word (sign,
 * exponent and the top 20 bits of the significand, what fdlibm's GET_HIGH_WORD reads).
 */

/** POW2[e + 1024] = 2^e for e from -1024 to 1023, made by doubling and halving (exact; subnormal below -1022). */
export const POW2 = new Float64Array(2048);
POW2[1024] = 1;
for (let e = 1; e < 1024; e++) POW2[e + 1024] = POW2[e + 1023] * 2;
for (let e = -1; e >= -1024; e--) POW2[e + 1024] = POW2[e + 1025] / 2;

const word = new Float64Array(1);
const words = new Int32Array(word.buffer);
// the high word is the second Int32 on little-endian machines, the first on big-endian ones
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The high 32 bits of a double, as a signed integer. */
export function highWord(x: number): number {
  word[0] = x;
  return words[HIGH];
}

/** The double with x's low 32 bits and the high word `high` (fdlibm's SET_HIGH_WORD). */
export function withHighWord(x: number, high: number): number {
  word[0] = x;
  words[HIGH] = high;
  return word[0];
}

/** 2^-28: below it, fdlibm's exp, sinh and tanh take x itself (or 1 + x) as the answer. */
export const TWO_M28 = 3.725290298461914e-9;

/** ln 2 in two parts: LN2_HI has 32 significant bits, so k * LN2_HI is exact for |k| < 2^20. */
export const LN2_HI = 6.93147180369123816490e-1, LN2_LO = 1.90821492927058770002e-10;
