/**
 * Numbers as text, the same on every machine and run: ten significant digits, no exponent for ordinary
 * magnitudes, integers as integers. pandas and R read every form this produces.
 *
 * The text is defined as `String(Number(value.toPrecision(10)))` ({@link formatNumberReference}) for non-integers
 * (integers print as `String` does; not finite, as Inf, -Inf or NA). {@link writeNumber} writes the same text as
 * bytes, about three times faster than the definition (runs.csv formats some twenty numbers per run), falling back
 * to the definition wherever it cannot be sure; this reads them back.
 */
export function formatNumber(value: number): string {
  return readBack(writeNumber(scratch, 0, value));
}

/** The definition of {@link formatNumber} for finite non-integers. */
export function formatNumberReference(value: number): string {
  return String(Number(value.toPrecision(10)));
}

/**
 * Seven significant digits, what a Float32 holds (the summaries of kept series): defined as
 * `String(Number(value.toPrecision(7)))` ({@link formatFloat32Reference}), integers included; NA when not finite.
 * The text {@link writeFloat32} writes, as a string.
 */
export function formatFloat32(value: number): string {
  return readBack(writeFloat32(scratch, 0, value));
}

const scratch = new Uint8Array(32);

/** The text of the first `end` bytes of `scratch`. */
function readBack(end: number): string {
  let text = '';
  for (let i = 0; i < end; i++) text += String.fromCharCode(scratch[i]);
  return text;
}

/**
 * Writes {@link formatFloat32}'s text of `value` as ASCII into `out` at `at`, and returns where it ends (`out` needs
 * 32 bytes of room). quantiles.csv prints six such numbers a row, 14,000 a design point: as strings, with the rows
 * they were joined into, they kept the young generation busy copying them (a point's rows took 9 ms on average and
 * 2.4 at best); written as bytes, nothing is allocated. `toPrecision` alone took some 15 ms a point.
 */
export function writeFloat32(out: Uint8Array, at: number, value: number): number {
  if (!Number.isFinite(value)) {
    out[at] = 78; // NA
    out[at + 1] = 65;
    return at + 2;
  }
  if (value === 0) {
    out[at] = 48;
    return at + 1;
  }
  if (!roundToDigits(value < 0 ? -value : value, 7)) return writeText(out, at, formatFloat32Reference(value));
  if (value < 0) out[at++] = 45;
  return writeLaidOut(out, at, roundedDigits, roundedExponent + 1);
}

/**
 * Writes {@link formatNumber}'s text of `value` as ASCII into `out` at `at`, and returns where it ends (`out` needs
 * 32 bytes of room): runs.csv's rows, twenty-odd numbers each, written as bytes instead of joined strings.
 */
export function writeNumber(out: Uint8Array, at: number, value: number): number {
  if (Number.isInteger(value)) {
    if (value === 0) {
      out[at] = 48;
      return at + 1;
    }
    // above 2^53 an integer's digits are not all exact in a double: the builtin prints it
    if (value >= 2 ** 53 || value <= -(2 ** 53)) return writeText(out, at, String(value));
    if (value < 0) out[at++] = 45;
    const m = value < 0 ? -value : value;
    return writeLaidOut(out, at, m, digitCount(m));
  }
  if (!Number.isFinite(value)) return writeText(out, at, value > 0 ? 'Inf' : value < 0 ? '-Inf' : 'NA');
  if (!roundToDigits(value < 0 ? -value : value, 10)) return writeText(out, at, formatNumberReference(value));
  if (value < 0) out[at++] = 45;
  return writeLaidOut(out, at, roundedDigits, roundedExponent + 1);
}

/**
 * A design parameter's value as text that reads back as the same number (`String(value)`, the shortest such text), not
 * rounded to ten digits like other numbers: the values seed their runs, and a design file made from `points.csv`
 * must give the same runs again (rounded, an LHS point's seeds and values came back different).
 */
export function formatExact(value: number): string {
  return String(value);
}

/** Writes {@link formatExact}'s text of `value` as ASCII at `at` (32 bytes of room); returns where it ends. */
export function writeExact(out: Uint8Array, at: number, value: number): number {
  return writeText(out, at, formatExact(value));
}

/** Writes ASCII text at `at`; returns where it ends. */
function writeText(out: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/**
 * Writes the digits of the integer m > 0 without its trailing zeros, with the decimal point after the n-th, as
 * ECMA-262's Number::toString lays them out (`layout`), each digit where it goes; returns where they end.
 */
function writeLaidOut(out: Uint8Array, at: number, m: number, n: number): number {
  // below 2^31 (every Float32's seven digits) in int32 arithmetic, where division by ten is a multiplication: in
  // doubles each digit cost a division and the trailing zeros a call to fmod
  if (m < 2147483648) {
    let i = m | 0;
    while (i % 10 === 0) i = (i / 10) | 0;
    return layOut(out, at, i, n);
  }
  while (m % 10 === 0) m /= 10;
  return layOut(out, at, m, n);
}

/** `writeLaidOut` for m without trailing zeros. */
function layOut(out: Uint8Array, at: number, m: number, n: number): number {
  const k = digitCount(m);
  if (k <= n && n <= 21) {
    writeDigits(out, at, m, k);
    at += k;
    for (let i = k; i < n; i++) out[at++] = 48;
    return at;
  }
  if (0 < n && n <= 21) {
    const split = POW10[k - n];
    const whole = Math.floor(m / split);
    writeDigits(out, at, whole, n);
    out[at + n] = 46;
    writeDigits(out, at + n + 1, m - whole * split, k - n);
    return at + k + 1;
  }
  if (-6 < n && n <= 0) {
    out[at++] = 48;
    out[at++] = 46;
    for (let i = n; i < 0; i++) out[at++] = 48;
    writeDigits(out, at, m, k);
    return at + k;
  }
  // exponent forms: rare enough for the string layout
  return writeText(out, at, layout(String(m), n));
}

/** The number of decimal digits of the integer 0 < m < 10^16. */
function digitCount(m: number): number {
  let k = 1;
  while (k < 16 && m >= POW10[k]) k++;
  return k;
}

/** Writes the integer m as exactly `width` digits (with leading zeros) at `at`. */
function writeDigits(out: Uint8Array, at: number, m: number, width: number): void {
  if (m < 2147483648) {
    // int32, as in `writeLaidOut`, and two digits a division (a 7-digit number took 7 dependent divisions)
    let i32 = m | 0;
    let i = at + width - 1;
    for (; i > at; i -= 2) {
      const q = (i32 / 100) | 0;
      const pair = (i32 - q * 100) << 1;
      out[i] = PAIRS[pair + 1];
      out[i - 1] = PAIRS[pair];
      i32 = q;
    }
    if (i === at) out[i] = 48 + i32;
    return;
  }
  for (let i = at + width - 1; i >= at; i--) {
    const q = Math.floor(m / 10);
    out[i] = 48 + (m - q * 10); // the digit first: 48 + m could round, m being up to 2^53
    m = q;
  }
}

/** The definition of {@link formatFloat32} for finite numbers. */
export function formatFloat32Reference(value: number): string {
  return String(Number(value.toPrecision(7)));
}

const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);
/** The ASCII digits of 00 to 99: PAIRS[2k] is the tens digit of k, PAIRS[2k + 1] its units digit. */
const PAIRS = Uint8Array.from({ length: 200 }, (_, k) => 48 + (k & 1 ? (k >> 1) % 10 : Math.floor((k >> 1) / 10)));

const float64 = new Float64Array(1);
const words = new Uint32Array(float64.buffer);
/** Which word of `float64` holds the sign, exponent and high mantissa bits: the second on little-endian machines. */
const HIGH = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 1 : 0;

/** What `roundToDigits` found: the integer m of `digits` digits and the exponent e, x ~ m * 10^(e - digits + 1). */
let roundedDigits = 0, roundedExponent = 0;

/**
 * Rounds x > 0 to `digits` significant digits (into `roundedDigits` and `roundedExponent`), or returns false when the
 * rounding is too close to call. Why it agrees with `toPrecision`: 10^k is exact for k <= 22, so `scaled` is within
 * half an ulp (under 1e-6) of the exact x * 10^k, and away from a tie (the window is 1e-5 wide) it rounds to the same
 * integer m of `digits` digits as `toPrecision` does on the exact binary value. The double nearest to m * 10^-k is
 * what `Number()` reads back, and the shortest text that reads back as that double is m's digits without trailing
 * zeros, since any other decimal of `digits` digits or fewer lies at least 10^-digits (relative) away.
 */
function roundToDigits(x: number, digits: number): boolean {
  const low = POW10[digits - 1], high = POW10[digits];
  // floor(log10(x)), or one less, from x's binary exponent (the loop below corrects it): a logarithm per number was a
  // fifth of the time quantiles.csv took to format
  float64[0] = x;
  let e = Math.floor((((words[HIGH] >>> 20) & 0x7ff) - 1023) * Math.LOG10E * Math.LN2);
  for (let attempt = 0; attempt < 3; attempt++) {
    const k = digits - 1 - e;
    if (k > 22 || k < -22) return false;
    const scaled = k >= 0 ? x * POW10[k] : x / POW10[-k];
    const whole = Math.floor(scaled);
    // the estimate can be one short: move the exponent and try again
    if (whole < low) { e--; continue; }
    if (whole >= high) { e++; continue; }
    const frac = scaled - whole;
    if (frac > 0.49999 && frac < 0.50001) return false;
    let m = frac > 0.5 ? whole + 1 : whole;
    if (m === high) { m = low; e++; }
    roundedDigits = m;
    roundedExponent = e;
    return true;
  }
  return false;
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
