// npm run fuzz -- [--cases N] [--seed S] [--kinds ways,growth,input,options,data,formula] [--keep-failed]
//
// Fuzzing, for what the tests cannot enumerate. Six kinds of case, drawn at random (by default 5 : 2 : 3 : 3 : 1 : 2):
// - "ways", differential: a random experiment (designs of every type, replicates on either side of the thresholds
//   where quantiles switch from exact to histograms, kept variables, paired seeds) computed the plain way (one worker)
//   and then in ways that must write the same bytes of runs.csv, points.csv and quantiles.csv: another worker count (1,
//   2, 3 or 5; the main thread computing or not, SPILLOVER_MAIN_COMPUTES_FROM); shards merged in a random order;
//   `series` read back from the shards in a random order; a smaller experiment's runs copied (--reuse), plainly and
//   into shards; a command killed with SIGKILL at random moments (once, or again while resuming), then --resume; a
//   shard killed and resumed, then merged;
// - "growth", differential: a grid that gained values and replicates (and may keep fewer variables) reusing one or
//   two earlier sweeps, given plainly, as shards or as a merge's folder, the new sweep run plainly and in shards;
// - "input", bad input: a shipped scenario (resolved, its `extends` followed) or an experiment file with one or two
//   values changed at random (negated, zeroed, huge, tiny, of another type, removed, emptied, doubled, an unknown key
//   added): `validate` must accept it or refuse it in one line beginning "spillover: ", exit 2, and what it accepts
//   must run (`run`, or `sweep` on one worker) to exit 0, or be refused the same way, with no Inf, NaN or null written;
//   half the scenarios that run also go into a `report` (against the baseline, or alone), whose report.md and data
//   must hold no NaN, Infinity or "undefined"; a scenario with a calibration (the historical one) is also fitted
//   (`calibrate`), to a calibration.json of finite numbers within the bounds, or refused the same way;
// - "options", bad input: a command (run, ensemble, sweep, report, series, merge, calibrate) given one to three
//   options at random, with plausible values and not: it must run (exit 0) or refuse in one line beginning
//   "spillover: " (exit 2);
// - "data", bad input: a data file the historical scenario reads (data/gdp.csv, data/trade.csv) with a field changed,
//   a line repeated or removed, a column of the header removed, its rows removed, CRLF line ends, a byte order mark,
//   a quote left open: `validate`, `run` and `calibrate` must each run or refuse in one line, a fit be of finite numbers;
// - "formula", bad input: the baseline given a random `utility` formula (the documented variables, numbers, strings and
//   names it may not use; operators, functions allowed and not, conditionals): `validate` must accept or refuse it in
//   one line, and what it accepts run (`run`, or an ensemble on one or two worker threads) without Inf or NaN written,
//   or stop in one line.
// It found that shards left empty (more shards than runs), given after the shard starting where they do, were refused
// by `merge` and cut short `series`' export; two messages in zod's words ("is not record", "nothing: expected one
// of"); runs whose values overflowed (written as Inf and NA; a report's "−NaN%"); a report's median run reaching a
// stage "in Infinity QNaN" when half the runs did; GDP rows naming no state dropped; a calibration's data files
// left unchecked by `validate`, and one of two observations an internal error; notes before the errors of `merge`, `sweep` (on the room records
// lack, on threads beyond the cores) and `report`. A formula's value in a run was taken as it came (true added as 1, a
// string or mathjs's complex root made NaN and blamed on the model or the next step, mathjs's error an internal error):
// found by hand, then by the formula kind on the old code (seed 3, case 49: `coop >>> 0`, an internal error).
// Each case prints a line (on failure, the steps that led there); the last line is "N passed, N failed", and the exit
// code 1 if any failed. On two cores a differential case takes some 7 s, an input case under 1 s. Case folders go to
// the system's temporary folder, removed unless they failed and --keep-failed was given.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import seedrandom from 'seedrandom';
import { loadScenario } from '../src/scenario/load.js';

const args = process.argv.slice(2);
const value = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const CASES = Number(value('--cases') ?? 20);
const SEED = value('--seed') ?? '1';
const KEEP_FAILED = args.includes('--keep-failed');
const ROOT = resolve('.');
const CLI = join(ROOT, 'dist', 'cli', 'spillover.js');
const OUTPUTS = ['runs.csv', 'points.csv', 'quantiles.csv'];

const KINDS = (value('--kinds') ?? 'ways,growth,input,options,data,formula').split(',');
const rng = seedrandom.alea(`fuzz ${SEED}`);
const pick = <T>(a: readonly T[]): T => a[Math.floor(rng() * a.length)];
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const shuffled = <T>(a: readonly T[]): T[] => a.map((x) => [rng(), x] as const).sort((p, q) => p[0] - q[0]).map((p) => p[1]);

const RANGES: Record<string, [number, number]> = {
  'policies.benefitSharing': [0, 1],
  'policies.disputeResolution': [0, 1],
  'policies.institutionalization': [0, 1],
  'spillover.strength': [0, 2],
  'parameters.effort.noise': [0, 0.1],
};
const KEEPS: Array<string[] | undefined> = [undefined, ['trade_usd'], ['cooperation.*', 'balassa_stage'], ['trust'], ['cooperation.customs', 'agreement.customs', 'balassa_stage', 'trade_usd'], ['security', 'integration_index']];
/** Around EXACT (64 runs a point: exact quantiles up to it, histograms beyond) and the blocks of the sums. */
const REPLICATES = [1, 2, 3, 7, 30, 64, 65, 130, 200];

type Env = Record<string, string>;
interface Experiment {
  name: string;
  scenario: string;
  seed: number;
  replicates: number;
  pairedSeeds?: boolean;
  keep?: string[];
  design?: Record<string, unknown>;
}

class Failure extends Error {}

function cli(argv: string[], env: Env = {}): void {
  const r = spawnSync(process.execPath, [CLI, ...argv, '--quiet'], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Failure(`spillover ${argv.join(' ')}${Object.keys(env).length ? ` (${JSON.stringify(env)})` : ''}: exit ${r.status}\n${r.stderr.trim()}`);
}

/** Runs a command and kills it with SIGKILL after `ms`, unless it ended first. */
async function killed(argv: string[], ms: number): Promise<void> {
  const child = spawn(process.execPath, [CLI, ...argv, '--quiet'], { stdio: 'ignore' });
  const exited = new Promise((done) => child.once('exit', done));
  await Promise.race([exited, new Promise((done) => setTimeout(done, ms))]);
  child.kill('SIGKILL');
  await exited;
}

function same(reference: string, other: string, what: string): void {
  for (const f of OUTPUTS) {
    const a = join(reference, f), b = join(other, f);
    if (existsSync(a) !== existsSync(b)) throw new Failure(`${what}: ${f} written by one only`);
    if (!existsSync(a)) continue;
    const x = readFileSync(a, 'utf8'), y = readFileSync(b, 'utf8');
    if (x === y) continue;
    const xs = x.split('\n'), ys = y.split('\n');
    const k = xs.findIndex((line, i) => line !== ys[i]);
    throw new Failure(`${what}: ${f} differs at line ${k + 1}:\n  ${xs[k]}\n  ${ys[k]}`);
  }
}

const workers = () => String(pick([1, 2, 3, 5]));
const mainComputes = (): Env => (rng() < 0.5 ? { SPILLOVER_MAIN_COMPUTES_FROM: String(pick([0, 1, 50])) } : {});
const valueIn = (path: string, digits: number) => +(RANGES[path][0] + rng() * (RANGES[path][1] - RANGES[path][0])).toFixed(digits);

/** A random experiment of any design type, written into `dir`, and its number of design points. */
function randomExperiment(dir: string, name: string): { x: Experiment; points: number } {
  const type = pick(['none', 'replicates', 'grid', 'lhs', 'csv']);
  const paths = shuffled(Object.keys(RANGES)).slice(0, int(1, 3));
  const x: Experiment = { name, scenario: join(ROOT, 'scenarios', pick(['baseline.json', 'baseline.json', 'kyrgyz-tajik-clash.json'])), seed: int(1, 1e6), replicates: pick(REPLICATES) };
  if (rng() < 0.4) x.pairedSeeds = true;
  const keep = pick(KEEPS);
  if (keep) x.keep = keep;
  let points = 1;
  if (type === 'replicates') x.design = { type: 'replicates' };
  if (type === 'grid') {
    // distinct values: a grid may not repeat one (noise's range to three digits gave 0.05 twice)
    const parameters = Object.fromEntries(paths.map((p) => [p, [...new Set(Array.from({ length: int(1, 3) }, () => valueIn(p, 3)))]]));
    x.design = { type: 'grid', parameters };
    points = Object.values(parameters).reduce((n, v) => n * v.length, 1);
  }
  if (type === 'lhs') {
    points = int(1, 12);
    x.design = { type: 'lhs', samples: points, parameters: Object.fromEntries(paths.map((p) => [p, RANGES[p]])) };
  }
  if (type === 'csv') {
    // distinct rows, as a design file must have
    const rows = [...new Set(Array.from({ length: int(1, 6) }, () => paths.map((p) => valueIn(p, 4)).join(',')))];
    points = rows.length;
    writeFileSync(join(dir, 'points.csv'), [paths.join(','), ...rows].join('\n') + (rng() < 0.5 ? '\n' : ''));
    x.design = { type: 'csv', file: 'points.csv' };
  }
  while (points * x.replicates > 1500 && x.replicates > 1) x.replicates = Math.ceil(x.replicates / 2);
  return { x, points };
}

function writeExperiment(file: string, x: Experiment): string {
  writeFileSync(file, `${JSON.stringify(x, null, 1)}\n`);
  return file;
}

/** Runs shards 1..n of an experiment, each on its own worker count, into `folder`/shard-I; their folders. */
function shards(file: string, n: number, folder: string, extra: string[] = []): string[] {
  return Array.from({ length: n }, (_, k) => {
    const out = join(folder, `shard-${k + 1}`);
    cli(['sweep', file, '--shard', `${k + 1}/${n}`, ...extra, '--workers', workers(), '--out', out], mainComputes());
    return out;
  });
}

async function waysCase(dir: string, name: string, steps: string[]): Promise<string> {
  const { x, points } = randomExperiment(dir, name);
  const file = writeExperiment(join(dir, 'experiment.json'), x);
  const reference = join(dir, 'reference');
  cli(['sweep', file, '--workers', '1', '--out', reference]);
  const step = (what: string) => steps.push(what);

  const w = workers(), env = mainComputes();
  step(`workers ${w} ${JSON.stringify(env)}`);
  cli(['sweep', file, '--workers', w, '--out', join(dir, 'workers')], env);
  same(reference, join(dir, 'workers'), steps.at(-1)!);

  const n = int(1, 4);
  const folders = shuffled(shards(file, n, join(dir, 'shards')));
  step(`${n} shards merged as ${folders.map((f) => f.slice(-1)).join(',')}`);
  cli(['merge', ...folders, '--out', join(dir, 'merged')]);
  same(reference, join(dir, 'merged'), steps.at(-1)!);

  step('series from the shards, in another order');
  cli(['series', reference, '--out', join(dir, 'series-whole.csv')]);
  cli(['series', ...shuffled(folders), '--out', join(dir, 'series-shards.csv')]);
  if (!readFileSync(join(dir, 'series-whole.csv')).equals(readFileSync(join(dir, 'series-shards.csv')))) throw new Failure('series.csv from the shards differs');

  if (x.replicates > 1) {
    const smaller = writeExperiment(join(dir, 'smaller.json'), { ...x, replicates: int(1, x.replicates - 1) });
    cli(['sweep', smaller, '--workers', workers(), '--out', join(dir, 'smaller')]);
    const w2 = workers(), env2 = mainComputes();
    step(`reusing a sweep of fewer replicates, workers ${w2} ${JSON.stringify(env2)}`);
    cli(['sweep', file, '--reuse', join(dir, 'smaller'), '--workers', w2, '--out', join(dir, 'reused')], env2);
    same(reference, join(dir, 'reused'), steps.at(-1)!);
    const m = int(2, 3);
    step(`the same in ${m} shards`);
    cli(['merge', ...shards(file, m, join(dir, 'reused-shards'), ['--reuse', join(dir, 'smaller')]), '--out', join(dir, 'reused-merged')]);
    same(reference, join(dir, 'reused-merged'), steps.at(-1)!);
  }

  // killed once or twice (the second time while resuming), then resumed to the end
  const kills = Array.from({ length: int(1, 2) }, () => int(250, 900)), w3 = workers(), env3 = mainComputes();
  step(`killed after ${kills.join(' ms, resumed and killed after ')} ms, resumed on workers ${w3} ${JSON.stringify(env3)}`);
  for (const [k, ms] of kills.entries()) await killed(['sweep', file, ...(k > 0 ? ['--resume'] : []), '--workers', workers(), '--out', join(dir, 'killed')], ms);
  cli(['sweep', file, '--resume', '--workers', w3, '--out', join(dir, 'killed')], env3);
  same(reference, join(dir, 'killed'), steps.at(-1)!);

  // a shard killed and resumed, then merged with the others
  if (n > 1) {
    const k = int(1, n), ms = int(250, 900), again = join(dir, 'shards-again');
    step(`shard ${k}/${n} killed after ${ms} ms and resumed, merged with the others`);
    const redone = Array.from({ length: n }, (_, i) => (i + 1 === k ? join(again, `shard-${k}`) : join(dir, 'shards', `shard-${i + 1}`)));
    await killed(['sweep', file, '--shard', `${k}/${n}`, '--workers', workers(), '--out', redone[k - 1]], ms);
    cli(['sweep', file, '--shard', `${k}/${n}`, '--resume', '--workers', workers(), '--out', redone[k - 1]], mainComputes());
    cli(['merge', ...shuffled(redone), '--out', join(dir, 'merged-again')]);
    same(reference, join(dir, 'merged-again'), steps.at(-1)!);
  }
  return `${String(x.design?.type ?? 'no design')}, ${points} x ${x.replicates}, keep ${x.keep ?? 'default'}${x.pairedSeeds ? ', paired' : ''}`;
}

async function growthCase(dir: string, name: string, steps: string[]): Promise<string> {
  const paths = shuffled(Object.keys(RANGES).slice(0, 4)).slice(0, int(1, 2));
  const values = Object.fromEntries(paths.map((p) => [p, Array.from({ length: int(1, 4) }, (_, k) => +(k * 0.25 + rng() * 0.1).toFixed(3))]));
  const keep = pick([['trade_usd'], ['cooperation.*'], ['trust', 'trade_usd'], undefined]);
  const base = { scenario: join(ROOT, 'scenarios', 'baseline.json'), seed: int(1, 999), ...(rng() < 0.4 ? { pairedSeeds: true } : {}) };
  const x: Experiment = { name, ...base, design: { type: 'grid', parameters: values }, replicates: pick([2, 5, 40, 70, 130]), ...(keep ? { keep } : {}) };
  const file = writeExperiment(join(dir, 'experiment.json'), x);
  const reference = join(dir, 'reference');
  cli(['sweep', file, '--workers', '1', '--out', reference]);
  const about = `grid ${JSON.stringify(values)} x ${x.replicates}, keep ${keep ?? 'default'}${x.pairedSeeds ? ', paired' : ''}`;

  // one or two earlier sweeps: some of the values (in another order), fewer replicates; the default cells when they
  // hold this one's (they hold no dyad's trust)
  const sources: string[] = [];
  for (let e = 0; e < int(1, 2); e++) {
    const some = Object.fromEntries(paths.map((p) => [p, shuffled(values[p].filter(() => rng() < 0.6))]));
    if (Object.values(some).some((v) => v.length === 0)) continue;
    const earlier = writeExperiment(join(dir, `earlier-${e}.json`), { name: `${name}-earlier-${e}`, ...base, design: { type: 'grid', parameters: some }, replicates: int(1, x.replicates), ...(keep && (rng() < 0.5 || keep.includes('trust')) ? { keep } : {}) });
    const how = pick(['plain', 'shards', 'merged']);
    const out = join(dir, `earlier-${e}`);
    if (how === 'plain') {
      cli(['sweep', earlier, '--workers', workers(), '--out', out], mainComputes());
      sources.push(out);
    } else {
      const folders = shards(earlier, int(2, 3), out);
      if (how === 'merged') {
        cli(['merge', ...folders, '--out', `${out}-merged`]);
        sources.push(`${out}-merged`);
      } else sources.push(...folders);
    }
    steps.push(`earlier sweep ${e}: ${JSON.stringify(some)}, ${how}`);
  }
  if (sources.length === 0) return `${about} (nothing to reuse)`;
  const reuse = sources.flatMap((s) => ['--reuse', s]);
  const w = workers(), env = mainComputes();
  steps.push(`reusing them, workers ${w} ${JSON.stringify(env)}`);
  cli(['sweep', file, ...reuse, '--workers', w, '--out', join(dir, 'grown')], env);
  same(reference, join(dir, 'grown'), steps.at(-1)!);
  const n = int(2, 4);
  steps.push(`reusing them in ${n} shards, merged last to first`);
  cli(['merge', ...shards(file, n, join(dir, 'grown-shards'), reuse).reverse(), '--out', join(dir, 'grown-merged')]);
  same(reference, join(dir, 'grown-merged'), steps.at(-1)!);
  return about;
}

/** Every path into a JSON document, the root's included. */
function pathsOf(x: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out = [at];
  if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) out.push(...pathsOf(v, [...at, Array.isArray(x) ? Number(k) : k]));
  return out;
}

/** Sets (or with undefined, removes) the value at a path of a document. */
function setAt(doc: unknown, path: Array<string | number>, v: unknown): void {
  const parent = path.slice(0, -1).reduce((o: any, k) => o[k], doc);
  const key = path[path.length - 1];
  if (v !== undefined) parent[key] = v;
  else if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
}

/** A value to put where `v` was: of its kind but wrong, of another kind, or nothing. */
function mutant(v: unknown): unknown {
  if (typeof v === 'number') return pick([-v, 0, -1, 1e308, -1e308, v * 1000, v / 1000, v + 0.5, 1e-320, Math.round(v) + 1, 2 ** 31, 'abc', null, true, [], {}, undefined]);
  if (typeof v === 'string') return pick(['', 'x', v + v, v.toUpperCase(), 'KAZ', 'all', 'drought', '2025', 5, null, undefined]);
  if (Array.isArray(v)) return pick([[], [...v, ...v], v.slice(1), [...v, pick([1, 'x', null, {}])], v.slice().reverse(), 'a', null, undefined]);
  if (v && typeof v === 'object') return pick([{}, { ...v, unknownKey: 1 }, Object.fromEntries(Object.entries(v).filter(() => rng() < 0.6)), [], 1, null, undefined]);
  return pick([0, 'x', null, true, false, undefined]);
}

/**
 * Runs a command that may refuse its input: exit 0 (undefined), or 2 with one line beginning "spillover: " (that
 * line); anything else (an internal error, a stack trace, two lines, no end within two minutes) fails.
 */
function refusal(argv: string[], cwd = ROOT): string | undefined {
  const r = spawnSync(process.execPath, [CLI, ...argv], { encoding: 'utf8', timeout: 120_000, cwd });
  if (r.error) throw new Failure(`spillover ${argv.join(' ')}: did not finish: ${r.error.message}`);
  const lines = r.stderr.trim().split('\n').filter(Boolean);
  if (r.status === 0) return undefined;
  if (r.status === 2 && lines.length === 1 && lines[0].startsWith('spillover: ')) return lines[0];
  throw new Failure(`spillover ${argv.join(' ')}: exit ${r.status}\n${r.stderr.trim().slice(0, 1500)}`);
}

const RUN_OUTPUTS = ['timeseries.csv', 'summary.json'];
const EXPERIMENT_OUTPUTS = ['runs.csv', 'quantiles.csv'];

/**
 * The outputs `files` in `out` hold no number gone wrong: the CSV files write a number that is not finite as Inf, -Inf
 * or NA (NA also where a stage is never reached), JSON as null.
 */
function allFinite(out: string, files: readonly string[]): void {
  for (const f of files) {
    const bad = (f.endsWith('.json') ? /: null\b/ : /(?:^|,)(-?Inf|NaN)(?=,|$)/m).exec(readFileSync(join(out, f), 'utf8'));
    if (bad) throw new Failure(`${f} holds ${bad[0].replace(/^,/, '')}`);
  }
}

/** A calibration's calibration.json in `fit`: finite numbers, fitted values within their bounds. */
function checkFit(fit: string): void {
  const c = JSON.parse(readFileSync(join(fit, 'calibration.json'), 'utf8'));
  const numbers = [c.objective.start, c.objective.fitted, ...c.parameters.flatMap((p: any) => [p.start, p.fitted]), ...[...c.targets, ...c.checks].flatMap((t: any) => [...t.simulated, t.rmse, t.mapePercent])];
  if (!numbers.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new Failure(`calibration.json holds a value that is not a finite number: ${JSON.stringify(numbers).slice(0, 300)}`);
  const bounded = c.parameters.every((p: any) => p.fitted >= p.min && p.fitted <= p.max);
  if (!bounded) throw new Failure(`a fitted value outside its bounds: ${JSON.stringify(c.parameters)}`);
}

/** Values a data file's cell may be given: slips (a typo, a spreadsheet's decimal comma, a code in lower case) and not. */
const DATA_VALUES = ['abc', '', '1e400', '-1', '0', '1e-320', 'NA', '2017.5', '20x5', '"1,5"', '1e6', ' 12 ', 'Infinity', '0x10', 'kaz', 'KAZ ', 'AFG', 'region', 'Region', 'uzb'];
/** Changes to a data file's lines (the header first), each with what it did. */
const DATA_MUTATIONS: Array<(lines: string[]) => string> = [
  (lines) => {
    const r = int(1, lines.length - 1), cells = lines[r].split(','), k = int(0, 2), v = pick(DATA_VALUES);
    cells[k] = v;
    lines[r] = cells.join(',');
    return `line ${r + 1}, field ${k + 1} = ${JSON.stringify(v)}`;
  },
  (lines) => { const r = int(1, lines.length - 1); lines.splice(r, 0, lines[r]); return `line ${r + 1} twice`; },
  (lines) => { const r = int(1, lines.length - 1); lines.splice(r, 1); return `line ${r + 1} removed`; },
  (lines) => { const k = int(0, 2); lines[0] = lines[0].split(',').filter((_, j) => j !== k).join(','); return `column ${k + 1} of the header removed`; },
  (lines) => { lines.length = 1; return 'the header alone'; },
  (lines) => { const r = int(1, lines.length - 1); lines[r] += ',extra'; return `line ${r + 1} given a field more`; },
  (lines) => { for (let r = 0; r < lines.length; r++) lines[r] += '\r'; return 'CRLF line ends'; },
  (lines) => { lines[0] = `\ufeff${lines[0]}`; return 'a byte order mark'; },
  (lines) => { lines.splice(int(1, lines.length), 0, '"unterminated,1,2'); return 'a quote left open'; },
];

/** The mutations that change a row, not to be drawn once only the header is left. */
const ON_ROWS = new Set([0, 1, 2, 5]);

/**
 * A data file the historical scenario reads (its GDP path, its calibration's targets), changed at random in a copy of
 * the project's scenarios and data: `validate`, `run` and `calibrate` must each run or refuse in one line, and a fit
 * be of finite numbers within its bounds.
 */
function dataCase(dir: string, steps: string[]): string {
  for (const folder of ['scenarios', 'data']) cpSync(join(ROOT, folder), join(dir, folder), { recursive: true });
  const file = pick(['gdp.csv', 'trade.csv']);
  const path = join(dir, 'data', file);
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  const changes: string[] = [];
  for (let k = int(1, 2); k > 0; k--) {
    const m = int(0, DATA_MUTATIONS.length - 1);
    if (lines.length < 2 && ON_ROWS.has(m)) continue;
    changes.push(DATA_MUTATIONS[m](lines));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  const about = `data/${file}: ${changes.join('; ')}`;
  steps.push(about);
  const scenario = 'scenarios/historical.json';
  for (const [argv, what] of [[['validate', scenario], 'refused'], [['run', scenario, '--out', 'out', '--quiet'], 'valid, its run refused'], [['calibrate', scenario, '--out', 'fit', '--quiet'], 'ran; its calibration refused']] as const) {
    steps.push(`spillover ${argv.join(' ')}`);
    const refused = refusal([...argv], dir);
    // what validate accepted, no later command may refuse for the file's sake: validate checks what they read
    if (refused && argv[0] !== 'validate' && refused.includes(`data/${file}`)) throw new Failure(`validate accepted data/${file}, and ${argv[0]} refused it: ${refused}`);
    if (refused) return `${about}: ${what} (${refused.slice(11, 110)})`;
  }
  checkFit(join(dir, 'fit'));
  return `${about}: ran, and its calibration`;
}

const INPUT_SCENARIOS = ['baseline', 'deep-integration', 'eu-global-gateway', 'historical', 'kyrgyz-tajik-clash', 'pandemic', 'severe-drought'];
const INPUT_EXPERIMENT: Experiment = {
  name: 'input', scenario: join(ROOT, 'scenarios', 'baseline.json'), seed: 1, replicates: 2, pairedSeeds: true, keep: ['balassa_stage', 'cooperation.customs', 'trade_usd'],
  design: { type: 'lhs', samples: 3, parameters: { 'spillover.strength': [0, 2], 'policies.benefitSharing': [0, 1] } },
};

async function inputCase(dir: string, steps: string[]): Promise<string> {
  const experiment = rng() < 0.3;
  const doc: any = experiment ? structuredClone(INPUT_EXPERIMENT) : { ...(await loadScenario(join(ROOT, 'scenarios', `${pick(INPUT_SCENARIOS)}.json`))).scenario };
  delete doc.extends;
  const changes: string[] = [];
  for (let m = 0; m < (rng() < 0.7 ? 1 : 2); m++) {
    const path = pick(pathsOf(doc).filter((p) => p.length > 0 && p[0] !== '$schema'));
    const v = mutant(path.reduce((o: any, k) => o?.[k], doc));
    setAt(doc, path, v);
    const shown = v === undefined ? '(removed)' : JSON.stringify(v);
    changes.push(`${path.join('.')} = ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`);
  }
  const about = `${experiment ? 'experiment' : `scenario ${doc.name}`}: ${changes.join('; ')}`;
  steps.push(about);
  // a scenarios/ folder beside a link to data/, so that the paths historical.json gives its data ("../data/gdp.csv",
  // relative to its own file, and so unchanged in the resolved scenario) name the shipped files
  mkdirSync(join(dir, 'scenarios'));
  symlinkSync(join(ROOT, 'data'), join(dir, 'data'));
  const file = join(dir, 'scenarios', 'input.json');
  writeFileSync(file, `${JSON.stringify(doc, null, 1)}\n`);
  if (refusal(['validate', file])) return `${about}: refused`;
  const out = join(dir, 'out');
  if (refusal(experiment ? ['sweep', file, '--workers', '1', '--quiet', '--out', out] : ['run', file, '--out', out])) return `${about}: valid, its run refused`;
  allFinite(out, experiment ? EXPERIMENT_OUTPUTS : RUN_OUTPUTS);
  if (doc.calibration) {
    // a scenario with a calibration section is fitted too: refused in one line, or a fit of finite numbers
    const fit = join(dir, 'fit');
    if (refusal(['calibrate', file, '--out', fit, '--quiet'])) return `${about}: ran; its calibration refused`;
    checkFit(fit);
    return `${about}: ran, and its calibration`;
  }
  if (experiment || rng() < 0.5) return `${about}: ran`;
  // half the scenarios that run go into a what-if report against the baseline (or alone), whose words and data
  // must hold no number gone wrong nor a value left out
  const report = join(dir, 'report');
  const against = rng() < 0.7 ? [join(ROOT, 'scenarios', 'baseline.json')] : [];
  if (refusal(['report', ...against, file, '--runs', String(int(2, 12)), '--workers', '1', '--quiet', '--out', report])) return `${about}: ran; its report refused`;
  const written = ['report.md', ...readdirSync(join(report, 'data')).map((f) => join('data', f))];
  for (const f of written) {
    const bad = /NaN|Infinity|undefined|\[object |(?:^|,)-?Inf(?=,|$)/m.exec(readFileSync(join(report, f), 'utf8'));
    if (bad) throw new Failure(`report ${f} holds ${bad[0]}`);
  }
  return `${about}: ran, and its report`;
}

/** What a random `utility` formula is made of: the documented variables, numbers and strings, and mathjs's syntax. */
const FORMULA_LEAVES = [
  'coop', 'agreement', 'regionCoop', 'benefit', 'cost', 'exposure', 'openness', 'security', 'trust', 'support', 'waterStress', 'gdp',
  'population', 'upstream', 'institutions', 'investment', 't', 'year', '0', '1', '0.5', '-2', '3', '2030', '1e308', '1e-320', 'pi', 'e',
  'true', '"a"', '50%', 'x', 'i', 'Infinity', 'NaN',
];
const FORMULA_FUNCTIONS: Array<[string, number]> = [
  ['exp', 1], ['log', 1], ['log', 2], ['log10', 1], ['sqrt', 1], ['cbrt', 1], ['pow', 2], ['min', 2], ['max', 3], ['abs', 1], ['round', 1],
  ['round', 2], ['floor', 1], ['ceil', 1], ['sign', 1], ['mod', 2], ['sin', 1], ['cos', 1], ['tanh', 1], ['sinh', 1], ['hypot', 2],
  ['min', 0], ['gamma', 1], ['random', 0], ['evaluate', 1],
];
const FORMULA_BINARY = ['+', '-', '*', '/', '^', '%', 'mod', '.*', './', '.^', '==', '!=', '<', '>=', 'and', 'or', 'xor', '&', '|', '^|', '<<', '>>>', '??', 'to', ':'];

/** A random expression of mathjs's syntax, `depth` deep at most. */
function formula(depth: number): string {
  const r = rng();
  const sub = () => formula(depth - 1);
  if (depth <= 0 || r < 0.3) return pick(FORMULA_LEAVES);
  if (r < 0.6) return `(${sub()} ${pick(FORMULA_BINARY)} ${sub()})`;
  if (r < 0.66) return `${pick(['-', '+', 'not ', '~'])}${sub()}`;
  if (r < 0.69) return `${sub()}${pick(['!', "'"])}`;
  if (r < 0.9) {
    const [name, n] = pick(FORMULA_FUNCTIONS);
    return `${name}(${Array.from({ length: n }, sub).join(', ')})`;
  }
  return `(${sub()} ${pick(['<', '>', '=='])} ${sub()} ? ${sub()} : ${sub()})`;
}

/**
 * A baseline given a random `utility` formula: `validate` must accept it or refuse it in one line, and what it accepts
 * must run (`run`, sometimes an ensemble on a worker thread) or be refused in one line, writing no Inf or NaN.
 */
function formulaCase(dir: string, steps: string[]): string {
  const text = formula(int(1, 4));
  const about = `utility ${JSON.stringify(text)}`;
  steps.push(about);
  const file = join(dir, 'formula.json');
  writeFileSync(file, `${JSON.stringify({ extends: join(ROOT, 'scenarios', 'baseline.json'), name: 'formula', formulas: { utility: text } })}\n`);
  const refused = refusal(['validate', file]);
  if (refused) return `${about}: refused (${refused.replaceAll(file, '@').slice(11, 120)})`;
  const ensemble = rng() < 0.3;
  const out = join(dir, 'out');
  const argv = ensemble ? ['ensemble', file, '--runs', '4', '--workers', String(int(1, 2)), '--quiet', '--out', out] : ['run', file, '--out', out, '--quiet'];
  steps.push(`spillover ${argv.join(' ')}`);
  const stopped = refusal(argv);
  if (stopped) return `${about}: valid, its ${argv[0]} refused (${stopped.replaceAll(file, '@').slice(11, 120)})`;
  allFinite(out, ensemble ? EXPERIMENT_OUTPUTS : RUN_OUTPUTS);
  return `${about}: ran`;
}

/** Values an option may be given, plausible and not: `@` stands for the case's folder. */
const OPTION_VALUES: Record<string, string[]> = {
  '--runs': ['1', '3', '0', '-1', '2.5', 'abc', '', '1e1', '0x10', '10000001'],
  '--seed': ['0', '7', '-1', '1.5', 'abc', '4294967296', '9007199254740993', ''],
  '--workers': ['1', '2', '3', '0', '-1', '1.5', 'abc', ''],
  '--keep': ['', 'trade_usd', 'nothing', 'cooperation.*', '*', 'trade_usd,trade_usd', ','],
  '--set': ['policies.benefitSharing=0.5', 'policies.benefitSharing=2', 'nope=1', 'policies.benefitSharing', '=1', 'policies.benefitSharing=abc', 'start=2030', 'states.KAZ.gdp=1e200'],
  '--shard': ['1/2', '2/2', '0/2', '3/2', '1/0', 'a/b', '1', '2/1', '1/3'],
  '--shard-count': ['2', '0', '-1', 'x'],
  '--out': ['@/out', '@/out', '', '-', '@', '/proc/spillover-fuzz', '@/file.txt/out'],
  '--reuse': ['@/none', '@', ''],
  '--emit-slurm': ['@/job.sh', '', '@'],
  '--year': ['2030', '2040', '1990', '2030.5', 'abc'],
  '--replicates': ['1', '2', '0', 'x'],
  '--ids': ['0', '0-2', '2-3', '3-1', '1,3', '-1', '4', '100000', 'x', '', '0-'],
  '--write-state': ['@/state.json', '@/state.json', '', '@'],
  '--write-scenario': ['@/fitted.json', '@/fitted.json', '', '@'],
};
const FLAGS = ['--resume', '--quiet'];
const COMMAND_OPTIONS: Record<string, { args: string[]; options: string[] }> = {
  run: { args: ['scenarios/baseline.json'], options: ['--seed', '--set', '--out'] },
  // historical extends a parent, as --write-state needs; the files written only ever go into the case's folder
  'run ': { args: ['scenarios/historical.json'], options: ['--seed', '--out', '--write-state', '--replicates'] },
  calibrate: { args: ['scenarios/historical.json'], options: ['--seed', '--out', '--write-scenario'] },
  ensemble: { args: ['scenarios/baseline.json'], options: ['--runs', '--seed', '--keep', '--set', '--workers', '--out', '--reuse', '--shard', '--shard-count', '--emit-slurm'] },
  sweep: { args: ['experiments/dispute-resolution.json'], options: ['--set', '--workers', '--out', '--reuse', '--shard', '--shard-count', '--emit-slurm'] },
  report: { args: ['scenarios/baseline.json', 'scenarios/severe-drought.json'], options: ['--runs', '--seed', '--year', '--workers', '--out'] },
  series: { args: ['@/made'], options: ['--out', '--keep', '--ids'] },
  merge: { args: ['@/made'], options: ['--out'] },
};

/**
 * Options, given at random to a command (from one to three, values plausible or not, with --resume or --quiet at
 * times): it must finish with exit 0, or refuse in one line beginning "spillover: " with exit 2, never an internal
 * error or a stack trace. `series` and `merge` read a small ensemble made first.
 */
function optionsCase(dir: string, steps: string[]): string {
  const command = pick(Object.keys(COMMAND_OPTIONS));
  const { args, options } = COMMAND_OPTIONS[command];
  const at = (v: string) => v.replaceAll('@', dir);
  writeFileSync(join(dir, 'file.txt'), 'not a folder\n');
  if (command === 'series' || command === 'merge') {
    const made = spawnSync(process.execPath, [CLI, 'ensemble', 'scenarios/baseline.json', '--runs', '4', '--workers', '1', '--quiet', '--out', join(dir, 'made'), ...(command === 'merge' ? ['--shard', '1/1'] : [])], { encoding: 'utf8' });
    if (made.status !== 0) throw new Failure(`the ensemble to read back: exit ${made.status}\n${made.stderr}`);
  }
  const argv = [command.trim(), ...args.map(at)];
  for (const option of shuffled(options).slice(0, int(1, 3))) argv.push(option, at(pick(OPTION_VALUES[option])));
  // --resume mostly where it is an option (elsewhere it is refused before anything else is looked at)
  for (const flag of FLAGS) if (rng() < (flag === '--resume' && !['ensemble', 'sweep'].includes(command) ? 0.05 : 0.25)) argv.push(flag);
  // small runs where the command was not given a number of them
  if ((command === 'ensemble' || command === 'report') && !argv.includes('--runs')) argv.push('--runs', '3');
  if (!argv.includes('--out') && command !== 'series') argv.push('--out', join(dir, 'out'));
  if (command === 'series' && !argv.includes('--out')) argv.push('--out', join(dir, 'series.csv'));
  const shown = argv.map((a) => (a === '' ? '""' : a.replaceAll(dir, '@'))).join(' ');
  steps.push(`spillover ${shown}`);
  const refused = refusal(argv);
  return refused === undefined ? `${shown}: ran` : `${shown}: refused (${refused.replaceAll(dir, '@').slice(11, 120)})`;
}

const work = mkdtempSync(join(tmpdir(), 'spillover-fuzz-'));
let passed = 0, failed = 0;
for (let c = 0; c < CASES; c++) {
  const name = `fuzz-${SEED}-${c}`;
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const weights = { ways: 5, growth: 2, input: 3, options: 3, data: 1, formula: 2 } as Record<string, number>;
  const total = KINDS.reduce((sum, k) => sum + (weights[k] ?? 0), 0);
  let draw = rng() * total, kind = KINDS[0];
  for (const k of KINDS) if ((draw -= weights[k] ?? 0) < 0) { kind = k; break; }
  const steps: string[] = [];
  try {
    const about = kind === 'ways' ? await waysCase(dir, name, steps) : kind === 'growth' ? await growthCase(dir, name, steps) : kind === 'options' ? optionsCase(dir, steps) : kind === 'data' ? dataCase(dir, steps) : kind === 'formula' ? formulaCase(dir, steps) : await inputCase(dir, steps);
    passed++;
    console.log(`ok   ${name} (${kind}): ${about}`);
    rmSync(dir, { recursive: true, force: true });
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
    failed++;
    console.log(`FAIL ${name} (${kind}), in ${dir}:\n  ${[...steps, e.message].join('\n  ').replace(/\n(?! {2})/g, '\n    ')}`);
    if (!KEEP_FAILED) rmSync(dir, { recursive: true, force: true });
  }
}
if (readdirSync(work).length === 0) rmSync(work, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
