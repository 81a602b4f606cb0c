/**
 * The engine runs unchanged in a browser and gives there the bytes it gives in Node: the same scenario and seeds,
 * bundled for the browser (no Node built-in may come along), run in Debian's Chromium, whose V8 is years newer than
 * Node 20's and computes `Math.log` otherwise. Before the engine took its elementary functions from src/math,
 * every run of every shipped scenario parted from Node's at its first steps.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';
import { hasChromium, CHROMIUM } from './browser.js';
import { engineBundle, fingerprintsInChromium } from './engine-bundle.js';
import { fingerprints } from './engine-fingerprint.js';

const SCENARIOS = ['baseline', 'kyrgyz-tajik-clash', 'pandemic', 'eu-global-gateway'];
const RUNS = 40;

test('every recorded value of 40 runs of four scenarios has the same bits in Chromium as in Node', async () => {
  assert.ok(hasChromium(), `no browser at ${CHROMIUM}: .ci/run installs Debian's chromium (apt-get install chromium)`);
  const code = await engineBundle();
  assert.not.match(code, /require\(["']node:|from ["']node:/, 'the engine bundle needs no Node built-in');
  const scenarios: Scenario[] = [];
  for (const name of SCENARIOS) scenarios.push((await loadScenario(`scenarios/${name}.json`)).scenario);
  const inNode = scenarios.map((s) => fingerprints(s, RUNS));
  const { runtime, prints, problems } = await fingerprintsInChromium(code, scenarios, RUNS);
  SCENARIOS.forEach((name, k) => {
    const first = inNode[k].findIndex((h, r) => h !== prints[k][r]);
    assert.is(first, -1, `${name}: run with seed ${first + 1} differs in ${runtime} from Node ${process.version}`);
  });
  assert.equal(problems, []);
});

test.run();
