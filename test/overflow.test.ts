/**
 * A run whose values stop being finite (values the schema accepts, too large or too small for the model) is stopped as
 * bad input, naming the file, the run and the variable, instead of writing Inf and NA into every output after it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allFinite, allFinite32, firstNotFinite, RunOverflow } from '../src/engine/overflow.js';
import { simulate } from '../src/engine/simulate.js';
import { loadScenario } from '../src/scenario/load.js';
import { BASELINE, tempFolder, writeFixture } from './fixtures.js';

const dir = tempFolder();
const { FORCE_COLOR: _f, NO_COLOR: _n, ...env } = process.env;
const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli/spillover.js', ...args], { encoding: 'utf8', env: { ...env, SPILLOVER_MAIN_COMPUTES_FROM: '0' } });
const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const EXPECTED = 'expected finite numbers \\(a value too large or too small for the model: a GDP, a trade cost or an elasticity, which enter exponents, or a rate high enough that a step overshoots\\?\\)\\n$';

test('allFinite and firstNotFinite: known answers', () => {
  assert.ok(allFinite(new Float64Array([0, -1, 1e308, -1e308, 5e-324])), 'the largest and smallest doubles are finite');
  for (const bad of [Infinity, -Infinity, NaN]) {
    const values = new Float64Array([1, 2, bad, 4]);
    assert.not.ok(allFinite(values), String(bad));
    assert.is(firstNotFinite(values), 2);
    assert.ok(allFinite(values, 2), 'only the first n are read');
  }
  assert.is(firstNotFinite(new Float64Array([1, 2])), -1);
  // in every lane of the four sums, and in the tail after them
  for (let k = 0; k < 7; k++) {
    const values = new Float64Array(7).fill(1);
    values[k] = NaN;
    assert.not.ok(allFinite(values), `NaN at ${k} of 7`);
    const floats = new Float32Array(7).fill(1);
    floats[k] = 1e39; // beyond a float's range: Inf
    assert.not.ok(allFinite32(floats), `1e39 at ${k} of 7 in floats`);
  }
  assert.ok(allFinite32(new Float32Array([3.4e38, -3.4e38, 1.5e-45, 0, 1])));
  // Inf - Inf is NaN: two infinities of opposite sign do not cancel
  assert.not.ok(allFinite(new Float64Array([Infinity, -Infinity])));
});

// a fall in log trade cost of 600 with full cooperation: exp(300) a state's trade mass, and the region's trade infinite
const overflowing = writeFixture(dir, 'overflow.json', { extends: BASELINE, name: 'overflow', sectors: { customs: { tradeCost: 600 } } });

test('simulate throws a RunOverflow naming the variable, the time and the seed', async () => {
  const loaded = await loadScenario(overflowing);
  try {
    simulate(loaded, 7);
  } catch (e) {
    assert.instance(e, RunOverflow);
    const o = e as RunOverflow;
    assert.equal([o.entity, o.variable, o.value, o.seed], ['region', 'trade_usd', Infinity, 7]);
    assert.ok(o.time >= 2025 && o.time <= 2040, String(o.time));
    return;
  }
  assert.unreachable('the run finished');
});

test('run, ensemble (one worker thread, or two threads) and sweep stop in one line, exit 2, writing no outputs', () => {
  const r = cli('run', overflowing, '--out', join(dir, 'run'), '--quiet');
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^spillover: ${escaped(overflowing)}: region trade_usd reached Inf at 20\\d\\d(\\.\\d+)? \\(seed 2025\\); ${EXPECTED}`));
  assert.not.ok(existsSync(join(dir, 'run')));
  for (const workers of ['1', '2']) {
    const out = join(dir, `ensemble-${workers}`);
    const e = cli('ensemble', overflowing, '--runs', '8', '--workers', workers, '--out', out, '--quiet');
    assert.is(e.status, 2, e.stderr);
    assert.match(e.stderr, new RegExp(`^spillover: ${escaped(overflowing)}: run [0-7]: region trade_usd reached Inf at [\\d.]+ \\(seed \\d+\\); ${EXPECTED}`));
    for (const f of ['runs.csv', 'quantiles.csv', 'manifest.json']) assert.not.ok(existsSync(join(out, f)), f);
  }
  // a value changed by --set is named with the file it changed
  for (const args of [['run', 'scenarios/baseline.json'], ['ensemble', 'scenarios/baseline.json', '--runs', '3', '--workers', '1']]) {
    const set = cli(...args, '--set', 'sectors.customs.tradeCost=600', '--out', join(dir, 'set'), '--quiet');
    assert.is(set.status, 2, set.stderr);
    assert.match(set.stderr, new RegExp(`^spillover: scenarios/baseline\\.json with --set sectors\\.customs\\.tradeCost=600: (run [0-2]: )?region trade_usd reached Inf at [\\d.]+ \\(seed \\d+\\); ${EXPECTED}`), args[0]);
  }
  // in a sweep, the design point whose values made it
  const sweep = writeFixture(dir, 'sweep.json', { name: 'trade-costs', scenario: resolve(BASELINE), replicates: 2, seed: 1, design: { type: 'grid', parameters: { 'sectors.customs.tradeCost': [0.5, 600] } } });
  const s = cli('sweep', sweep, '--workers', '1', '--out', join(dir, 'sweep'), '--quiet');
  assert.is(s.status, 2, s.stderr);
  assert.match(s.stderr, new RegExp(`^spillover: ${escaped(sweep)}: design point 1 \\(sectors\\.customs\\.tradeCost = 600\\), replicate [01]: region trade_usd reached Inf at [\\d.]+ \\(seed \\d+\\); ${EXPECTED}`));
});

test("an experiment refuses a kept value beyond its records' 32-bit floats, which a single run's doubles hold", () => {
  const file = writeFixture(dir, 'huge-gdp.json', { extends: BASELINE, name: 'huge-gdp', states: { KAZ: { gdp: 1e200 } } });
  assert.is(cli('run', file, '--out', join(dir, 'huge-run'), '--quiet').status, 0, 'a double holds 1e209');
  const out = join(dir, 'huge-ensemble');
  const r = cli('ensemble', file, '--runs', '4', '--workers', '1', '--keep', 'gdp_usd', '--out', out, '--quiet');
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^spillover: ${escaped(file)}: run [0-3]: KAZ gdp_usd reached 9\\.9+e\\+208 at 2025 \\(seed \\d+\\), beyond the ±3\\.4e\\+38 an experiment's records hold; expected numbers within it \\(`));
  assert.not.ok(existsSync(join(out, 'quantiles.csv')));
  // a kept value within range (trade, which the gravity constant scales to its starting total): the experiment runs
  assert.is(cli('ensemble', file, '--runs', '4', '--workers', '1', '--keep', 'trade_usd', '--out', join(dir, 'huge-trade'), '--quiet').status, 0);
});

/** The historical scenario calibrated on its GDP elasticity alone, within the bounds given, to regional trade. */
const elasticityFit = (name: string, min: number, max: number) =>
  writeFixture(dir, name, {
    extends: resolve('scenarios/historical.json'),
    calibration: {
      parameters: [{ path: 'parameters.trade.gdpElasticity', min, max }],
      targets: [{ name: 't', file: resolve('data/trade.csv'), where: { entity: 'region' }, valueColumn: 'trade_usd_bn', scale: 1e9, entity: 'region', variable: 'trade_usd' }],
    },
  });

test('calibrate with bounds where the model overflows from the start says at which values', () => {
  // the start is the scenario's elasticity (below 1) moved into the bounds, 300: the scenario as it would be fitted
  const file = elasticityFit('calibrate.json', 300, 400);
  const r = cli('calibrate', file, '--out', join(dir, 'calibration'), '--quiet');
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^spillover: ${escaped(file)}: calibration, at parameters\\.trade\\.gdpElasticity = 300: region trade_usd reached (Inf|NaN) at [\\d.]+ \\(seed \\d+\\); ${EXPECTED}`));
  assert.not.ok(existsSync(join(dir, 'calibration', 'calibration.json')));
});

test('calibrate with bounds that reach values where the model overflows counts those trials as misses, and says so', () => {
  // the elasticity overflows from some 150 (trade is GDP to its power); the restarts are drawn across [0.4, 200]
  const out = join(dir, 'wide-calibration');
  const r = cli('calibrate', elasticityFit('wide.json', 0.4, 200), '--out', out);
  assert.is(r.status, 0, r.stderr);
  const report = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8'));
  const overflowed = report.optimiser.overflowed;
  assert.ok(overflowed > 0 && overflowed < report.optimiser.evaluations, `${overflowed} of ${report.optimiser.evaluations} overflowed`);
  // the fit is where the model holds, and as good as the start (the historical scenario's fitted value) at least
  const fitted = report.parameters[0].fitted;
  assert.ok(fitted > 0.4 && fitted < 2, String(fitted));
  assert.ok(report.objective.fitted <= report.objective.start && Number.isFinite(report.objective.fitted));
  const note = `${overflowed} of ${report.optimiser.evaluations} evaluations overflowed and counted as misses (the first at parameters.trade.gdpElasticity = `;
  assert.ok(r.stdout.includes(note), r.stdout);
  // a restart drawn where the model overflows (no slope to follow: every trial near it a miss) is drawn again
  const { startValues, redrawnStarts } = report.optimiser;
  assert.ok(redrawnStarts > 0, 'this seed draws a restart above 150');
  assert.match(r.stdout, new RegExp(`: region trade_usd reached (Inf|NaN) at [\\d.]+ \\(seed \\d+\\)\\); ${redrawnStarts} restarts? drawn there w(as|ere) drawn again: the bounds reach values where the model breaks down\\.\\n`));
  assert.ok(readFileSync(join(out, 'fit.html'), 'utf8').includes(note), 'fit.html says it too');
  assert.is(startValues.length, 3);
  for (const start of startValues) {
    const value = start['parameters.trade.gdpElasticity'];
    const run = cli('run', elasticityFit('start.json', 0.4, 200), '--set', `parameters.trade.gdpElasticity=${value}`, '--out', join(dir, 'start-run'));
    assert.is(run.status, 0, `the search started from ${value}, where the model overflows: ${run.stderr}`);
  }
});

test.run();
