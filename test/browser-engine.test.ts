/**
 * The engine runs unchanged in a browser and gives there the bytes it gives in Node: the same scenario and seeds,
 * bundled for the browser (no Node built-in may come along), run in Debian's Chromium, whose V8 is years newer than
 * Node 20's and computes `Math.log` otherwise. Before the engine took its elementary functions from engine/math,
 * every run of every shipped scenario parted from Node's at its first steps.
 */
import { build } from 'esbuild';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';
import { hasChromium, launch, watchProblems, CHROMIUM } from './browser.js';
import { fingerprints } from './engine-fingerprint.js';

const SCENARIOS = ['baseline', 'kyrgyz-tajik-clash', 'pandemic', 'eu-global-gateway'];
const RUNS = 40;

test('every recorded value of 40 runs of four scenarios has the same bits in Chromium as in Node', async () => {
  assert.ok(hasChromium(), `no browser at ${CHROMIUM}: .ci/run installs Debian's chromium (apt-get install chromium)`);
  const bundle = await build({
    entryPoints: ['test/engine-fingerprint.ts'],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'spilloverEngine',
    write: false,
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0].text;
  assert.not.match(code, /require\(["']node:|from ["']node:/, 'the engine bundle needs no Node built-in');
  const scenarios: Scenario[] = [];
  for (const name of SCENARIOS) scenarios.push((await loadScenario(`scenarios/${name}.json`)).scenario);
  const inNode = scenarios.map((s) => fingerprints(s, RUNS));

  const browser = await launch();
  try {
    const page = await browser.newPage();
    const problems = watchProblems(page);
    await page.addScriptTag({ content: code });
    const inBrowser = await page.evaluate(
      ({ scenarios, runs }) => scenarios.map((s) => (globalThis as unknown as { spilloverEngine: { fingerprints: typeof fingerprints } }).spilloverEngine.fingerprints(s, runs)),
      { scenarios, runs: RUNS },
    );
    const agent = await page.evaluate(() => navigator.userAgent);
    SCENARIOS.forEach((name, k) => {
      const first = inNode[k].findIndex((h, r) => h !== inBrowser[k][r]);
      assert.is(first, -1, `${name}: run with seed ${first + 1} differs in ${agent} from Node ${process.version}`);
    });
    assert.equal(problems, []);
  } finally {
    await browser.close();
  }
});

test.run();
