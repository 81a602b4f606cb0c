/** Every shipped scenario validates and runs, and every run keeps the model's invariants. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { simulate } from '../src/engine/simulate.js';
import { loadScenario } from '../src/scenario/load.js';

function scenarioFiles(folder = 'scenarios'): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? scenarioFiles(join(folder, e.name)) : e.name.endsWith('.json') ? [join(folder, e.name)] : [],
  );
}

const files = scenarioFiles();

test('the shipped scenarios are the ones the issue asks for', () => {
  for (const name of ['baseline', 'eu-global-gateway', 'severe-drought', 'kyrgyz-tajik-clash', 'pandemic', 'deep-integration'])
    assert.ok(files.includes(join('scenarios', `${name}.json`)), name);
});

for (const file of files) {
  test(`${file} validates, runs and keeps the invariants on three seeds`, async () => {
    const loaded = await loadScenario(file);
    assert.ok(loaded.scenario.description.length > 40, 'has a description of its question');
    for (const seed of [1, 2, 3]) {
      const run = simulate(loaded, seed);
      const width = run.reporters.length;
      run.reporters.forEach((r, c) => {
        for (let k = 0; k < run.times.length; k++) {
          const v = run.values[k * width + c];
          const where = `${file} seed ${seed} ${r.entity} ${r.variable} step ${k}`;
          assert.ok(Number.isFinite(v), `${where} is ${v}`);
          if (/^(cooperation|agreement)\.|^(trust|border|security|water_stress|support|openness|institutions|integration_index|negative_integration|positive_integration)$/.test(r.variable))
            assert.ok(v >= 0 && v <= 1, `${where} = ${v} outside [0, 1]`);
          if (r.variable.endsWith('_usd')) assert.ok(v >= 0, `${where} = ${v} < 0`);
          if (r.variable === 'balassa_stage') assert.ok(Number.isInteger(v) && v >= 0 && v <= 6, `${where} = ${v}`);
        }
      });
    }
  });
}

test('the spillover attribution adds up to the change in cooperation', async () => {
  const run = simulate(await loadScenario('scenarios/baseline.json'), 5);
  const width = run.reporters.length;
  const col = (e: string, v: string) => run.reporters.findIndex((r) => r.entity === e && r.variable === v);
  for (const sector of run.world.sectors) {
    const coop = col('region', `cooperation.${sector}`);
    const parts = ['own', 'functional', 'political', 'cultivated', 'shock', 'noise'].map((ch) => col('region', `attribution.${sector}.${ch}`));
    for (let k = 1; k < run.times.length; k++) {
      const change = run.values[k * width + coop] - run.values[(k - 1) * width + coop];
      const sum = parts.reduce((s, c) => s + run.values[k * width + c], 0);
      assert.ok(Math.abs(change - sum) < 1e-12, `${sector} step ${k}: ${change} vs ${sum}`);
    }
    const functional = run.world.sectors.filter((f) => f !== sector).map((f) => col('region', `spillover.${f}.${sector}`));
    for (let k = 1; k < run.times.length; k++) {
      const total = functional.reduce((s, c) => s + run.values[k * width + c], 0);
      assert.ok(Math.abs(total - run.values[k * width + col('region', `attribution.${sector}.functional`)]) < 1e-12);
    }
  }
});

test.run();
