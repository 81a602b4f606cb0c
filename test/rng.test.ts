import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deriveSeed, makeRng, NormalSampler } from '../src/engine/rng.js';

test('alea gives the same stream for the same seed and another for another', () => {
  const a = makeRng(42), b = makeRng(42), c = makeRng(43);
  const xs = Array.from({ length: 5 }, () => a());
  assert.equal(Array.from({ length: 5 }, () => b()), xs);
  assert.is.not(c(), xs[0]);
});

test('derived seeds are stable known answers and depend on every key', () => {
  assert.is(deriveSeed(1, 0, 0), deriveSeed(1, 0, 0));
  assert.is(deriveSeed(1, 0, 0), 2541642780);
  const seeds = new Set([deriveSeed(1, 0, 0), deriveSeed(1, 0, 1), deriveSeed(1, 1, 0), deriveSeed(2, 0, 0), deriveSeed(10, 0)]);
  assert.ok(seeds.size >= 5);
  assert.is.not(deriveSeed('1', '10'), deriveSeed('11', '0'), 'keys are separated, not concatenated');
});

test('normal draws have mean 0 and variance 1', () => {
  const normal = new NormalSampler(makeRng('normal'));
  let sum = 0, sq = 0;
  const n = 200000;
  for (let k = 0; k < n; k++) {
    const z = normal.next();
    sum += z;
    sq += z * z;
  }
  assert.ok(Math.abs(sum / n) < 0.01);
  assert.ok(Math.abs(sq / n - 1) < 0.02);
});

/** The standard normal CDF, from erfc by Numerical Recipes' Chebyshev fit (error under 1.2e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

test('normal draws follow the normal distribution: Kolmogorov-Smirnov, skew, kurtosis and the tail', () => {
  const normal = new NormalSampler(makeRng('ziggurat'));
  const n = 400000;
  const xs = new Float64Array(n);
  let m3 = 0, m4 = 0, tail = 0;
  for (let k = 0; k < n; k++) {
    const z = (xs[k] = normal.next());
    m3 += z ** 3;
    m4 += z ** 4;
    if (Math.abs(z) > 3.442619855899) tail++; // beyond the ziggurat's base layer: drawn by the tail method
  }
  xs.sort();
  let d = 0;
  for (let k = 0; k < n; k++) {
    const f = normalCdf(xs[k]);
    d = Math.max(d, f - k / n, (k + 1) / n - f);
  }
  assert.ok(d * Math.sqrt(n) < 1.63, `KS statistic ${d} (1% critical value ${(1.63 / Math.sqrt(n)).toFixed(5)})`);
  assert.ok(Math.abs(m3 / n) < 0.02, `skewness ${m3 / n}`);
  assert.ok(Math.abs(m4 / n - 3) < 0.05, `kurtosis ${m4 / n}`);
  const expected = 2 * (1 - normalCdf(3.442619855899)) * n;
  assert.ok(Math.abs(tail - expected) < 5 * Math.sqrt(expected), `${tail} draws beyond 3.44, expected ${expected.toFixed(0)}`);
});

test.run();
