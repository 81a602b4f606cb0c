/** Scenario formulas: compiled once, evaluated in the documented scope, and they change the results. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenario } from '../src/scenario/load.js';
import { at, load, run } from './helpers.js';
import { BASELINE, tempFolder, writeFixture } from './fixtures.js';
import { formulaScope } from '../src/scenario/formulas.js';
import { cbrt, cos, cosh, exp, hypot, log, log10, log2, pow, sin, sinh, tanh } from '../src/math/index.js';

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

test('a formula\'s exp, log, powers, roots and trigonometry are the engine\'s own, not the JavaScript engine\'s Math', async () => {
  const dir = tempFolder();
  const cases: Array<[string, (c: number) => number]> = [
    ['coop ^ 2.5', (c) => pow(c, 2.5)], ['coop .^ 1.7', (c) => pow(c, 1.7)], ['pow(coop, 0.3)', (c) => pow(c, 0.3)],
    ['(3 * coop) ^ 2', (c) => pow(3 * c, 2)], ['exp(coop * 7)', (c) => exp(c * 7)], ['log(coop)', (c) => log(c)],
    ['log(coop, 3)', (c) => log(c) / log(3)], ['log10(coop)', (c) => log10(c)], ['log2(coop)', (c) => log2(c)],
    ['sin(coop * 5)', (c) => sin(c * 5)], ['cos(coop * 5)', (c) => cos(c * 5)], ['sinh(coop)', (c) => sinh(c)],
    ['cosh(coop)', (c) => cosh(c)], ['tanh(coop * 2)', (c) => tanh(c * 2)], ['cbrt(coop)', (c) => cbrt(c)],
    ['hypot(coop, 2)', (c) => hypot(c, 2)],
    // beyond 2^20 pi / 2 (a year times 1,000): an internal error until sin and cos reduced any argument
    ['sin(coop * 2e9)', (c) => sin(c * 2e9)], ['cos(coop * 1e300)', (c) => cos(c * 1e300)],
  ];
  let differsFromMath = 0;
  for (const [k, [formula, expected]] of cases.entries()) {
    const { formulas } = await loadScenario(writeFixture(dir, `f${k}.json`, { extends: BASELINE, formulas: { utility: formula } }));
    const scope = formulaScope();
    for (let j = 1; j <= 200; j++) {
      scope.coop = j / 201 + 1e-3;
      const got = formulas.utility!(scope);
      assert.ok(Object.is(got, expected(scope.coop)), `${formula} at coop = ${scope.coop}: ${got}, the engine's function gives ${expected(scope.coop)}`);
      if (formula === 'coop ^ 2.5' && got !== scope.coop ** 2.5) differsFromMath++;
    }
  }
  // on this JavaScript engine too, mathjs's ^ (Math.pow) would have given other bits
  assert.ok(differsFromMath > 0, 'Math.pow and the engine\'s pow differ somewhere in 200 arguments');
  // whole powers by repeated squaring are exact where the power is a double
  assert.is(pow(3, 2), 9);
  assert.is(pow(-2, 3), -8);
  assert.is(pow(2, -3), 0.125);
  assert.ok(Number.isNaN(pow(-2, 0.5)));
  assert.is(cbrt(27), 3);
  assert.is(cbrt(-8), -2);
});

test('a formula that gives NaN in a run stops it as bad input, naming who, when and the values it read, in a worker too', () => {
  const dir = tempFolder();
  // at load (every variable 0.5) it is a number; the first state's cooperation in water starts at 0.19
  const file = writeFixture(dir, 'nan.json', { extends: BASELINE, name: 'nan', formulas: { utility: 'benefit - cost + log(coop - 0.3)' } });
  // an ensemble's says which run
  const message = (which: string) => new RegExp(`^spillover: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: formulas\\.utility${which}: "benefit - cost \\+ log\\(coop - 0\\.3\\)": gives NaN for KAZ in water at 2025, where benefit = [\\d.]+, cost = [\\d.]+, coop = 0\\.19\\d*; expected a number for every state, sector and step \\(a logarithm or a root of a negative number, or 0/0\\?\\)\\n$`);
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...env } = process.env;
  const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli/spillover.js', ...args], { encoding: 'utf8', env: { ...env, SPILLOVER_MAIN_COMPUTES_FROM: '0' } });
  // a run; an ensemble on one worker thread (the error crosses threads); on two threads, the main thread computing too
  for (const args of [['run', file, '--out', join(dir, 'run')], ['ensemble', file, '--runs', '8', '--workers', '1', '--out', join(dir, 'e1')], ['ensemble', file, '--runs', '8', '--workers', '2', '--out', join(dir, 'e2')]]) {
    const r = cli(...args, '--quiet');
    assert.is(r.status, 2, `${args[0]} ${args.at(-1)}: ${r.stderr}`);
    assert.match(r.stderr, message(args[0] === 'run' ? '' : ', run \\d+'));
  }
  // the check at load computes what a run computes: with mathjs's own pow, a negative base's fractional power was a
  // complex number at load, refused as "a matrix or unit", and NaN in a run. Now a number at load (NaN is one: a formula
  // may give NaN only where a run never goes, as log(year - 2024) at the check's year 0.5), and the run says where
  const root = writeFixture(dir, 'root.json', { extends: BASELINE, formulas: { utility: 'benefit - cost + 0 * (coop - 0.9) ^ (1/3)' } });
  const valid = cli('validate', root);
  assert.is(valid.status, 0, valid.stderr);
  assert.match(cli('run', root, '--out', join(dir, 'root'), '--quiet').stderr, /gives NaN for KAZ in transport at 2025, where benefit = 0.6, cost = 0.2, coop = 0.48/);
  assert.is(cli('run', writeFixture(dir, 'year.json', { extends: BASELINE, formulas: { utility: 'benefit - cost + 0.01 * log(year - 2024)' } }), '--out', join(dir, 'year'), '--quiet').status, 0);
  // an infinity is not refused: the logistic response's limit, no action or certain action, as log(coop) gives where a
  // state's cooperation reaches 0 (here -Infinity in 2030 only); nothing after it is other than finite
  const limit = cli('run', writeFixture(dir, 'limit.json', { extends: BASELINE, formulas: { utility: 'benefit - cost - 1 / (year - 2030)^2' } }), '--out', join(dir, 'limit'), '--quiet');
  assert.is(limit.status, 0, limit.stderr);
  assert.not.match(readFileSync(join(dir, 'limit', 'timeseries.csv'), 'utf8'), /Inf|NaN|NA/);
});

test('a formula that gives something other than a number in a run, or fails there, stops it as bad input, saying which', () => {
  const dir = tempFolder();
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...env } = process.env;
  const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli/spillover.js', ...args], { encoding: 'utf8', env });
  // each is a number at load (every variable 0.5) and is not after 2030: true was added to the utility as 1, a string
  // made it NaN (reported as an overflow of the model), mathjs's bitwise error was an internal error (exit 1), and
  // mathjs's root of a negative number, a complex number, made the state's cooperation NaN, blamed on the next step
  const cases: Array<[string, RegExp]> = [
    ['year > 2030 ? coop > 0.5 : benefit - cost', /: "year > 2030 \? coop > 0\.5 : benefit - cost": gives boolean for KAZ in transport at 2030\.25, where year = 2030\.25, coop = 0\.\d+, benefit = 0\.6, cost = 0\.2; expected a number for every state, sector and step\n$/],
    ['year > 2030 ? "a" : benefit - cost', /: gives string for KAZ in transport at 2030\.25, where year = 2030\.25, benefit = 0\.6, cost = 0\.2; expected a number for every state, sector and step\n$/],
    ['benefit - cost + (year > 2030 ? coop & 1 : 0)', /: fails to evaluate \(Integers expected in function bitAnd\) for KAZ in transport at 2030\.25, where benefit = 0\.6, cost = 0\.2, year = 2030\.25, coop = 0\.\d+; expected a number for every state, sector and step\n$/],
    ['benefit - cost + sqrt(coop - 0.45)', /: gives NaN for KAZ in customs at 2025, where benefit = 0\.5, cost = 0\.35, coop = 0\.398\d*; expected a number for every state, sector and step \(a logarithm or a root of a negative number, or 0\/0\?\)\n$/],
  ];
  for (const [k, [formula, message]] of cases.entries()) {
    const file = writeFixture(dir, `late${k}.json`, { extends: BASELINE, name: `late${k}`, formulas: { utility: formula } });
    assert.is(cli('validate', file).status, 0, formula);
    // the error thrown inside mathjs also crosses from a worker thread as bad input
    const ensemble = formula.includes('&') ? [['ensemble', file, '--runs', '4', '--workers', '1', '--out', join(dir, `e${k}`)]] : [];
    for (const args of [['run', file, '--out', join(dir, `run${k}`)], ...ensemble]) {
      const r = cli(...args, '--quiet');
      assert.is(r.status, 2, `${formula}, ${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, args[0] === 'run' ? /^spillover: [^\n]*: formulas\.utility: / : /^spillover: [^\n]*: formulas\.utility, run 0: /, formula);
      assert.match(r.stderr, message, formula);
    }
  }
});

test('operators whose values are not the same bits in every JavaScript engine, or mean nothing here, are refused', () => {
  const dir = tempFolder();
  // a fraction's factorial is mathjs's gamma, computed with Math.pow, Math.exp and Math.sin
  for (const [formula, op] of [['coop!', '!'], ["coop'", "'"], ['coop to 1', 'to'], ['(coop + 0.5)! - 1', '!']]) {
    const r = spawnSync(process.execPath, ['dist/cli/spillover.js', 'validate', writeFixture(dir, 'op.json', { extends: BASELINE, formulas: { utility: formula } })], { encoding: 'utf8' });
    assert.is(r.status, 2, formula);
    assert.match(r.stderr, new RegExp(`formulas\\.utility: ${JSON.stringify(formula).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: operator "${op === '!' ? '!' : op}" is not allowed; expected one of \\+ - \\* / % mod \\^ `), r.stderr);
  }
  for (const formula of ['coop % 0.3 + 50% - (coop ?? 1)', 'coop .* 2 ./ 3 + (coop >= 0.5 and not (coop == 1) ? 1 : 0) + (3 & 1) + (1 << 2) - (~1) + (5 ^| 1) + (2 | 1) + (8 >> 1) + (8 >>> 1)']) {
    const r = spawnSync(process.execPath, ['dist/cli/spillover.js', 'validate', writeFixture(dir, 'ok.json', { extends: BASELINE, formulas: { utility: formula } })], { encoding: 'utf8' });
    assert.is(r.status, 0, `${formula}: ${r.stderr}`);
  }
});

test("a formula's failure in a run names the run: a sweep's design point, --set values, a calibration's start; a fit counts its trials as misses", () => {
  const dir = tempFolder();
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...env } = process.env;
  const cli = (...args: string[]) => spawnSync(process.execPath, ['dist/cli/spillover.js', ...args], { encoding: 'utf8', env });
  // Uzbekistan (the one member of over 30 million) with openness below some 0.3 gives the logarithm of a negative number
  // by 2017 (its 2016 leadership change adds 0.4); at the scenario's own 0.35 it gives a number
  const formula = 'population > 30 ? 0.01 * log(openness - 0.69) : 0';
  const fixture = (name: string, extra: object = {}) => writeFixture(dir, name, {
    extends: resolve('scenarios/historical.json'), name, formulas: { utility: formula },
    calibration: { parameters: [{ path: 'parameters.trade.gdpElasticity', min: 0.4, max: 1.4 }, { path: 'states.UZB.openness', min: 0.01, max: 0.6 }], restarts: 4 },
    ...extra,
  });
  const file = fixture('uzb.json');
  const failure = `: "population > 30 \\? 0\\.01 \\* log\\(openness - 0\\.69\\) : 0": gives NaN for UZB in transport at 2017, where population = 37\\.1, openness = 0\\.55; expected a number for every state, sector and step`;
  // a sweep's point, the error crossing from a worker thread: which point, which replicate, with its values
  const experiment = writeFixture(dir, 'sweep.json', { name: 'sweep', scenario: file, design: { type: 'grid', parameters: { 'states.UZB.openness': [0.35, 0.2] } }, replicates: 2, seed: 1 });
  const sweep = cli('sweep', experiment, '--workers', '1', '--out', join(dir, 'sweep'), '--quiet');
  assert.is(sweep.status, 2, sweep.stderr);
  assert.match(sweep.stderr, new RegExp(`^spillover: [^\\n]*uzb\\.json: formulas\\.utility, design point 1 \\(states\\.UZB\\.openness = 0\\.2\\), replicate 0${failure}`));
  // a run with --set: the values set, as an overflow names them
  const one = cli('run', file, '--set', 'states.UZB.openness=0.2', '--out', join(dir, 'run'), '--quiet');
  assert.is(one.status, 2, one.stderr);
  assert.match(one.stderr, new RegExp(`^spillover: [^\\n]*uzb\\.json with --set states\\.UZB\\.openness=0\\.2: formulas\\.utility${failure}`));
  // a fit whose bounds reach such values goes on where the formula gives numbers, and says how many trials it missed
  const out = join(dir, 'fit');
  const fit = cli('calibrate', file, '--out', out);
  assert.is(fit.status, 0, fit.stderr);
  const report = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8'));
  const failed = report.optimiser.formulaFailed;
  assert.ok(failed > 0 && failed < report.optimiser.evaluations, `${failed} of ${report.optimiser.evaluations}`);
  assert.is(report.optimiser.overflowed, 0);
  assert.ok(report.parameters[1].fitted >= 0.3, String(report.parameters[1].fitted));
  assert.match(fit.stdout, new RegExp(`\\n${failed} of ${report.optimiser.evaluations} evaluations stopped on the scenario's formula and counted as misses \\(the first at parameters\\.trade\\.gdpElasticity = [\\d.]+, states\\.UZB\\.openness = 0\\.[0-3]\\d*: "population > 30 [^\\n]*gives NaN for UZB[^\\n]*\\); ${report.optimiser.redrawnStarts} restarts? drawn there w(as|ere) drawn again: the bounds reach values where the model breaks down\\.\\n`));
  // a restart drawn where the formula fails (no slope to follow) is drawn again, as where the model overflows
  assert.ok(report.optimiser.redrawnStarts > 0, 'this seed draws a restart where the formula fails');
  // the start (the scenario's own values) must run: its failure is an error, at those values
  const start = cli('calibrate', fixture('uzb-start.json', { states: { UZB: { openness: 0.2 } } }), '--out', join(dir, 'start'), '--quiet');
  assert.is(start.status, 2, start.stderr);
  assert.match(start.stderr, new RegExp(`^spillover: [^\\n]*uzb-start\\.json: formulas\\.utility, calibration, at parameters\\.trade\\.gdpElasticity = [\\d.]+, states\\.UZB\\.openness = 0\\.2${failure}`));
});

test.run();
