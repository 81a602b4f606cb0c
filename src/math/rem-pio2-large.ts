/**
 * x - n pi / 2 for |x| from 2^20 pi / 2 up to the largest double, as fdlibm reduces it (Sun Microsystems 1993; FreeBSD
 * msun's k_rem_pio2.c and the large case of e_rem_pio2.c, after Payne & Hanek 1983): x's 53 bits are multiplied by
 * just the bits of 2/pi that reach the fraction of x 2/pi, taken 24 at a time from a table, in exact double
 * arithmetic, and the fraction is carried on until it keeps enough bits. Follows stdlib's port
 * (@stdlib/math-base-special-rempio2) line for line, with its recursion made a loop. Such arguments reach sin and cos
 * only from a scenario's formula, never from the engine's own distances.
 */
import { highWord, POW2, withHighWord } from './float.js';

/** 2/pi in 24-bit pieces: enough for any double's exponent. */
const IPIO2 = new Float64Array([
  0xa2f983, 0x6e4e44, 0x1529fc, 0x2757d1, 0xf534dd, 0xc0db62, 0x95993c, 0x439041, 0xfe5163, 0xabdebb, 0xc561b7,
  0x246e3a, 0x424dd2, 0xe00649, 0x2eea09, 0xd1921c, 0xfe1deb, 0x1cb129, 0xa73ee8, 0x8235f5, 0x2ebb44, 0x84e99c,
  0x7026b4, 0x5f7e41, 0x3991d6, 0x398353, 0x39f49c, 0x845f8b, 0xbdf928, 0x3b1ff8, 0x97ffde, 0x05980f, 0xef2f11,
  0x8b5a0a, 0x6d1f6d, 0x367ecf, 0x27cb09, 0xb74f46, 0x3f669e, 0x5fea2d, 0x7527ba, 0xc7ebe5, 0xf17b3d, 0x0739f7,
  0x8a5292, 0xea6bfb, 0x5fb11f, 0x8d5d08, 0x560330, 0x46fc7b, 0x6babf0, 0xcfbc20, 0x9af436, 0x1da9e3, 0x91615e,
  0xe61b08, 0x659985, 0x5f14a0, 0x68408d, 0xffd880, 0x4d7327, 0x310606, 0x1556ca, 0x73a8c9, 0x60e27b, 0xc08c6b,
]);

/** pi / 2 in pieces of 24 bits. */
const PIO2 = new Float64Array([
  1.57079625129699707031e+0, 7.54978941586159635335e-8, 5.39030252995776476554e-15, 3.28200341580791294123e-22,
  1.27065575308067607349e-29, 1.22933308981111328932e-36, 2.73370053816464559624e-44, 2.16741683877804819444e-51,
]);

const TWO24 = 16777216, TWON24 = 5.96046447753906250000e-8;
/** Terms of PIO2 and of the first product taken (k_rem_pio2.c's jk for double precision). */
const JK = 4;

// k_rem_pio2.c's arrays: x in 24-bit pieces, 2/pi's pieces in use, the products, and the fraction's 24-bit pieces
const TX = new Float64Array(3), F = new Float64Array(20), Q = new Float64Array(20), FQ = new Float64Array(20);
const IQ = new Int32Array(20);

/** 2^e, for the exponents this reduction meets (well within the doubles'). */
const pow2 = (e: number) => POW2[e + 1024];

/**
 * Reduces finite x, |x| >= 2^20 pi / 2: writes y[0] + y[1] = x - n pi / 2 (|y| <= pi / 4) and returns n mod 8 with
 * x's sign (e_rem_pio2.c's large case).
 */
export function reduceLarge(x: number, y: Float64Array): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  // z = |x| scaled by 2^-e0 into [2^23, 2^24), then cut into three 24-bit pieces
  const e0 = (ix >> 20) - 1046;
  let z = withHighWord(x, ix - (e0 << 20));
  for (let i = 0; i < 2; i++) {
    TX[i] = z | 0;
    z = (z - TX[i]) * TWO24;
  }
  TX[2] = z;
  let nx = 3;
  while (TX[nx - 1] === 0) nx--;
  const n = kernel(e0, nx, y);
  if (hx < 0) {
    y[0] = -y[0];
    y[1] = -y[1];
    return -n;
  }
  return n;
}

/** k_rem_pio2.c for double precision (prec 1): TX[0..nx) times 2/pi from bit e0 on, into y; returns n mod 8. */
function kernel(e0: number, nx: number, y: Float64Array): number {
  const jx = nx - 1;
  let jv = ((e0 - 3) / 24) | 0;
  if (jv < 0) jv = 0;
  let q0 = e0 - 24 * (jv + 1);
  // F[0..jx+JK] = IPIO2[jv-jx .. jv+JK], zeros before the table's start
  for (let i = 0, j = jv - jx; i <= jx + JK; i++, j++) F[i] = j < 0 ? 0 : IPIO2[j];
  for (let i = 0; i <= JK; i++) {
    let fw = 0;
    for (let j = 0; j <= jx; j++) fw += TX[j] * F[jx + i - j];
    Q[i] = fw;
  }
  let jz = JK;
  // k_rem_pio2.c's `recompute:` label: taken again, with more terms, while the fraction's bits cancel
  for (;;) {
    // distill Q into IQ, in reverse order
    let z = Q[jz];
    for (let i = 0, j = jz; j > 0; i++, j--) {
      const fw = (TWON24 * z) | 0;
      IQ[i] = (z - TWO24 * fw) | 0;
      z = Q[j - 1] + fw;
    }
    // n, the integer part, modulo 8
    z *= pow2(q0);
    z -= 8 * Math.floor(z * 0.125);
    let n = z | 0;
    z -= n;
    let ih = 0;
    if (q0 > 0) {
      // IQ[jz-1] holds n's lowest bits
      const i = IQ[jz - 1] >> (24 - q0);
      n += i;
      IQ[jz - 1] -= i << (24 - q0);
      ih = IQ[jz - 1] >> (23 - q0);
    } else if (q0 === 0) ih = IQ[jz - 1] >> 23;
    else if (z >= 0.5) ih = 2;

    if (ih > 0) {
      // the fraction is above 1/2: take 1 - fraction, and n + 1
      n += 1;
      let carry = 0;
      for (let i = 0; i < jz; i++) {
        const j = IQ[i];
        if (carry === 0) {
          if (j !== 0) {
            carry = 1;
            IQ[i] = 0x1000000 - j;
          }
        } else IQ[i] = 0xffffff - j;
      }
      if (q0 === 1) IQ[jz - 1] &= 0x7fffff;
      else if (q0 === 2) IQ[jz - 1] &= 0x3fffff;
      if (ih === 2) {
        z = 1 - z;
        if (carry !== 0) z -= pow2(q0);
      }
    }

    if (z === 0) {
      let j = 0;
      for (let i = jz - 1; i >= JK; i--) j |= IQ[i];
      if (j === 0) {
        // every bit so far cancelled: take k more terms of 2/pi and start again
        let k = 1;
        while (IQ[JK - k] === 0) k++;
        for (let i = jz + 1; i <= jz + k; i++) {
          F[jx + i] = IPIO2[jv + i];
          let fw = 0;
          for (let j = 0; j <= jx; j++) fw += TX[j] * F[jx + i - j];
          Q[i] = fw;
        }
        jz += k;
        continue;
      }
      // chop off zero terms
      jz--;
      q0 -= 24;
      while (IQ[jz] === 0) {
        jz--;
        q0 -= 24;
      }
    } else {
      // break z into 24-bit pieces if need be
      z *= pow2(-q0);
      if (z >= TWO24) {
        const fw = (TWON24 * z) | 0;
        IQ[jz] = (z - TWO24 * fw) | 0;
        jz++;
        q0 += 24;
        IQ[jz] = fw;
      } else IQ[jz] = z | 0;
    }

    // the fraction's pieces as doubles, times pi / 2
    let fw = pow2(q0);
    for (let i = jz; i >= 0; i--) {
      Q[i] = fw * IQ[i];
      fw *= TWON24;
    }
    for (let i = jz; i >= 0; i--) {
      fw = 0;
      for (let k = 0; k <= JK && k <= jz - i; k++) fw += PIO2[k] * Q[i + k];
      FQ[jz - i] = fw;
    }
    // compressed into two doubles
    fw = 0;
    for (let i = jz; i >= 0; i--) fw += FQ[i];
    y[0] = ih === 0 ? fw : -fw;
    fw = FQ[0] - fw;
    for (let i = 1; i <= jz; i++) fw += FQ[i];
    y[1] = ih === 0 ? fw : -fw;
    return n & 7;
  }
}
