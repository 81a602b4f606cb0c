/**
 * Numbers as text, the same on every machine and run: ten significant digits, no exponent for ordinary
 * magnitudes, integers as integers. pandas and R read every form this produces.
 *
 * The text is defined as `String(Number(value.toPrecision(10)))` ({@link formatNumberReference}); this computes the
 * same text about three times faster (runs.csv formats some twenty numbers per run), and falls back to the
 * definition wherever it cannot be sure.
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : value < 0 ? '-Inf' : 'NA';
  return rounded(value, 10) ?? formatNumberReference(value);
}

/** The definition of {@link formatNumber} for finite non-integers. */
export function formatNumberReference(value: number): string {
  return String(Number(value.toPrecision(10)));
}

/**
 * Seven significant digits, what a Float32 holds (the summaries of kept series): defined as
 * `String(Number(value.toPrecision(7)))` ({@link formatFloat32Reference}), integers included; NA when not finite.
 * quantiles.csv prints six such numbers a row; `toPrecision` alone took some 15 ms a design point.
 */
export function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return 'NA';
  if (value === 0) return '0';
  return rounded(value, 7) ?? formatFloat32Reference(value);
}

/** The definition of {@link formatFloat32} for finite numbers. */
export function formatFloat32Reference(value: number): string {
  return String(Number(value.toPrecision(7)));
}

const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * `value` rounded to `digits` (7 to 10) significant digits, as JavaScript prints a number, or undefined when the
 * rounding is too close to call. Why it equals `String(Number(value.toPrecision(digits)))`: 10^k is exact for
 * k <= 22, so `scaled` is within half an ulp (under 1e-6) of the exact |value| * 10^k, and away from a tie (the
 * window is 1e-5 wide) it rounds to the same integer m of `digits` digits as `toPrecision` does on the exact binary
 * value. The double nearest to m * 10^-k is what `Number()` reads back, and the shortest text that reads back as
 * that double is m's digits without trailing zeros, since any other decimal of `digits` digits or fewer lies at
 * least 10^-digits (relative) away. The last step is ECMA-262's Number::toString layout of those digits.
 */
function rounded(value: number, digits: number): string | undefined {
  const x = value < 0 ? -value : value;
  const low = POW10[digits - 1], high = POW10[digits];
  let e = Math.floor(Math.log10(x));
  for (let attempt = 0; attempt < 3; attempt++) {
    const k = digits - 1 - e;
    if (k > 22 || k < -22) return undefined;
    const scaled = k >= 0 ? x * POW10[k] : x / POW10[-k];
    const whole = Math.floor(scaled);
    // log10 can miss by one at a power of ten: move the exponent and try again
    if (whole < low) { e--; continue; }
    if (whole >= high) { e++; continue; }
    const frac = scaled - whole;
    if (frac > 0.49999 && frac < 0.50001) return undefined;
    let m = frac > 0.5 ? whole + 1 : whole;
    if (m === high) { m = low; e++; }
    const text = layout(significantDigits(m), e + 1);
    return value < 0 ? `-${text}` : text;
  }
  return undefined;
}

/**
 * The digits of an integer of six to ten digits without its trailing zeros (two small integers print faster than
 * one).
 */
function significantDigits(m: number): string {
  const hi = Math.floor(m / 100000), lo = m - hi * 100000;
  if (lo === 0) {
    const digits = String(hi);
    let len = digits.length;
    while (digits.charCodeAt(len - 1) === 48) len--;
    return len < digits.length ? digits.slice(0, len) : digits;
  }
  let rest = lo, zeros = 0;
  while (rest % 10 === 0) {
    rest /= 10;
    zeros++;
  }
  const tail = String(rest);
  return String(hi) + '0'.repeat(5 - zeros - tail.length) + tail;
}

/** ECMA-262 Number::toString for digits d1..dk with the decimal point after position n (value d1.d2..dk * 10^(n-1)). */
function layout(digits: string, n: number): string {
  const k = digits.length;
  if (k <= n && n <= 21) return digits + '0'.repeat(n - k);
  if (0 < n && n <= 21) return `${digits.slice(0, n)}.${digits.slice(n)}`;
  if (-6 < n && n <= 0) return `0.${'0'.repeat(-n)}${digits}`;
  const exponent = n - 1 < 0 ? `e-${1 - n}` : `e+${n - 1}`;
  return (k === 1 ? digits : `${digits[0]}.${digits.slice(1)}`) + exponent;
}

/** A decimal year, rounded to six decimals so that 2025 + 3 * 0.25 prints as 2025.75. */
export function formatTime(time: number): string {
  return String(Number(time.toFixed(6)));
}

/** A CSV field, quoted only when it must be (RFC 4180). */
export function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
