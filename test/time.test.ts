/** Time and scheduling at the edges: one step a year, weekly steps, many summits per step. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summitsBetween } from '../src/engine/phases/summit.js';
import { series } from '../src/engine/simulate.js';
import { load, run, variant } from './helpers.js';

test('summits fall once a year at the summit phase, whatever the step', () => {
  let count = 0;
  for (let k = 0; k < 52 * 3; k++) count += summitsBetween(2025 + k / 52, 2025 + (k + 1) / 52, 1, 0.6);
  assert.is(count, 3);
  assert.is(summitsBetween(2025, 2026, 12, 0.5), 12);
  assert.is(summitsBetween(2025, 2025.25, 1, 0.6), 0);
  assert.is(summitsBetween(2025.5, 2025.75, 1, 0.6), 1);
  assert.is(summitsBetween(2025, 2030, 0, 0.5), 0);
});

test('yearly and weekly steps run and tell the same story', async () => {
  const world = await load('scenarios/world/central-asia.json');
  const yearly = run(variant(world, (s) => { s.stepsPerYear = 1; }));
  const weekly = run(variant(world, (s) => { s.stepsPerYear = 52; }));
  assert.is(yearly.times.length, 16);
  assert.is(weekly.times.length, 15 * 52 + 1);
  const last = (r: typeof yearly, v: string) => { const s = series(r, 'region', v)!; return s[s.length - 1]; };
  for (const v of ['cooperation.transport', 'cooperation.customs', 'integration_index'])
    assert.ok(Math.abs(last(yearly, v) - last(weekly, v)) < 0.1, `${v}: ${last(yearly, v)} vs ${last(weekly, v)}`);
});

test('more summits a year deepen agreements faster', async () => {
  const world = await load('scenarios/world/central-asia.json');
  const deals = (m: number) => { const s = series(run(variant(world, (x) => { x.policies.councilMeetingsPerYear = m; x.policies.benefitSharing = 1; })), 'region', 'agreements_made')!; return s[s.length - 1]; };
  assert.is(deals(0), 0);
  assert.ok(deals(4) > deals(1), `${deals(4)} vs ${deals(1)}`);
});

test.run();
