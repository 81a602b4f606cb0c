/**
 * Sine and cosine, as fdlibm computes them (Sun Microsystems 1993, FreeBSD msun's s_sin.c, s_cos.c, k_sin.c, k_cos.c
 * and e_rem_pio2.c), following stdlib's port line for line. The engine takes them of latitudes and of half differences
 * of coordinates, so |x| <= pi; a scenario's formula may take them of any number, and arguments beyond 2^20 pi / 2 are
 * reduced by a table of 2/pi's bits (rem-pio2-large.ts).
 */
import { highWord } from './float.js';
import { reduceLarge } from './rem-pio2-large.js';

const S1 = -1.66666666666666324348e-1, S2 = 8.33333333332248946124e-3, S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6, S5 = -2.50507602534068634195e-8, S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-2, C2 = -1.38888888888741095749e-3, C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7, C5 = 2.08757232129817482790e-9, C6 = -1.13596475577881948265e-11;

/** sin(x + y) for |x + y| <= pi / 4, y a tail below x's last place (k_sin.c). */
function kernelSin(x: number, y: number): number {
  const z = x * x;
  const w = z * z;
  const r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  const v = z * x;
  if (y === 0) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

/** cos(x + y) for |x + y| <= pi / 4 (k_cos.c). */
function kernelCos(x: number, y: number): number {
  const z = x * x;
  let w = z * z;
  const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  const hz = 0.5 * z;
  w = 1.0 - hz;
  return w + (((1.0 - w) - hz) + (z * r - x * y));
}

// pi / 2 in parts of 33 bits, each with the tail that follows it
const PIO2_1 = 1.57079632673412561417, PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.07710050630396597660e-11, PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.02226624871116645580e-21, PIO2_3T = 8.47842766036889956997e-32;
const INV_PIO2 = 6.36619772367581382433e-1;
// high words of |x| at which e_rem_pio2.c changes case
const PIO4 = 0x3fe921fb, THREE_PIO4 = 0x4002d97c, FIVE_PIO4 = 0x400f6a7a, THREE_PIO2 = 0x4012d97c;
const SEVEN_PIO4 = 0x4015fdbc, TWO_PI = 0x401921fb, NINE_PIO4 = 0x401c463b, MEDIUM = 0x413921fb;

/** The reduced argument of the last `reduce`: x - n pi / 2 = REDUCED[0] + REDUCED[1]. */
const REDUCED = new Float64Array(2);

/** x - n pi / 2 into REDUCED, n returned (n mod 8 beyond 2^20 pi / 2), for finite |x| from pi / 4 on (e_rem_pio2.c). */
function reduce(x: number, high: number): number {
  const ix = high & 0x7fffffff;
  const positive = high > 0;
  let n = 0;
  if (ix <= FIVE_PIO4) {
    if ((ix & 0xfffff) === 0x921fb) return reduceMedium(x, ix); // cancellation: the careful case
    n = ix <= THREE_PIO4 ? 1 : 2;
  } else if (ix <= NINE_PIO4) {
    if (ix <= SEVEN_PIO4) {
      if (ix === THREE_PIO2) return reduceMedium(x, ix);
      n = 3;
    } else {
      if (ix === TWO_PI) return reduceMedium(x, ix);
      n = 4;
    }
  } else if (ix < MEDIUM) return reduceMedium(x, ix);
  else return reduceLarge(x, REDUCED);
  // n pi / 2 in one subtraction of n PIO2_1 (exact) and its tail
  const tail = n * PIO2_1T;
  if (positive) {
    const z = x - n * PIO2_1;
    REDUCED[0] = z - tail;
    REDUCED[1] = (z - REDUCED[0]) - tail;
    return n;
  }
  const z = x + n * PIO2_1;
  REDUCED[0] = z + tail;
  REDUCED[1] = (z - REDUCED[0]) + tail;
  return -n;
}

/** e_rem_pio2.c's medium case: pi / 2 taken off in up to three parts, as many as the cancellation needs. */
function reduceMedium(x: number, ix: number): number {
  const n = Math.round(x * INV_PIO2);
  let r = x - n * PIO2_1;
  let w = n * PIO2_1T;
  const j = ix >> 20;
  REDUCED[0] = r - w;
  if (j - ((highWord(REDUCED[0]) >> 20) & 0x7ff) > 16) {
    let t = r;
    w = n * PIO2_2;
    r = t - w;
    w = n * PIO2_2T - ((t - r) - w);
    REDUCED[0] = r - w;
    if (j - ((highWord(REDUCED[0]) >> 20) & 0x7ff) > 49) {
      t = r;
      w = n * PIO2_3;
      r = t - w;
      w = n * PIO2_3T - ((t - r) - w);
      REDUCED[0] = r - w;
    }
  }
  REDUCED[1] = (r - REDUCED[0]) - w;
  return n;
}

/** sin x (s_sin.c). */
export function sin(x: number): number {
  const high = highWord(x);
  const ix = high & 0x7fffffff;
  if (ix <= PIO4) return ix < 0x3e500000 ? x : kernelSin(x, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = reduce(x, high);
  const [y0, y1] = REDUCED;
  switch (n & 3) {
    case 0: return kernelSin(y0, y1);
    case 1: return kernelCos(y0, y1);
    case 2: return -kernelSin(y0, y1);
    default: return -kernelCos(y0, y1);
  }
}

/** cos x (s_cos.c). */
export function cos(x: number): number {
  const high = highWord(x);
  const ix = high & 0x7fffffff;
  if (ix <= PIO4) return ix < 0x3e400000 ? 1 : kernelCos(x, 0);
  if (ix >= 0x7ff00000) return NaN;
  const n = reduce(x, high);
  const [y0, y1] = REDUCED;
  switch (n & 3) {
    case 0: return kernelCos(y0, y1);
    case 1: return -kernelSin(y0, y1);
    case 2: return -kernelCos(y0, y1);
    default: return kernelSin(y0, y1);
  }
}
