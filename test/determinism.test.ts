import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { timeseriesCsv } from '../src/collect/tidy.js';
import { simulate } from '../src/engine/simulate.js';
import { load } from './helpers.js';

test('the same scenario and seed give a byte-identical timeseries.csv', async () => {
  const baseline = await load('scenarios/baseline.json');
  const a = timeseriesCsv(simulate(baseline, 11));
  const b = timeseriesCsv(simulate(baseline, 11));
  assert.ok(a.length > 100000);
  assert.is(a, b);
});

test('another seed gives another series', async () => {
  const baseline = await load('scenarios/baseline.json');
  assert.is.not(timeseriesCsv(simulate(baseline, 11)), timeseriesCsv(simulate(baseline, 12)));
});

test('the scenario seed is used when none is given', async () => {
  const baseline = await load('scenarios/baseline.json');
  assert.is(simulate(baseline).seed, baseline.scenario.seed);
  assert.is(timeseriesCsv(simulate(baseline)), timeseriesCsv(simulate(baseline, baseline.scenario.seed)));
});

test('time 0 is recorded and the last row is at `end`', async () => {
  const baseline = await load('scenarios/baseline.json');
  const run = simulate(baseline);
  assert.is(run.times[0], 2025);
  assert.is(run.times[run.times.length - 1], 2040);
  assert.is(run.times.length, 15 * 4 + 1);
});

test.run();
