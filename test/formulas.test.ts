/** Scenario formulas: compiled once, evaluated in the documented scope, and they change the results. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenario } from '../src/scenario/load.js';
import { at, load, run } from './helpers.js';
import { BASELINE, tempFolder, writeFixture } from './fixtures.js';

test('a utility formula is compiled and moves cooperation the way it says', async () => {
  const dir = tempFolder();
  const penalty = await loadScenario(writeFixture(dir, 'penalty.json', { extends: BASELINE, formulas: { utility: '-0.5 * upstream' } }));
  assert.type(penalty.formulas.utility, 'function');
  const plain = run(await load('scenarios/baseline.json'));
  const withFormula = run(penalty);
  for (const c of ['KGZ', 'TJK']) assert.ok(at(withFormula, c, 'cooperation.transport', 2035) < at(plain, c, 'cooperation.transport', 2035) - 0.05, c);
  // downstream states are not penalised directly
  assert.ok(Math.abs(at(withFormula, 'KAZ', 'cooperation.transport', 2026) - at(plain, 'KAZ', 'cooperation.transport', 2026)) < 0.01);
});

test('scenarios without formulas carry no compiled hook', async () => {
  const baseline = await load('scenarios/baseline.json');
  assert.equal(baseline.formulas, {});
});

test.run();
