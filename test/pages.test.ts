/**
 * The pages open in a real browser, offline: no console errors, no request leaves the file, and every chart
 * has drawn. A screenshot of each goes to test-output/ for a person to look at.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasChromium, launch, watchProblems, CHROMIUM } from './browser.js';
import { tempFolder } from './fixtures.js';

const dir = tempFolder();
const SHOTS = 'test-output';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['dist/cli/spillover.js', ...args], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
}

async function openPage(file: string, screenshot: string, expectedCharts: number) {
  assert.ok(hasChromium(), `no browser at ${CHROMIUM}: .ci/run installs Debian's chromium (apt-get install chromium)`);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems = watchProblems(page);
    await page.goto(`file://${resolve(file)}`);
    await page.waitForFunction((n) => document.querySelectorAll('.chart .main-svg').length >= n, expectedCharts, { timeout: 20000 });
    const drawn = await page.evaluate(() => [...document.querySelectorAll('.chart')].map((c) => ({ id: c.id, traces: c.querySelectorAll('.trace, .hm, .bars').length })));
    assert.is(drawn.length, expectedCharts);
    for (const chart of drawn) assert.ok(chart.traces > 0, `${chart.id} drew nothing`);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, screenshot), fullPage: true });
    assert.equal(problems, []);
  } finally {
    await browser.close();
  }
}

test('plots.html of a run opens offline and draws every chart', async () => {
  const out = join(dir, 'run');
  cli('run', 'scenarios/kyrgyz-tajik-clash.json', '--out', out, '--quiet');
  await openPage(join(out, 'plots.html'), 'plots.png', 8);
});

test('fit.html of a calibration opens offline and draws every chart', async () => {
  const out = join(dir, 'calibration');
  cli('calibrate', 'scenarios/historical.json', '--out', out, '--quiet');
  await openPage(join(out, 'fit.html'), 'fit.png', 2);
});

test.run();
