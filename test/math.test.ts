/**
 * The engine's elementary functions (src/math) give fdlibm's bits: known answers from Java's StrictMath
 * (OpenJDK 17, which is fdlibm), and agreement bit for bit with stdlib's independent ports over millions of
 * arguments. Whatever JavaScript engine runs this, the answers are the same: that is their point.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import stdlibAsin from '@stdlib/math-base-special-asin';
import stdlibCos from '@stdlib/math-base-special-cos';
import stdlibExp from '@stdlib/math-base-special-exp';
import stdlibLn from '@stdlib/math-base-special-ln';
import stdlibPow from '@stdlib/math-base-special-pow';
import stdlibSin from '@stdlib/math-base-special-sin';
import { asin, cos, exp, log, pow, sin } from '../src/math/index.js';

/** A fixed stream of uniform numbers in [0, 1) (a linear congruential generator: the test needs no quality). */
function uniforms(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Any double, from two uniform 32-bit words. */
function anyDouble(u: () => number): () => number {
  const words = new Uint32Array(2);
  const double = new Float64Array(words.buffer);
  return () => {
    words[0] = u() * 2 ** 32;
    words[1] = u() * 2 ** 32;
    return double[0];
  };
}

/** The first argument at which two functions differ in any bit, or undefined. */
function firstDifference(f: (x: number) => number, g: (x: number) => number, draw: () => number, count: number): number[] | undefined {
  for (let k = 0; k < count; k++) {
    const x = draw();
    if (!Object.is(f(x), g(x))) return [x, f(x), g(x)];
  }
  return undefined;
}

const known = (name: string, f: (x: number) => number, answers: Array<[number, number]>) =>
  answers.forEach(([x, y]) => assert.ok(Object.is(f(x), y), `${name}(${x}) = ${f(x)}, StrictMath gives ${y}`));

test('exp and log give StrictMath\'s answers (fdlibm), not the correctly rounded ones where the two differ', () => {
  known('exp', exp, [
    [1, 2.7182818284590455], [-1, 0.36787944117144233], [0.5, 1.6487212707001282], [3, 20.085536923187668],
    [10, 22026.465794806718], [1e-5, 1.00001000005], [0.3465735912322998, 1.4142135637198892],
    [1.0397205352783203, 2.8284264584774563], [709.5, 1.3549863193146328e308], [-708.5, 2.006132305331306e-308],
    [-744.5758787216619, 5e-324], [100.25, 3.451610733125924e43], [-20.125, 1.8189616875530459e-9],
  ]);
  known('log', log, [
    [3, 1.0986122886681096], [10, 2.302585092994046], [0.1, -2.3025850929940455], [2, 0.6931471805599453],
    [1.0000001, 9.999999505838704e-8], [1e-310, -713.8013788281542], [1e300, 690.7755278982137],
    [7.5, 2.0149030205422647], [123456.789, 11.723646487185881], [0.7, -0.35667494393873245],
  ]);
  // ln 3 correctly rounded is 1.0986122886681098 (what Chromium 156 and glibc give): fdlibm's is one unit below
  assert.is.not(log(3), 1.0986122886681098);
});

test('exp and log at the edges: zero, negatives, infinities, NaN, subnormals, overflow', () => {
  assert.ok(Object.is(exp(0), 1) && Object.is(exp(-0), 1));
  assert.is(exp(Infinity), Infinity);
  assert.ok(Object.is(exp(-Infinity), 0));
  assert.ok(Number.isNaN(exp(NaN)));
  assert.is(exp(709.8), Infinity);
  assert.ok(Object.is(exp(-746), 0));
  assert.is(exp(2 ** -30), 1 + 2 ** -30);
  assert.is(log(0), -Infinity);
  assert.is(log(-0), -Infinity);
  assert.ok(Number.isNaN(log(-1)) && Number.isNaN(log(NaN)) && Number.isNaN(log(-Infinity)));
  assert.is(log(Infinity), Infinity);
  assert.ok(Object.is(log(1), 0));
  assert.is(log(5e-324), stdlibLn(5e-324));
});

test('exp and log agree with stdlib\'s ports bit for bit over millions of arguments', () => {
  const u = uniforms(20261201);
  const any = anyDouble(u);
  // stdlib's exp flushes results below the normal range to 0, which fdlibm and this port do not: compared above it
  assert.is(firstDifference(exp, stdlibExp, () => -708 + u() * 1418, 1_000_000), undefined);
  assert.is(firstDifference(exp, stdlibExp, () => (u() - 0.5) * 8, 1_000_000), undefined);
  assert.is(firstDifference(log, stdlibLn, any, 1_000_000), undefined);
  assert.is(firstDifference(log, stdlibLn, () => 0.5 + u(), 1_000_000), undefined);
  assert.is(firstDifference(log, stdlibLn, () => 1 + (u() - 0.5) * 2 ** -18, 200_000), undefined);
});

test('sin and cos give StrictMath\'s answers and agree with stdlib bit for bit, to 2^20 pi / 2', () => {
  const answers: Array<[number, number, number]> = [
    [0.5, 0.479425538604203, 0.8775825618903728], [1, 0.8414709848078965, 0.5403023058681398],
    [2, 0.9092974268256817, -0.4161468365471424], [3, 0.1411200080598672, -0.9899924966004454],
    [-2.5, -0.5984721441039564, -0.8011436155469337], [Math.PI / 2, 1, 6.123233995736766e-17],
    [Math.PI, 1.2246467991473532e-16, -1], [0.78, 0.7032794192004101, 0.7109135380122773],
  ];
  for (const [x, s, c] of answers) {
    assert.ok(Object.is(sin(x), s), `sin(${x}) = ${sin(x)}, StrictMath gives ${s}`);
    assert.ok(Object.is(cos(x), c), `cos(${x}) = ${cos(x)}, StrictMath gives ${c}`);
  }
  const u = uniforms(7);
  for (const [f, g] of [[sin, stdlibSin], [cos, stdlibCos]]) {
    assert.is(firstDifference(f, g, () => (u() - 0.5) * 4 * Math.PI, 500_000), undefined);
    assert.is(firstDifference(f, g, () => (u() - 0.5) * 2 ** 20 * Math.PI * 0.99, 200_000), undefined);
    assert.is(firstDifference(f, g, () => (u() - 0.5) * 2 ** -20, 10_000), undefined);
  }
  assert.ok(Number.isNaN(sin(Infinity)) && Number.isNaN(cos(NaN)));
});

test('sin and cos reduce any finite argument as fdlibm does: StrictMath\'s answers, stdlib\'s bits up to the largest double', () => {
  // a formula's sin(year * 1000) was an internal error until the large arguments' reduction was ported
  const answers: Array<[number, number, number]> = [
    [2025000, -0.998119860532125, 0.06129228345665818], [1e7, 0.4205477931907825, -0.9072703861817396],
    [-3.3e9, -0.9571764121088295, 0.2895052954653303], [1e22, -0.8522008497671888, 0.523214785395139],
    [2 ** 1000, -0.15920170308624243, 0.9872460775989135], [-1e300, 0.8178819121159085, -0.5753861119575491],
    [Number.MAX_VALUE, 0.004961954789184062, -0.9999876894265599], [1647100, 0.6216400379214212, 0.7833030468809974],
    [6.5e15, -0.9113974445773616, -0.4115272749379499],
    // the double nearest a multiple of pi / 2 (Muller 2006): its fraction cancels, and the reduction takes more of 2/pi
    [6381956970095103 * 2 ** 797, 1, -4.687165924254628e-19],
  ];
  for (const [x, s, c] of answers) {
    assert.ok(Object.is(sin(x), s), `sin(${x}) = ${sin(x)}, StrictMath gives ${s}`);
    assert.ok(Object.is(cos(x), c), `cos(${x}) = ${cos(x)}, StrictMath gives ${c}`);
  }
  const u = uniforms(8);
  // every exponent from 2^20 to 2^1023, either sign, and just past 2^20 pi / 2 where the large case starts
  const large = () => (u() < 0.5 ? -1 : 1) * (1 + u()) * 2 ** (20 + Math.floor(u() * 1004));
  for (const [f, g] of [[sin, stdlibSin], [cos, stdlibCos]]) {
    assert.is(firstDifference(f, g, large, 200_000), undefined);
    assert.is(firstDifference(f, g, () => 2 ** 20 * Math.PI * (0.5 + u() * 0.01), 50_000), undefined);
  }
});

test('asin agrees with stdlib bit for bit on [-1, 1], and is NaN beyond', () => {
  const u = uniforms(11);
  assert.is(firstDifference(asin, stdlibAsin, () => (u() - 0.5) * 2, 1_000_000), undefined);
  assert.is(asin(1), Math.PI / 2);
  assert.ok(Number.isNaN(asin(1.0000001)) && Number.isNaN(asin(NaN)));
});

test('pow: e^(x ln b) for a fractional exponent, within |x ln b| + 2 units in the last place of fdlibm\'s pow; whole exponents by squaring', () => {
  assert.is(pow(0.3, 0), 1);
  assert.is(pow(1, 123.4), 1);
  assert.is(pow(0, 2), 0);
  assert.is(pow(4, 0.5), 2);
  assert.is(pow(3, 2), 9);
  assert.is(pow(-2, 3), -8);
  assert.is(pow(10, -2), 1 / 100);
  assert.ok(Number.isNaN(pow(-2, 0.5)));
  const u = uniforms(3);
  for (let k = 0; k < 200_000; k++) {
    const b = 0.5 + 2 * u(), x = (u() - 0.5) * 120;
    const exact = stdlibPow(b, x);
    const ulps = Math.abs(pow(b, x) - exact) / (Math.abs(exact) * 2 ** -52);
    assert.ok(ulps <= Math.abs(x * Math.log(b)) + 2, `pow(${b}, ${x}): ${ulps} units off`);
  }
});

test.run();
