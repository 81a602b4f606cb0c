/**
 * Number formatting: the fast path of formatNumber must print exactly what its definition prints, on ordinary
 * values, on near-ties of the tenth digit, across magnitudes where the layout switches to exponents, and on
 * arbitrary bit patterns.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import seedrandom from 'seedrandom';
import { formatFloat32, formatFloat32Reference, formatNumber, formatNumberReference, writeFloat32, writeNumber } from '../src/collect/format.js';

/** Checks `format` against its definition `want` on every value; returns how many values were checked. */
function expectSameAs(format: (v: number) => string, want: (v: number) => string, values: Iterable<number>): number {
  let n = 0;
  for (const v of values) {
    const expected = want(v), got = format(v);
    if (got !== expected) assert.unreachable(`${format.name}(${v}) gave ${got}, expected ${expected}`);
    n++;
  }
  return n;
}

/** formatNumber's text by its definition: integers as `String` prints them, not finite as Inf, -Inf or NA. */
const numberDefinition = (v: number) => (Number.isInteger(v) ? String(v) : !Number.isFinite(v) ? (v > 0 ? 'Inf' : v < 0 ? '-Inf' : 'NA') : formatNumberReference(v));
/** formatFloat32's text by its definition: NA when not finite. */
const float32Definition = (v: number) => (Number.isFinite(v) ? formatFloat32Reference(v) : 'NA');

const expectSame = (values: Iterable<number>) => expectSameAs(formatNumber, numberDefinition, values);

test('formatNumber: special values and layouts', () => {
  assert.is(formatNumber(0.1), '0.1');
  assert.is(formatNumber(1 / 3), '0.3333333333');
  assert.is(formatNumber(-2 / 3), '-0.6666666667');
  assert.is(formatNumber(2025.75), '2025.75');
  assert.is(formatNumber(12345678901.5), '12345678900');
  assert.is(formatNumber(1.234e-7), '1.234e-7');
  assert.is(formatNumber(1.5e21 + 0.5), '1.5e+21');
  assert.is(formatNumber(42), '42');
  assert.is(formatNumber(NaN), 'NA');
  assert.is(formatNumber(-Infinity), '-Inf');
  expectSame([0.5, 1.5, 1e-7, 9.99e-7, 1e-6, 123456789012.5, Math.PI, Math.E, Number.MIN_VALUE, Number.MAX_VALUE, 5e-324, 2.2250738585072014e-308, -0]);
});

test('formatNumber: near ties of the tenth digit and powers of ten', () => {
  const values: number[] = [];
  for (let j = -30; j < 30; j++)
    for (const f of [0.99999999995, 0.999999999949, 0.999999999951, 1.0000000005, 9.9999999995, 9.99999999949, 5e-10, 1.5, 0.5, 1.00000000049, 1.00000000051])
      for (const sign of [1, -1]) {
        const v = sign * f * 10 ** j;
        values.push(v, v * (1 + 2 ** -52), v * (1 - 2 ** -52));
      }
  expectSame(values);
});

/**
 * Seeded values, three per round: a random bit pattern of `floats` (Float64Array or Float32Array), a value of random
 * magnitude, and a near-tie of the `digits`-th significant digit (`digits` + 1 digits ending in 5 or 0).
 */
function* seededValues(seed: string, rounds: number, floats: Float64Array | Float32Array, digits: number) {
  const rng = seedrandom.alea(seed);
  const words = new Uint32Array(floats.buffer);
  for (let i = 0; i < rounds; i++) {
    for (let w = 0; w < words.length; w++) words[w] = (rng() * 2 ** 32) >>> 0;
    yield floats[0];
    yield (rng() - 0.5) * 10 ** Math.floor(rng() * 60 - 30);
    const d = Math.floor(rng() * 9 * 10 ** digits) + 10 ** digits;
    yield ((d + 0.5) / 10) * 10 ** Math.floor(rng() * 40 - 25);
  }
}

test('formatNumber: 600,000 seeded values over all magnitudes and bit patterns', () => {
  assert.is(expectSame(seededValues('format', 200000, new Float64Array(1), 10)), 600000);
});

test('writeNumber: the bytes of formatNumber\'s definition, integers of every size, ties and seeded values included', () => {
  const out = new Uint8Array(40);
  const bytes = (v: number) => new TextDecoder().decode(out.subarray(0, writeNumber(out, 0, v)));
  const integers = [0, -0, 1, -1, 7, 10, 1200, -905000, 123456789, 1234567890123, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e21, -1e22, 12345678901234567890];
  const ties: number[] = [];
  for (let j = -30; j < 30; j++)
    for (const f of [0.99999999995, 9.9999999995, 1.00000000049, 1.00000000051, 0.5, 1.5])
      for (const sign of [1, -1]) ties.push(sign * f * 10 ** j, sign * f * 10 ** j * (1 + 2 ** -52));
  const specials = [0.1, 1 / 3, -2 / 3, 2025.75, 1.234e-7, 1.5e21 + 0.5, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE];
  expectSameAs(bytes, numberDefinition, [...integers, ...ties, ...specials]);
  assert.is(expectSameAs(bytes, numberDefinition, seededValues('write10', 100000, new Float64Array(1), 10)), 300000);
});

const expectSame7 = (values: Iterable<number>) => expectSameAs(formatFloat32, float32Definition, values);

test('formatFloat32: seven digits, integers rounded too, near ties, powers of ten and seeded values', () => {
  assert.is(formatFloat32(1 / 3), '0.3333333');
  assert.is(formatFloat32(12345678), '12345680');
  assert.is(formatFloat32(1000000.4), '1000000');
  assert.is(formatFloat32(9999999.6), '10000000');
  assert.is(formatFloat32(0), '0');
  assert.is(formatFloat32(NaN), 'NA');
  const values: number[] = [-0, 1, 10, 1e6, 1e7, 1.5e21, 5e-324, Number.MAX_VALUE];
  for (let j = -30; j < 30; j++)
    for (const f of [0.99999995, 0.999999949, 0.999999951, 1.0000005, 9.9999995, 1.5, 0.5, 1.00000049, 1.00000051, 1.2, 1.000001])
      for (const sign of [1, -1]) {
        const v = sign * f * 10 ** j;
        values.push(v, v * (1 + 2 ** -52), v * (1 - 2 ** -52), Math.fround(v));
      }
  expectSame7(values);
  assert.is(expectSame7(seededValues('format7', 100000, new Float32Array(1), 7)), 300000);
});

test('writeFloat32: one number after another into a buffer, each as its definition prints it', () => {
  const values = [...seededValues('write7', 2000, new Float32Array(1), 7), 0, -0, NaN, Infinity, -1.5e-7, 1.5e21, -1e-7];
  const out = new Uint8Array(values.length * 33);
  let at = 0;
  for (const v of values) {
    at = writeFloat32(out, at, v);
    out[at++] = 44;
  }
  assert.is(new TextDecoder().decode(out.subarray(0, at)), values.map((v) => `${float32Definition(v)},`).join(''));
});

test.run();
