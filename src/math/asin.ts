/**
 * The arcsine, as Cephes computes it (Moshier 1989, asin.c: a rational approximation in x^2 below 0.625, one in
 * 1 - |x| above), following stdlib's port, in operations JavaScript fixes.
 */
const MORE_BITS = 6.123233995736765886130e-17; // pi / 2 = 2 PIO4 + MORE_BITS
const PIO4 = 7.85398163397448309616e-1;

/** P(x) / Q(x) for |x| <= 1 (asin.c's P and Q, in x^2). */
function ratioPQ(x: number): number {
  const p = -8.198089802484825 + x * (19.562619833175948 + x * (-16.262479672107002 + x * (5.444622390564711 + x * (-0.6019598008014124 + x * 0.004253011369004428))));
  const q = -49.18853881490881 + x * (139.51056146574857 + x * (-147.1791292232726 + x * (70.49610280856842 + x * (-14.740913729888538 + x))));
  return p / q;
}

/** R(x) / S(x) for |x| <= 1 (asin.c's R and S, in 1 - |x|). */
function ratioRS(x: number): number {
  const r = 28.536655482610616 + x * (-25.56901049652825 + x * (6.968710824104713 + x * (-0.5634242780008963 + x * 0.002967721961301243)));
  const s = 342.43986579130785 + x * (-383.8770957603691 + x * (147.0656354026815 + x * (-21.947795316429207 + x)));
  return r / s;
}

/** asin x, in radians; NaN beyond [-1, 1]. */
export function asin(x: number): number {
  if (x !== x) return NaN;
  const a = x > 0 ? x : -x;
  if (a > 1) return NaN;
  let z: number;
  if (a > 0.625) {
    let zz = 1 - a;
    const p = zz * ratioRS(zz);
    zz = Math.sqrt(zz + zz);
    z = PIO4 - zz;
    zz = zz * p - MORE_BITS;
    z -= zz;
    z += PIO4;
  } else {
    if (a < 1e-8) return x;
    const zz = a * a;
    z = a * (zz * ratioPQ(zz)) + a;
  }
  return x > 0 ? z : -z;
}
