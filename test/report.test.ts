/**
 * What-if reports: the three kinds of output, findings in words with their uncertainty, and the page in a real
 * browser (no console errors, every chart drawn, a tooltip with values on hover), with a screenshot to look at.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasChromium, launch, watchProblems, CHROMIUM } from './browser.js';
import { tempFolder } from './fixtures.js';
import { buildReport, isReportCsv, readRunByRun } from '../src/report/whatif/build.js';
import { readEnsemble } from '../src/report/whatif/data.js';
import { loadScenario } from '../src/scenario/load.js';
import { simulate } from '../src/engine/simulate.js';
import { summarise } from '../src/collect/summary.js';
import { describeRun } from '../src/report/describe.js';
import { quantile, quantiles } from '../src/report/whatif/stats.js';
import { hazenQuantile } from '../src/collect/hazen.js';
import { memoryNote } from '../src/cli/commands/report.js';
import { describeChange, describeStage, describeStageAlone, INDICATORS, medianStageYear, pairedChange } from '../src/report/whatif/analysis.js';
import type { EnsembleData } from '../src/report/whatif/data.js';

const dir = tempFolder();
const out = join(dir, 'drought');
const single = join(dir, 'single');

function cli(...args: string[]) {
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...env } = process.env;
  return spawnSync(process.execPath, ['dist/cli/spillover.js', ...args], { encoding: 'utf8', env });
}

test('report writes report.html, report.md and the data behind every chart', () => {
  const r = cli('report', 'scenarios/baseline.json', 'scenarios/severe-drought.json', '--runs', '40', '--out', out, '--quiet');
  assert.is(r.status, 0, r.stderr);
  for (const f of ['report.html', 'report.md']) assert.ok(existsSync(join(out, f)), f);
  // each ensemble's manifest, and the lock a second report meets meanwhile, names the command that made it
  for (const name of ['baseline', 'severe-drought'])
    assert.is(JSON.parse(readFileSync(join(out, 'ensembles', name, 'manifest.json'), 'utf8')).command, `spillover report scenarios/baseline.json scenarios/severe-drought.json --runs 40 --out ${out} --quiet`);
  const data = readdirSync(join(out, 'data'));
  for (const f of ['fan-cooperation-water.csv', 'fan-trade.csv', 'fan-security.csv', 'fan-water-stress.csv', 'stage-probabilities.csv', 'gains.csv', 'attribution.csv', 'trust.csv', 'settings.csv'])
    assert.ok(data.includes(f), f);
  // what a later report may replace in data/: all of these, and not a project's own CSV files
  for (const f of data) assert.ok(isReportCsv(f), f);
  assert.not.ok(isReportCsv('survey.csv'));
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(md, /Under severe-drought, regional water cooperation in 2030 is \d+% lower than in the baseline \(median 0\.\d+ against 0\.\d+; 90% of runs: \d+%–\d+% lower\)\./);
  // the settings' columns are the scenarios, by name
  assert.match(md, /\| setting \| baseline \| severe-drought \|\n\|---\|---\|---\|\n\| `shock: severe drought` \| — \| drought, 2028, 2 years, magnitude 0\.5 \|/);
  // how evenly the change in trade falls on the members: a range only between ends that print differently
  const evenness = /Under severe-drought, (gains|losses|changes) are (even: in 2030 the median change in every member's regional trade is \S+\.|(?:uneven|fairly even): in 2030 the median change in a member's regional trade ranges from (\S+) for \w+ to (\S+) for \w+\.)/.exec(md);
  assert.ok(evenness, 'a sentence on how evenly the change in trade falls');
  if (evenness![3]) assert.is.not(evenness![3], evenness![4], 'a range between ends that print the same');
  assert.match(md, /## Method and provenance/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.not.match(html, /<(script|link)[^>]+(src|href)="https?:/, 'nothing from the network');
  assert.match(html, /@media print/);
  assert.match(html, /<th scope="col">setting<\/th><th scope="col">baseline<\/th><th scope="col">severe-drought<\/th>/);
  assert.is((html.match(/<details>/g) ?? []).length, (html.match(/class="chart"/g) ?? []).length, 'a table for every chart');
});

test('the settings table tells apart shocks of one name that differ in any field, and two of one name in a scenario', () => {
  const drought = (duration: number) => ({ type: 'drought', label: 'long drought', at: 2028, duration, magnitude: 0.5 });
  const files = [['two-years', [drought(2)]], ['four-years', [drought(4), drought(1)]]].map(([name, addShocks]) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ extends: resolve('scenarios/baseline.json'), name, addShocks }));
    return file;
  });
  const folder = join(dir, 'durations');
  const r = cli('report', ...files, '--runs', '3', '--out', folder, '--quiet');
  assert.is(r.status, 0, r.stderr);
  const md = readFileSync(join(folder, 'report.md'), 'utf8');
  assert.match(md, /\| `shock: long drought` \| drought, 2028, 2 years, magnitude 0\.5 \| drought, 2028, 4 years, magnitude 0\.5 \|\n/);
  assert.match(md, /\| `shock: long drought \(2\)` \| — \| drought, 2028, 1 year, magnitude 0\.5 \|\n/);
});

test("a report made again keeps the earlier report's runs of the same ensembles, with the same data", () => {
  const before = Object.fromEntries(readdirSync(join(out, 'data')).map((f) => [f, readFileSync(join(out, 'data', f), 'utf8')]));
  const r = cli('report', 'scenarios/baseline.json', 'scenarios/severe-drought.json', '--runs', '40', '--out', out);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /^baseline: 40 runs \(keeping those an earlier report made\)\n/);
  for (const name of ['baseline', 'severe-drought']) {
    const m = JSON.parse(readFileSync(join(out, 'ensembles', name, 'manifest.json'), 'utf8'));
    assert.equal([m.ranNow, m.resumedFrom], [0, 40], name);
  }
  for (const [f, text] of Object.entries(before)) assert.is(readFileSync(join(out, 'data', f), 'utf8'), text, f);
  // other runs are another ensemble: run anew (in a copy: the tests below read this report)
  const copy = join(dir, 'drought-41');
  cpSync(out, copy, { recursive: true });
  const more = cli('report', 'scenarios/baseline.json', 'scenarios/severe-drought.json', '--runs', '41', '--out', copy);
  assert.is(more.status, 0, more.stderr);
  assert.match(more.stderr, /^baseline: 41 runs\n/);
});

test('a report reads run by run only the cells it compares run by run, and writes the same as from all of them', async () => {
  const inputs = async (runByRun?: (cell: { entity: string; variable: string }) => boolean) => ({
    scenarios: await Promise.all(['baseline', 'severe-drought'].map(async (name) => {
      const loaded = await loadScenario(resolve(`scenarios/${name}.json`));
      return { name, file: `${name}.json`, sha256: loaded.sha256, scenario: loaded.scenario, data: readEnsemble(join(out, 'ensembles', name), runByRun) };
    })),
    runs: 40, seed: 1, version: 'test', modelVersion: 'test', wallSeconds: 0, oddLink: 'ODD.md', year: 2030,
  });
  const some = buildReport(await inputs(readRunByRun)), all = buildReport(await inputs());
  assert.equal(some.csvFiles, all.csvFiles);
  assert.equal(some.summary, all.summary);
  const data = readEnsemble(join(out, 'ensembles', 'baseline'), readRunByRun);
  assert.ok(data.width < data.meta.cells.length / 2, `${data.width} of ${data.meta.cells.length} cells`);
});

test("a project's own data/ is not a report's to replace: refused, left as it was", () => {
  const project = join(dir, 'project');
  mkdirSync(join(project, 'data'), { recursive: true });
  writeFileSync(join(project, 'data', 'survey.csv'), 'mine');
  const r = cli('report', 'scenarios/baseline.json', 'scenarios/severe-drought.json', '--runs', '5', '--out', project, '--quiet');
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /data: holds survey\.csv, which this command did not write/);
  assert.equal(readdirSync(join(project, 'data')), ['survey.csv']);
  assert.equal(readdirSync(project), ['data'], 'refused before any run: no ensembles/ written');
});

test('two scenarios of one name are refused: the name labels charts, data and ensemble folders', () => {
  const file = join(dir, 'named-baseline.json');
  writeFileSync(file, JSON.stringify({ extends: resolve('scenarios/severe-drought.json'), name: 'baseline' }));
  const r = cli('report', 'scenarios/baseline.json', file, '--runs', '5', '--out', join(dir, 'never-named'));
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /named-baseline\.json: name: "baseline" is also the name of scenarios\/baseline\.json; expected each scenario of a report to have its own name/);
  assert.not.ok(existsSync(join(dir, 'never-named')));
  // one file given twice, however it is spelled, says so (it was "the name of" itself)
  const twice = cli('report', 'scenarios/baseline.json', 'scenarios/severe-drought.json', './scenarios/baseline.json', '--runs', '5', '--out', join(dir, 'never-named'));
  assert.is(twice.status, 2, twice.stderr);
  assert.is(twice.stderr, 'spillover: scenarios/baseline.json: given twice (scenarios 1 and 3); expected each scenario once\n');
  assert.not.ok(existsSync(join(dir, 'never-named')));
  // and under another name, through a link (it was "also the name of" itself)
  const drought = join(dir, 'own-drought.json'), link = join(dir, 'linked-drought.json');
  writeFileSync(drought, JSON.stringify({ extends: resolve('scenarios/severe-drought.json'), name: 'own-drought' }));
  symlinkSync(drought, link);
  const linked = cli('report', 'scenarios/baseline.json', drought, link, '--runs', '5', '--out', join(dir, 'never-named'));
  assert.is(linked.status, 2, linked.stderr);
  assert.match(linked.stderr, /^spillover: .*linked-drought\.json: given twice \(scenarios 2 and 3\); expected each scenario once\n$/);
  assert.not.ok(existsSync(join(dir, 'never-named')));
});

test('a report of variants whose names together are too long for a folder\'s name gets a shorter default folder', () => {
  const project = join(dir, 'long-names');
  mkdirSync(project, { recursive: true });
  const files = [1, 2, 3, 4, 5].map((k) => {
    const file = join(project, `v${k}.json`);
    writeFileSync(file, JSON.stringify({ extends: resolve('scenarios/baseline.json'), name: `a-rather-long-name-for-a-policy-variant-of-the-baseline-${k}`, policies: { benefitSharing: k / 10 } }));
    return file;
  });
  const run = (...scenarios: string[]) => spawnSync(process.execPath, [resolve('dist/cli/spillover.js'), 'report', resolve('scenarios/baseline.json'), ...scenarios, '--runs', '2', '--quiet'], { encoding: 'utf8', cwd: project });
  // 5 x 58 characters: the folder's name was 326, refused by the file system (ENAMETOOLONG) once every run was done
  const r = run(...files);
  assert.is(r.status, 0, r.stderr);
  // one of them is short enough to be named in full
  assert.is(run(files[0]).status, 0);
  const made = readdirSync(join(project, 'output')).sort();
  assert.is(made.length, 2, made.join());
  assert.match(made[0], /^report-baseline-vs-5-variants-[0-9a-f]{12}$/);
  assert.is(made[1], 'report-baseline-vs-a-rather-long-name-for-a-policy-variant-of-the-baseline-1');
  assert.ok(existsSync(join(project, 'output', made[0], 'report.html')));
});

test('quantiles of a report: Hazen\'s, NaN left out, several from one sort', () => {
  // n = 4 values: q = 0.5 sits at position 1.5, halfway between the 2nd and 3rd; q = 0.05 below the first
  assert.equal(quantiles([4, Number.NaN, 1, 3, 2], [0.05, 0.5, 0.95]), [1, 2.5, 4]);
  const values = Float64Array.from({ length: 999 }, (_, k) => Math.sin(k * 12.9898) * 43758.5453 % 1);
  const qs = [0.05, 0.25, 0.5, 0.75, 0.95];
  const sorted = [...values].sort((a, b) => a - b);
  assert.equal(quantiles(values, qs), qs.map((q) => hazenQuantile(sorted, q)));
  assert.is(quantile(values, 0.25), hazenQuantile(sorted, 0.25));
});

test('a note when a report\'s runs would take more than half the memory', () => {
  assert.is(memoryNote(1e9, 16e9), undefined);
  assert.is(memoryNote(35.5e9, 25.3e9), 'note: this report holds its runs in memory, 35.5 GB, and this machine has 25.3 GB; with fewer --runs it holds proportionally less');
});

test('scenarios that cover other years cannot be compared: exit 2', () => {
  const r = cli('report', 'scenarios/baseline.json', 'scenarios/historical.json', '--runs', '5', '--out', join(dir, 'never'));
  assert.is(r.status, 2);
  assert.match(r.stderr, /^spillover: scenarios\/historical\.json: start: 2017-2025 at 4 steps a year; expected the baseline's 2025-2040 at 4/);
});

test('a headline year outside the scenarios, or not a whole year, is bad input: exit 2, nothing written', () => {
  for (const [year, pattern] of [['1990', /^spillover: --year: 1990 is outside the scenarios' 2025-2040; expected a year from 2025 to 2040\n$/], ['abc', /^spillover: --year: "abc" is not a year; expected a year from 2025 to 2040\n$/], ['2030.5', /^spillover: --year: 2030\.5 is not a whole year; expected one from 2025 to 2040 \(the comparison is at its start\)\n$/]] as const) {
    const r = cli('report', 'scenarios/baseline.json', '--year', year, '--runs', '5', '--out', join(dir, 'never'));
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, pattern);
  }
  assert.not.ok(existsSync(join(dir, 'never')));
});

test('with one scenario the report describes that scenario alone', () => {
  const r = cli('report', 'scenarios/baseline.json', '--runs', '20', '--out', single, '--quiet');
  assert.is(r.status, 0, r.stderr);
  const md = readFileSync(join(single, 'report.md'), 'utf8');
  assert.match(md, /^# Outlook: baseline/);
  assert.match(md, /Under baseline, regional water cooperation in 2040 is [\d.]+ in the median run \(90% of runs: [\d.]+–[\d.]+\)\./);
  assert.not.ok(existsSync(join(single, 'data', 'gains.csv')), 'no gains without a variant');
  assert.match(md, /## What differs between the scenarios\n\nOnly one scenario: nothing to compare\.\n/);
  assert.match(md, /^- Under baseline, the median run reaches a (customs union|free trade area) in 20\d\d Q[1-4]\.$/m);
  // an outlook too short to reach a free trade area spoke of "the baseline" it did not have
  const short = join(dir, 'short.json');
  writeFileSync(short, JSON.stringify({ extends: resolve('scenarios/baseline.json'), name: 'short', end: 2027 }));
  assert.is(cli('report', short, '--runs', '5', '--out', join(dir, 'short'), '--quiet').status, 0);
  const shortMd = readFileSync(join(dir, 'short', 'report.md'), 'utf8');
  assert.match(shortMd, /^- Under short, the median run reaches no free trade area by 2027\.$/m);
  assert.not.match(shortMd, /baseline/);
  // two scenarios of the same settings were told "Only one scenario" too
  const twin = join(dir, 'twin.json');
  writeFileSync(twin, JSON.stringify({ extends: resolve('scenarios/baseline.json'), name: 'twin', description: 'The baseline again.' }));
  const same = join(dir, 'same-settings');
  assert.is(cli('report', 'scenarios/baseline.json', twin, '--runs', '5', '--out', same, '--quiet').status, 0);
  assert.match(readFileSync(join(same, 'report.md'), 'utf8'), /## What differs between the scenarios\n\nNo setting differs: the scenarios differ in their names and descriptions alone\.\n/);
  assert.match(readFileSync(join(same, 'report.html'), 'utf8'), /<p>No setting differs: the scenarios differ in their names and descriptions alone\.<\/p>/);
});

test('report.html opens offline in a browser, draws every chart and shows values on hover', async () => {
  assert.ok(hasChromium(), `no browser at ${CHROMIUM}`);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems = watchProblems(page);
    await page.goto(`file://${resolve(out, 'report.html')}`);
    const charts = await page.locator('.chart').count();
    assert.ok(charts >= 10, `${charts} charts`);
    await page.waitForFunction((n) => document.querySelectorAll('.chart .main-svg').length >= n, charts, { timeout: 30000 });
    const empty = await page.evaluate(() => [...document.querySelectorAll('.chart')].filter((c) => c.querySelectorAll('.trace, .hm, .bars').length === 0).map((c) => c.id));
    assert.equal(empty, []);
    // hover the middle of the water-cooperation fan chart: the unified tooltip lists the scenarios' medians
    await page.locator('#fig-cooperation-water').scrollIntoViewIfNeeded();
    const box = (await page.locator('#fig-cooperation-water .nsewdrag').first().boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.35, box.y + box.height / 2);
    await page.waitForSelector('#fig-cooperation-water .hoverlayer .hovertext, #fig-cooperation-water .hoverlayer .legend', { timeout: 5000 });
    const tip = (await page.locator('#fig-cooperation-water .hoverlayer').textContent()) ?? '';
    assert.match(tip, /baseline: 0\.\d+/);
    assert.match(tip, /severe-drought: 0\.\d+/);
    mkdirSync('test-output', { recursive: true });
    await page.screenshot({ path: 'test-output/report-hover.png', fullPage: false });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: 'test-output/report.png', fullPage: false });
    await page.screenshot({ path: 'test-output/report-full.png', fullPage: true });
    assert.equal(problems, []);
  } finally {
    await browser.close();
  }
});

test("a run's summary gives the year a stage was first reached as a quarter, whatever the steps a year", async () => {
  // weekly steps put the stage at 2045.365385 and the line said so, digits and all
  const loaded = await loadScenario('scenarios/baseline.json');
  const weekly = { ...loaded, scenario: { ...loaded.scenario, end: 2050, stepsPerYear: 52 } };
  const summary = summarise(simulate(weekly, 2025));
  const reached = summary.stageFirstReached[String(summary.finalStage)];
  assert.not.ok(Number.isInteger(reached * 4), `${reached} is not the start of a quarter`);
  assert.match(describeRun(summary)[0], new RegExp(`first reached in ${Math.floor(reached)} Q[1-4]\\.$`));
});


test('the median run reaches a stage only when more than half the runs do (half exactly said "in Infinity QNaN")', () => {
  // runs.csv's stage years, NaN for NA, of a scenario to 2040
  const ensemble = (fta: number[], cu: number[] = fta.map(() => NaN)) =>
    ({ meta: { times: Float64Array.of(2025, 2040) }, outcomes: new Map([['stage2_year', Float64Array.from(fta)], ['stage3_year', Float64Array.from(cu)], ['stage4_year', Float64Array.from(fta, () => NaN)]]) }) as unknown as EnsembleData;
  // Hazen's quantile at an order statistic itself: the next one, infinite, plays no part; -0 comes out as the
  // interpolation gave it before (+0), so no ensemble's quantiles.csv moves
  assert.is(hazenQuantile([2030, 2032, Infinity], 0.5), 2032);
  assert.ok(Object.is(hazenQuantile([-1, -0, 1], 0.5), 0));
  assert.is(hazenQuantile([2030, 2032, Infinity, Infinity], 0.5), Infinity);
  const half = ensemble([2030, 2032, NaN, NaN]);
  assert.is(medianStageYear(half, 2), undefined);
  assert.is(medianStageYear(ensemble([2030, 2032, 2034, NaN]), 2), 2033);
  assert.is(medianStageYear(ensemble([2030, 2032, NaN]), 2), 2032);
  assert.is(medianStageYear(ensemble([2030, NaN, NaN]), 2), undefined);
  const base = ensemble([2037.75, 2037.75, 2038, NaN]);
  assert.is(describeStage(base, half, 'dry'), 'Under dry, the median run does not reach a free trade area by 2040; the baseline\'s median run reaches one in 2037 Q4.');
  assert.is(describeStageAlone(half, 'dry'), 'Under dry, the median run reaches no free trade area by 2040.');
  // a customs union first, when most runs reach one
  assert.is(describeStage(base, ensemble([2030, 2030, 2031, 2031], [2035, 2036, NaN, 2036]), 'deep'), 'Under deep, the median run reaches a customs union in 2036 Q1; the baseline\'s median run does not reach one by 2040.');
});

test("a paired change from a baseline of 0 is counted, not dropped without a word from the runs it speaks of", () => {
  // one cell, region customs cooperation, at one step, in four runs
  const ensemble = (values: number[]) =>
    ({ meta: { times: Float64Array.of(2040) }, series: values.map((x) => Float32Array.of(x)), width: 1, cellIndex: new Map([['region|cooperation.customs', 0]]) }) as unknown as EnsembleData;
  const customs = INDICATORS.find((i) => i.variable === 'cooperation.customs')!;
  // 0 in both is no change
  const none = pairedChange(ensemble([0, 0, 0.5, 0.5]), ensemble([0, 0, 0.5, 0.5]), customs, 2040);
  assert.equal([none.median, none.fromZero], [0, 0]);
  assert.is(describeChange(none, 'calm'), 'Under calm, regional customs cooperation in 2040 is about the same as in the baseline.');
  // from 0 to 0.25 in one run of four: the other three give the change, and the finding says one was left out
  const some = pairedChange(ensemble([0, 0.5, 0.5, 0.5]), ensemble([0.25, 0.75, 0.75, 0.75]), customs, 2040);
  assert.equal([some.median, some.fromZero, some.runs], [0.5, 1, 4]);
  assert.is(describeChange(some, 'deal'), "Under deal, regional customs cooperation in 2040 is 50% higher than in the baseline (median 0.75 against 0.5; 90% of runs: about 50% higher). Left out: 1 of 4 runs, where the baseline's is 0 and deal's is not.");
  // from 0 in every run: no relative change, said so (it was an empty finding)
  const all = pairedChange(ensemble([0, 0, 0, 0]), ensemble([0.25, 0.25, 0.5, 0.5]), customs, 2040);
  assert.is(describeChange(all, 'deal'), "Under deal, regional customs cooperation in 2040 is 0.375 in the median run, where the baseline's is 0 in 4 of 4 runs: no relative change to give.");
});

test("a relative change says the levels it is between, trade in USD bn", () => {
  const ensemble = (values: number[]) =>
    ({ meta: { times: Float64Array.of(2040) }, series: values.map((x) => Float32Array.of(x)), width: 1, cellIndex: new Map([['region|trade_usd', 0]]) }) as unknown as EnsembleData;
  const trade = INDICATORS.find((i) => i.variable === 'trade_usd')!;
  // from a small baseline a large percentage, which the levels put in proportion
  const c = pairedChange(ensemble([1e8, 2e8, 3e8]), ensemble([4e9, 6e9, 9e9]), trade, 2040);
  assert.is(describeChange(c, 'deal'), 'Under deal, intra-regional trade in 2040 is 2900% higher than in the baseline (median 6 USD bn against 0.2 USD bn; 90% of runs: 2900%–3900% higher).');
});
test.run();
