/**
 * Golden files: yearly values of key outputs for shipped scenarios at their own seeds. A change that moves
 * results fails here; if the move is intended, it is a model change: regenerate with
 * `UPDATE_GOLDEN=1 npm test`, raise MODEL_VERSION and say in CHANGELOG.md what moved and why.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { series, simulate } from '../src/engine/simulate.js';
import { formatNumber } from '../src/collect/format.js';
import { MODEL_VERSION } from '../src/engine/version.js';
import { load } from './helpers.js';

const VARIABLES: Array<[string, string]> = [
  ['region', 'cooperation.transport'], ['region', 'cooperation.customs'], ['region', 'cooperation.water'],
  ['region', 'agreement.customs'], ['region', 'trade_usd'], ['region', 'integration_index'], ['region', 'balassa_stage'],
  ['KGZ-TJK', 'trust'], ['UZB', 'water_stress'], ['KGZ', 'security'],
];
const TOLERANCE = 1e-6; // relative; the engine is deterministic, this only absorbs printing

for (const name of ['baseline', 'deep-integration', 'kyrgyz-tajik-clash']) {
  test(`${name} matches its golden file (model ${MODEL_VERSION})`, async () => {
    const run = simulate(await load(`scenarios/${name}.json`));
    const lines = ['model_version,time,entity,variable,value'];
    run.times.forEach((t, k) => {
      if (k % run.world.stepsPerYear !== 0) return;
      for (const [e, v] of VARIABLES) lines.push(`${MODEL_VERSION},${t},${e},${v},${formatNumber(series(run, e, v)![k])}`);
    });
    const file = `test/golden/${name}.csv`;
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, `${lines.join('\n')}\n`);
    assert.ok(existsSync(file), `${file} is missing: UPDATE_GOLDEN=1 npm test writes it`);
    const golden = readFileSync(file, 'utf8').trim().split('\n');
    assert.is(golden.length, lines.length, 'same rows');
    for (let r = 1; r < lines.length; r++) {
      const want = golden[r].split(','), got = lines[r].split(',');
      assert.equal(got.slice(0, 4), want.slice(0, 4), `row ${r}: ${golden[r]} (a model change must raise MODEL_VERSION and regenerate)`);
      const a = Number(got[4]), b = Number(want[4]);
      assert.ok(Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(b)), `${got.slice(1, 4).join(' ')}: ${a}, golden ${b}`);
    }
  });
}

test.run();
