/** `extends` semantics: objects deep-merge, arrays replace, addShocks appends, paths resolve from the file. */
import { posix } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveDocument, type DocumentHost } from '../src/scenario/resolve.js';
import { locate } from '../src/scenario/merge.js';
import { loadScenario } from '../src/scenario/load.js';
import { BASELINE, tempFolder, writeFixture } from './fixtures.js';

/** An in-memory host: the resolver runs without a file system (as it will in a browser). */
function memoryHost(files: Record<string, unknown>): DocumentHost {
  return {
    read: (p) => (p in files ? JSON.stringify(files[p]) : undefined),
    resolve: (from, ref) => (ref.startsWith('/') ? ref : posix.join(posix.dirname(from), ref)),
    display: (p) => p,
  };
}

test('objects deep-merge, arrays replace, addShocks appends', () => {
  const host = memoryHost({
    '/a/base.json': { name: 'base', policies: { benefitSharing: 0.1, disputeResolution: 0.2 }, list: [1, 2, 3], shocks: [{ type: 'drought' }] },
    '/a/sub/child.json': { extends: '../base.json', policies: { benefitSharing: 0.9 }, list: [9], addShocks: [{ type: 'pandemic' }] },
  });
  const { doc, chain, origins } = resolveDocument('/a/sub/child.json', host);
  assert.equal(doc.policies, { benefitSharing: 0.9, disputeResolution: 0.2 });
  assert.equal(doc.list, [9]);
  assert.equal(doc.shocks, [{ type: 'drought' }, { type: 'pandemic' }]);
  assert.is(doc.name, 'base');
  assert.not.ok('extends' in doc);
  assert.not.ok('addShocks' in doc);
  assert.equal(chain, ['/a/base.json', '/a/sub/child.json']);
  assert.equal(locate(origins, ['shocks', 1, 'type']), { file: '/a/sub/child.json', path: ['addShocks', 0, 'type'] });
  assert.equal(locate(origins, ['shocks', 0]), { file: '/a/base.json', path: ['shocks', 0] });
  assert.equal(locate(origins, ['policies', 'disputeResolution']), { file: '/a/base.json', path: ['policies', 'disputeResolution'] });
  assert.equal(locate(origins, ['policies', 'benefitSharing']), { file: '/a/sub/child.json', path: ['policies', 'benefitSharing'] });
});

test('an absolute extends path works, and a sixth member can be added by a child', async () => {
  const dir = tempFolder();
  const file = writeFixture(dir, 'with-aze.json', {
    extends: BASELINE,
    name: 'with-azerbaijan',
    states: {
      AZE: {
        name: 'Azerbaijan', gdp: 72, gdpYear: 2023, gdpGrowth: 0.03, population: 10.1, lat: 40.41, lon: 49.87,
        neighbours: [], upstream: false, memberships: ['CIS-FTA'], openness: 0.4, security: 0.8, waterStress: 0.5,
        support: 0.5, cooperation: { transport: 0.3, customs: 0.2, water: 0.1 },
      },
    },
  });
  const loaded = await loadScenario(file);
  assert.equal(Object.keys(loaded.scenario.states), ['KAZ', 'KGZ', 'TJK', 'TKM', 'UZB', 'AZE']);
  assert.is(loaded.scenario.shocks.length, 5, 'inherited shocks kept');
  const { simulate } = await import('../src/engine/simulate.js');
  const run = simulate(loaded, 1);
  assert.ok(run.reporters.some((r) => r.entity === 'AZE-KAZ' && r.variable === 'trust'));
  assert.ok(run.reporters.some((r) => r.entity === 'AZE' && r.variable === 'cooperation.customs'));
});

test('a new sector needs no code: energy added by a child scenario runs', async () => {
  const dir = tempFolder();
  const file = writeFixture(dir, 'energy.json', {
    extends: BASELINE,
    sectors: { energy: { label: 'Energy', benefit: 0.5, politicalCost: 0.3, tradeCost: 0.1, waterRelief: 0.05, integration: 'positive', balassa: 'policy', agreement: 0.2, unilateral: 0.2 } },
    spillover: { matrix: { water: { energy: 0.4 } } },
  });
  const loaded = await loadScenario(file);
  const { simulate } = await import('../src/engine/simulate.js');
  const run = simulate(loaded, 1);
  assert.ok(run.reporters.some((r) => r.entity === 'region' && r.variable === 'spillover.water.energy'));
  assert.ok(run.reporters.some((r) => r.entity === 'KGZ' && r.variable === 'cooperation.energy'));
});

test.run();
