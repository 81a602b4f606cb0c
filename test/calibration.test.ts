/**
 * Calibration: the shipped historical run meets the targets; calibrate recovers parameters used to make
 * synthetic observations; it is reproducible from its seed; the generated files are up to date; bad
 * calibration input is an input error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { calibrationInputs } from '../src/calibrate/targets.js';
import { fit, calibrationSeeds } from '../src/calibrate/fit.js';
import { annualMean, withValues } from '../src/calibrate/objective.js';
import { endState } from '../src/collect/end-state.js';
import { simulate } from '../src/engine/simulate.js';
import { buildWorld } from '../src/engine/world.js';
import { InputError } from '../src/scenario/errors.js';
import { loadScenario } from '../src/scenario/load.js';
import { load } from './helpers.js';
import { tempFolder, writeFixture } from './fixtures.js';

const HISTORICAL = 'scenarios/historical.json';
const dir = tempFolder();

test('the shipped historical run meets the trade targets (2018 within 15%, 2023 and 2024 within 10%)', async () => {
  const run = simulate(await load(HISTORICAL));
  const check = (year: number, observed: number, tolerance: number) => {
    const simulated = annualMean(run, 'region', 'trade_usd', year) / 1e9;
    assert.ok(Math.abs(simulated / observed - 1) <= tolerance, `${year}: ${simulated.toFixed(2)} vs ${observed} (tolerance ${100 * tolerance}%)`);
  };
  check(2018, 5.5, 0.15);
  check(2023, 11.0, 0.1);
  check(2024, 11.5, 0.1);
});

test('calibrate recovers the parameters that made synthetic observations', async () => {
  const base = await load(HISTORICAL);
  const truth = { 'parameters.trade.initialTotal': 4.2, 'parameters.trade.gdpElasticity': 0.95 };
  // a stochastic variant (effort noise on), so the fit must average replicates
  const noisy = { ...base, scenario: structuredClone(base.scenario) };
  noisy.scenario.parameters.effort.noise = 0.02;
  const inputs0 = calibrationInputs(base);
  const seeds = calibrationSeeds(99, 4);
  const world = buildWorld(withValues(noisy, inputs0, Object.values(truth)));
  const runs = seeds.map((s) => simulate(world, s));
  const years = [2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024];
  const rows = years.map((y) => `region,${y},${runs.reduce((s, r) => s + annualMean(r, 'region', 'trade_usd', y), 0) / runs.length / 1e9},synthetic,`);
  writeFixture(dir, 'synthetic.csv', `entity,year,trade_usd_bn,source,note\n${rows.join('\n')}\n`);
  const file = writeFixture(dir, 'synthetic.json', {
    extends: join(process.cwd(), HISTORICAL),
    parameters: { effort: { noise: 0.02 } },
    calibration: {
      parameters: [
        { path: 'parameters.trade.initialTotal', min: 3, max: 7 },
        { path: 'parameters.trade.gdpElasticity', min: 0.4, max: 1.4 },
      ],
      targets: [{ name: 'synthetic trade', file: './synthetic.csv', where: { entity: 'region' }, valueColumn: 'trade_usd_bn', scale: 1e9, entity: 'region', variable: 'trade_usd' }],
      replicates: 4,
      maxIterations: 60,
      restarts: 1,
    },
  });
  const loaded = await loadScenario(file);
  const result = fit(loaded, calibrationInputs(loaded), 99);
  assert.ok(Math.abs(result.values[0] / 4.2 - 1) < 0.01, `initialTotal ${result.values[0]} (truth 4.2, within 1%)`);
  assert.ok(Math.abs(result.values[1] / 0.95 - 1) < 0.01, `gdpElasticity ${result.values[1]} (truth 0.95, within 1%)`);
  assert.ok(result.objective < 1e-6, `objective ${result.objective}`);
});

test('calibrate is reproducible from its seed', async () => {
  const loaded = await load(HISTORICAL);
  const a = fit(loaded, calibrationInputs(loaded), 5);
  const b = fit(loaded, calibrationInputs(loaded), 5);
  assert.equal(a.values, b.values);
  assert.is(a.objective, b.objective);
  assert.is(a.evaluations, b.evaluations);
});

test('the shipped fitted parameters and the 2025 state are what the shipped data give (npm run calibrate)', async () => {
  const loaded = await load(HISTORICAL);
  const inputs = calibrationInputs(loaded);
  const result = fit(loaded, inputs, loaded.scenario.seed);
  inputs.parameters.forEach((p, k) =>
    assert.ok(Math.abs(result.values[k] / p.start - 1) < 1e-3, `${p.path}: shipped ${p.start}, fit gives ${result.values[k]}; run npm run calibrate`),
  );
  const state = endState([simulate(loaded)]) as { states: Record<string, { cooperation: Record<string, number> }>; parameters: { trade: { initialTotal: number } } };
  const shipped = JSON.parse(readFileSync('scenarios/calibrated/state-2025.json', 'utf8'));
  assert.equal(shipped.states, { ...shipped.states, ...state.states }, 'state-2025.json is stale: run npm run calibrate');
  assert.is(shipped.parameters.trade.initialTotal, state.parameters.trade.initialTotal);
});

test('the baseline starts where history ends', async () => {
  const history = simulate(await load(HISTORICAL));
  const baseline = simulate(await load('scenarios/baseline.json'));
  assert.is(baseline.times[0], history.times[history.times.length - 1]);
  const last = history.times.length - 1;
  const width = (r: typeof history) => r.reporters.length;
  for (const variable of ['cooperation.customs', 'trade_usd', 'institutions', 'agreement.transport']) {
    const h = history.reporters.findIndex((r) => r.entity === 'region' && r.variable === variable);
    const b = baseline.reporters.findIndex((r) => r.entity === 'region' && r.variable === variable);
    const a = history.values[last * width(history) + h], z = baseline.values[b];
    assert.ok(Math.abs(a - z) <= 1e-5 * Math.max(1, Math.abs(a)), `${variable}: history ends at ${a}, baseline starts at ${z}`);
  }
});

async function calibrationError(calibration: unknown, extra: Record<string, string> = {}): Promise<string> {
  for (const [name, text] of Object.entries(extra)) writeFixture(dir, name, text);
  const file = writeFixture(dir, 'bad-calibration.json', { extends: join(process.cwd(), HISTORICAL), calibration });
  try {
    calibrationInputs(await loadScenario(file));
  } catch (e) {
    assert.instance(e, InputError);
    return (e as Error).message;
  }
  throw new assert.Assertion({ message: 'accepted', expects: 'an error', actual: 'none', operator: 'throws', generated: false });
}

const target = { name: 't', file: '../data/trade.csv', where: { entity: 'region' }, valueColumn: 'trade_usd_bn', scale: 1e9, entity: 'region', variable: 'trade_usd' };
const absoluteTarget = { ...target, file: join(process.cwd(), 'data/trade.csv') };

test('bad calibration input: unknown parameter path, reversed bounds, missing or malformed target file', async () => {
  assert.match(await calibrationError({ parameters: [{ path: 'parameters.trade.gdpElastcity', min: 0, max: 1 }], targets: [absoluteTarget] }),
    /bad-calibration\.json: calibration\.parameters\[0\]\.path: "parameters\.trade\.gdpElastcity" names nothing in the scenario; did you mean "parameters\.trade\.gdpElasticity"\?/);
  assert.match(await calibrationError({ parameters: [{ path: 'parameters.nothing.here', min: 0, max: 1 }], targets: [absoluteTarget] }),
    /"parameters\.nothing\.here" names nothing in the scenario; expected the dotted path of a number, e\.g\. "parameters\.trade\.gdpElasticity"/);
  assert.match(await calibrationError({ parameters: [{ path: 'parameters.trade', min: 0, max: 1 }], targets: [absoluteTarget] }),
    /calibration\.parameters\[0\]\.path: "parameters\.trade" names \{.*, not a number/);
  assert.match(await calibrationError({ parameters: [{ path: 'parameters.trade.gdpElasticity', min: 1.2, max: 0.5 }], targets: [absoluteTarget] }),
    /calibration\.parameters\[0\]\.max: 0\.5 is not above min \(1\.2\); expected bounds with min < max/);
  // the search tries the bounds: each gets the checks a scenario's own value does, as a design's values do
  assert.match(await calibrationError({ parameters: [{ path: 'policies.benefitSharing', min: 0, max: 2 }], targets: [absoluteTarget] }),
    /bad-calibration\.json: calibration\.parameters\[0\]\.max: 2 is out of range; expected a number <= 1$/);
  assert.match(await calibrationError({ parameters: [{ path: 'states.KAZ.population', min: -1, max: 30 }], targets: [absoluteTarget] }),
    /calibration\.parameters\[0\]\.min: -1 is out of range; expected a number > 0$/);
  assert.match(await calibrationError({ parameters: [{ path: 'shocks.0.at', min: 2020, max: 2025 }], targets: [absoluteTarget] }),
    /calibration\.parameters\[0\]\.max: 2025 is the scenario's end, where no step starts, so the shock would never strike/);
  const ok = [{ path: 'parameters.trade.gdpElasticity', min: 0.5, max: 1.2 }];
  // a path fitted twice was two dimensions of the search writing one number, and two fitted values in calibration.json
  assert.match(await calibrationError({ parameters: [...ok, { path: 'parameters.trade.initialTotal', min: 3, max: 7 }, { ...ok[0], min: 0.4 }], targets: [absoluteTarget] }),
    /bad-calibration\.json: calibration\.parameters\[2\]\.path: "parameters\.trade\.gdpElasticity" is listed twice \(also at \[0\]\); expected each parameter once$/);
  assert.match(await calibrationError({ parameters: ok, targets: [{ ...target, file: './nope.csv' }] }),
    /bad-calibration\.json: calibration\.targets\[0\]\.file: cannot read ".*nope\.csv": no such file/);
  assert.match(await calibrationError({ parameters: ok, targets: [{ ...target, file: './broken.csv' }] }, { 'broken.csv': 'entity,year,trade_usd_bn\nregion,2018\n' }),
    /broken\.csv: line 2: malformed CSV: 2 fields; expected 3/);
  assert.match(await calibrationError({ parameters: ok, targets: [{ ...target, file: './words.csv' }] }, { 'words.csv': 'entity,year,trade_usd_bn\nregion,2018,lots\n' }),
    /words\.csv: line 2: year "2018", trade_usd_bn "lots"; expected a year and a number/);
  assert.match(await calibrationError({ parameters: ok, targets: [{ ...target, file: './cols.csv' }] }, { 'cols.csv': 'entity,yr,value\nregion,2018,5\n' }),
    /cols\.csv: line 1: no column "year"/);
  assert.match(await calibrationError({ parameters: ok, targets: [{ ...absoluteTarget, where: { entity: 'REGION' } }] }),
    /calibration\.targets\[0\]\.where: no rows of .*trade\.csv match \{"entity":"REGION"\}/);
  assert.match(await calibrationError({ parameters: ok, targets: [{ ...absoluteTarget, variable: 'trade' }] }),
    /calibration\.targets\[0\]\.variable: "region trade" is not recorded by the model/);
  // a year observed twice (a revised value left beside the old) weighed that year twice in the fit
  assert.match(await calibrationError({ parameters: ok, targets: [{ ...target, file: './twice.csv' }] }, { 'twice.csv': 'entity,year,trade_usd_bn\nregion,2018,5\nregion,2023,6\nKAZ,2023,2\nregion,2023,6.5\n' }),
    /twice\.csv: line 5: year 2023 again for target "t" \(line 3 has it too\); expected one observation a year \(tell the rows apart with "where"\)$/);
  // two observations in all: the optimiser threw "must be an array with more than 2 points", an internal error
  assert.match(await calibrationError({ parameters: ok, targets: [{ ...target, file: './two.csv' }] }, { 'two.csv': 'entity,year,trade_usd_bn\nregion,2018,5\nregion,2023,6\nKAZ,2024,2\n' }),
    /bad-calibration\.json: calibration\.targets: 2 observations in all; expected at least 3 to fit to \(years of the targets' files that match their "where"\)$/);
  // a row that a target's "where" misses only by case was left out of the fit without a word
  assert.match(await calibrationError({ parameters: ok, targets: [{ ...target, file: './case.csv' }] }, { 'case.csv': 'entity,year,trade_usd_bn\nregion,2018,5\nregion,2023,6\nRegion,2024,6.5\nKAZ,2024,2\n' }),
    /case\.csv: line 4: entity "Region" differs from "region", which target "t" reads, only in case; expected "region" exactly, or a value of its own$/);
  assert.match(await calibrationError({ parameters: ok, checks: [{ ...target, name: 'u', file: './lower.csv', where: { entity: 'UZB' }, entity: 'UZB' }], targets: [absoluteTarget] }, { 'lower.csv': 'entity,year,trade_usd_bn\nUZB,2017,3\nuzb,2024,7\n' }),
    /lower\.csv: line 3: entity "uzb" differs from "UZB", which check "u" reads, only in case;/);
  // unless another target or check reads it as its own
  const own = writeFixture(dir, 'own.csv', 'entity,year,trade_usd_bn\nregion,2018,5\nregion,2023,6\nregion,2024,7\nRegion,2024,6.5\n');
  const both = await loadScenario(writeFixture(dir, 'own.json', { extends: join(process.cwd(), HISTORICAL), calibration: { parameters: ok, targets: [{ ...target, file: own }], checks: [{ ...target, name: 'R', file: own, where: { entity: 'Region' } }] } }));
  assert.equal(calibrationInputs(both).checks[0].years, [2024]);
  // one series listed twice (copied, its "where" in another order) weighed it double without a word: what "weight" is for
  const keyed = writeFixture(dir, 'keyed.csv', 'entity,kind,year,trade_usd_bn\nregion,goods,2018,5\nregion,goods,2023,6\nregion,all,2023,9\nregion,goods,2024,7\n');
  const goods = { ...target, file: keyed, where: { entity: 'region', kind: 'goods' } };
  assert.match(await calibrationError({ parameters: ok, targets: [goods, { ...goods, name: 'again', where: { kind: 'goods', entity: 'region' }, weight: 2 }] }),
    /bad-calibration\.json: calibration\.targets\[1\]\.name: "again" reads the rows of .*keyed\.csv that target "t" \(\[0\]\) reads, into region trade_usd; expected each series once \(a "weight" to count it more\)$/);
  // other rows of the file, or the same rows into another series, or a check beside a target, are series of their own
  for (const other of [{ ...goods, name: 'all', where: { entity: 'region', kind: 'all' } }, { ...goods, name: 'KAZ', entity: 'KAZ' }]) {
    const scenario = await loadScenario(writeFixture(dir, 'distinct.json', { extends: join(process.cwd(), HISTORICAL), calibration: { parameters: ok, targets: [goods, other], checks: [goods] } }));
    assert.is(calibrationInputs(scenario).targets.length, 2, other.name);
  }
  // three, in two targets, are enough
  const three = writeFixture(dir, 'three.csv', 'entity,year,trade_usd_bn\nregion,2018,5\nregion,2023,6\nKAZ,2024,2\n');
  const loaded = await loadScenario(writeFixture(dir, 'three.json', { extends: join(process.cwd(), HISTORICAL), calibration: { parameters: ok, targets: [{ ...target, file: three }, { ...target, name: 'k', file: three, where: { entity: 'KAZ' }, entity: 'KAZ' }] } }));
  assert.equal(fit(loaded, calibrationInputs(loaded), 1).targets.map((t) => t.simulated.length), [2, 1]);
});

test.run();
