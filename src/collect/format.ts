/**
 * Numbers as text, the same on every machine and run: ten significant digits, no exponent for ordinary
 * magnitudes, integers as integers. pandas and R read every form this produces.
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : value < 0 ? '-Inf' : 'NA';
  return String(Number(value.toPrecision(10)));
}

/** A decimal year, rounded to six decimals so that 2025 + 3 * 0.25 prints as 2025.75. */
export function formatTime(time: number): string {
  return String(Number(time.toFixed(6)));
}

/** A CSV field, quoted only when it must be (RFC 4180). */
export function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
