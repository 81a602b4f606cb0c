import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { timeseriesCsv } from '../src/collect/tidy.js';
import { Runner, simulate } from '../src/engine/simulate.js';
import { buildWorld, type World } from '../src/engine/world.js';
import { withValuesAt } from '../src/scenario/paths.js';
import { load } from './helpers.js';

test('the same scenario and seed give a byte-identical timeseries.csv', async () => {
  const baseline = await load('scenarios/baseline.json');
  const a = timeseriesCsv(simulate(baseline, 11));
  const b = timeseriesCsv(simulate(baseline, 11));
  assert.ok(a.length > 100000);
  assert.is(a, b);
});

test('a runner reusing one state gives each run exactly as a fresh simulation does', async () => {
  for (const file of ['scenarios/baseline.json', 'scenarios/kyrgyz-tajik-clash.json', 'scenarios/pandemic.json']) {
    const loaded = await load(file);
    const runner = new Runner(simulate(loaded, 1).world);
    for (const seed of [5, 6, 5, 900]) {
      const fresh = simulate(loaded, seed);
      const reused = runner.run(seed, { events: true });
      assert.equal(Array.from(reused.values), Array.from(fresh.values), `${file} seed ${seed}`);
      assert.equal(reused.events, fresh.events);
    }
  }
});

test('a runner retargeted to another world of the same shape runs it as a new runner does; one of another shape it refuses', async () => {
  const baseline = await load('scenarios/baseline.json');
  const world = (values: Record<string, number>) => buildWorld({ ...baseline, scenario: withValuesAt(baseline.scenario, values) });
  const runner = new Runner(world({ 'spillover.strength': 0.2 }));
  runner.run(1, { events: true });
  // other values of the parameters and policies
  const designs: Array<Record<string, number>> = [{ 'spillover.strength': 1.7, 'policies.benefitSharing': 0.9 }, { 'spillover.strength': 0.2, 'parameters.effort.noise': 0.2 }];
  for (const values of designs) {
    const other = world(values);
    assert.ok(runner.retarget(other), JSON.stringify(values));
    for (const seed of [7, 8]) {
      const fresh = new Runner(other).run(seed, { events: true });
      const reused = runner.run(seed, { events: true });
      assert.equal(Array.from(reused.values), Array.from(fresh.values), `${JSON.stringify(values)} seed ${seed}`);
      assert.equal(reused.events, fresh.events);
    }
  }
  // a world with more random shocks needs more room for them: refused, and the runner still runs its own world
  const random = baseline.scenario.shocks.findIndex((s) => !s.probability);
  assert.ok(random >= 0, 'the baseline schedules a shock');
  const before = Array.from(runner.run(9).values);
  assert.not.ok(runner.retarget(world({ [`shocks.${random}.probability`]: 0.3 })));
  // so is a world with other compiled formulas (the step scratch is made for the runner's)
  assert.not.ok(runner.retarget(buildWorld({ ...baseline, formulas: { ...baseline.formulas } })));
  assert.equal(Array.from(runner.run(9).values), before);
});

test('recording fewer columns (no attribution, no events) changes none of the values recorded', async () => {
  for (const file of ['scenarios/baseline.json', 'scenarios/kyrgyz-tajik-clash.json', 'scenarios/pandemic.json']) {
    const loaded = await load(file);
    const full = simulate(loaded, 3);
    const columns = full.reporters.flatMap((r, k) => (r.variable.startsWith('attribution.') || r.variable.startsWith('spillover.') ? [] : [k]));
    assert.ok(columns.length < full.reporters.length, 'the full table has attribution columns');
    const runner = new Runner(full.world, columns);
    for (const seed of [3, 4, 3]) {
      const part = runner.run(seed, { events: false });
      const whole = simulate(loaded, seed);
      const width = whole.reporters.length;
      columns.forEach((c, j) => {
        for (let k = 0; k < whole.times.length; k++)
          if (!Object.is(part.values[k * columns.length + j], whole.values[k * width + c])) assert.unreachable(`${file} seed ${seed}: ${whole.reporters[c].entity} ${whole.reporters[c].variable} at step ${k}`);
      });
    }
  }
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


test("a world built with a previous one borrows its GDP trend only when computed from the same values, and runs the same", async () => {
  const loaded = await load('scenarios/baseline.json');
  const first = buildWorld(loaded);
  const policy = { ...loaded, scenario: withValuesAt(loaded.scenario, { 'policies.benefitSharing': 0.7 }) };
  const borrowed = buildWorld(policy, first);
  assert.ok(borrowed.trend === first.trend, 'a policy leaves the trend as it was: borrowed');
  assert.equal(Array.from(simulate(borrowed, 4).values), Array.from(simulate(buildWorld(policy), 4).values));
  const growth = { ...loaded, scenario: withValuesAt(loaded.scenario, { 'states.KAZ.gdpGrowth': 0.08 }) };
  const own = buildWorld(growth, first);
  assert.ok(own.trend !== first.trend);
  assert.equal(Array.from(own.trend), Array.from(buildWorld(growth).trend));
  assert.equal(Array.from(own.gdpStart), Array.from(buildWorld(growth).gdpStart));
  // a scenario changed in place since the previous world was built (as a page with sliders might): not the same values
  const scenario = structuredClone(loaded.scenario);
  const before = buildWorld({ ...loaded, scenario });
  scenario.states.KAZ.gdpPath = { ...scenario.states.KAZ.gdpPath, 2024: 400 };
  const after = buildWorld({ ...loaded, scenario }, before);
  assert.ok(after.trend !== before.trend);
  assert.not.equal(Array.from(after.trend), Array.from(before.trend), 'the change moves the trend');
  assert.equal(Array.from(after.trend), Array.from(buildWorld({ ...loaded, scenario }).trend));
});

/** Whether two worlds hold the same values (their scenario objects aside), part by part; returns the first that differs. */
function differs(a: World, b: World): keyof World | undefined {
  for (const key of Object.keys(a) as Array<keyof World>) {
    if (key === 'scenario' || key === 'params' || key === 'policies' || key === 'formulas') continue;
    const x = a[key], y = b[key];
    const plain = (v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v);
    if (JSON.stringify(plain(x)) !== JSON.stringify(plain(y))) return key;
  }
  return undefined;
}

test("a design point's world lends the parts off the design's paths from the last point's, and is the world built alone", async () => {
  const loaded = await load('scenarios/baseline.json');
  const first = buildWorld({ ...loaded, scenario: withValuesAt(loaded.scenario, {}) });
  // each design path, and the parts of a world computed anew for it (the part it moves among them)
  const geography: Array<keyof World> = ['logDyadFactor', 'trust0', 'pairs'];
  const trend: Array<keyof World> = ['trend', 'trendKey', 'trendScale', 'gdpStart'];
  const states: Array<keyof World> = ['droughtSensitivity', 'poverty', 'coop0', 'population'];
  const cases: Array<[string, number, Array<keyof World>]> = [
    ['policies.benefitSharing', 0.7, []],
    ['parameters.trade.transitCost', 0.9, geography],
    ['parameters.trade.distanceElasticity', 1.3, geography],
    ['parameters.trade.gdpElasticity', 0.5, trend],
    ['parameters.water.upstreamSensitivity', 0.9, states],
    ['states.KGZ.gdpGrowth', 0.08, [...trend, ...states, ...geography]],
    ['shocks.1.magnitude', 0.9, ['shocks']],
    ['sectors.customs.benefit', 1.7, ['benefit', ...states]],
    ['spillover.matrix.transport.customs', 0.05, ['matrix']],
  ];
  for (const [path, value, own] of cases) {
    const point = { ...loaded, scenario: withValuesAt(loaded.scenario, { [path]: value }) };
    const alone = buildWorld(point);
    const lent = buildWorld(point, first, [path]);
    assert.is(differs(lent, alone), undefined, path);
    if (own.length) assert.ok(own.includes(differs(alone, first) as keyof World), `${path} moves one of ${own.join(', ')}`);
    // what the path does not touch is the last world's, not a copy; the states and sectors always are
    for (const part of [...geography, ...trend, ...states, 'shocks', 'benefit', 'matrix', 'codes', 'sectors'] as Array<keyof World>)
      assert.is(lent[part] === first[part], !own.includes(part), `${path}: ${part} ${own.includes(part) ? 'computed anew' : 'lent'}`);
    assert.equal(Array.from(simulate(lent, 4).values), Array.from(simulate(alone, 4).values), path);
  }
  // without the design's paths, nothing but the trend is lent: the caller has not said what differs
  const unsaid = buildWorld({ ...loaded, scenario: withValuesAt(loaded.scenario, { 'parameters.trade.transitCost': 0.9 }) }, first);
  assert.ok(unsaid.logDyadFactor !== first.logDyadFactor && unsaid.trend === first.trend);
});

test("a wrong list of varied paths costs a build, not a wrong world: parts are lent only where both scenarios hold the same objects", async () => {
  const loaded = await load('scenarios/baseline.json');
  const first = buildWorld({ ...loaded, scenario: withValuesAt(loaded.scenario, {}) });
  const cases: Array<[Record<string, number>, Array<keyof World>]> = [
    // a path left out of the list: the parts it reaches are built, the rest still lent
    [{ 'parameters.trade.transitCost': 0.9 }, ['logDyadFactor']],
    [{ 'states.KGZ.gdpGrowth': 0.08 }, ['trend', 'poverty', 'logDyadFactor']],
    [{ 'shocks.1.magnitude': 0.9 }, ['shocks']],
    [{ 'spillover.matrix.transport.customs': 0.05 }, ['matrix']],
    // a number of the run's calendar, which no design may vary but a library caller can
    [{ end: 2035 }, ['trend', 'trendScale']],
    [{ start: 2026 }, ['trend', 'gdpStart', 'poverty']],
    [{ stepsPerYear: 12 }, ['trend', 'shocks']],
  ];
  for (const [values, built] of cases) {
    const point = { ...loaded, scenario: withValuesAt(loaded.scenario, values) };
    const lent = buildWorld(point, first, ['policies.benefitSharing']);
    const path = Object.keys(values)[0];
    assert.is(differs(lent, buildWorld(point)), undefined, path);
    for (const part of built) assert.ok(lent[part] !== first[part], `${path}: ${part} built`);
    assert.ok(lent.pairs === first.pairs || built.includes('logDyadFactor'), `${path}: what it leaves is lent`);
    assert.equal(Array.from(simulate(lent, 4).values), Array.from(simulate(buildWorld(point), 4).values), path);
  }
  // a scenario copied (or loaded) apart holds equal values in other objects: every part is built, the lists of states
  // and sectors (the same names) still lent
  const again = buildWorld({ ...loaded, scenario: structuredClone(loaded.scenario) }, first, ['policies.benefitSharing']);
  assert.is(differs(again, first), undefined);
  assert.ok(again.logDyadFactor !== first.logDyadFactor && again.shocks !== first.shocks && again.matrix !== first.matrix);
  assert.ok(again.codes === first.codes && again.sectors === first.sectors);
  // a scenario changed in place is the same object: the list says what changed, and those parts are built
  const scenario = structuredClone(loaded.scenario);
  const before = buildWorld({ ...loaded, scenario });
  scenario.parameters.trade.transitCost = 0.9;
  const after = buildWorld({ ...loaded, scenario }, before, ['parameters.trade.transitCost']);
  assert.is(differs(after, buildWorld({ ...loaded, scenario: structuredClone(scenario) })), undefined);
  assert.ok(after.logDyadFactor !== before.logDyadFactor && after.matrix === before.matrix);
});

test.run();
