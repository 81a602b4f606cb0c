/** The command line as a user meets it: files written, exit codes, one-line errors, nothing half-written. */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import yargs from 'yargs';
import { withoutEagerHelp, usageOf } from '../src/cli/eager-help.js';
import { writeFolder } from '../src/cli/write-folder.js';
import { BASELINE, tempFolder, writeFixture } from './fixtures.js';

const BIN = 'dist/cli/spillover.js';
const dir = tempFolder();

function cli(...args: string[]) {
  assert.ok(existsSync(BIN), `${BIN} is missing: run "npm run build" (npm test does it)`);
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...env } = process.env;
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
}

test('an unknown option or a stray argument is named as typed, with the command it does not belong to', () => {
  // yargs said "Unknown argument: resume", its dashes dropped, so an option and a stray word read the same, and named
  // --foo-bar twice ("foo-bar, fooBar")
  for (const [args, line] of [
    [['run', 'scenarios/baseline.json', '--resume'], '--resume: not an option of "spillover run"'],
    [['run', 'scenarios/baseline.json', 'other.json'], '"other.json": not an argument of "spillover run"'],
    [['run', 'scenarios/baseline.json', '--foo-bar', '3'], '--foo-bar: not an option of "spillover run"'],
    [['merge', 'a', '--keep', 'x', 'b'], '--keep: not an option of "spillover merge"'],
    [['ensemble', 'scenarios/baseline.json', '--bogus', 'x', '-z'], '--bogus, -z: not options of "spillover ensemble"'],
    [['ensemble', 'scenarios/baseline.json', '--bogus=1', 'x'], '--bogus, "x": not options or arguments of "spillover ensemble"'],
  ] as const) {
    const r = cli(...args, '--out', join(dir, 'never'));
    assert.is(r.status, 2, r.stderr);
    assert.is(r.stderr, `spillover: ${line} (see --help)\n`, args.join(' '));
  }
  assert.not.ok(existsSync(join(dir, 'never')));
});

test('run writes the outputs and prints a short summary', () => {
  const out = join(dir, 'baseline');
  const r = cli('run', 'scenarios/baseline.json', '--out', out, '--seed', '3');
  assert.is(r.status, 0, r.stderr);
  assert.equal(readdirSync(out).sort(), ['events.csv', 'manifest.json', 'plots.html', 'summary.json', 'timeseries.csv']);
  assert.match(r.stdout, /stage \d/);
  assert.match(r.stdout, /USD [\d.]+ bn/);
  assert.match(r.stdout, /plots: .*plots\.html/);
  const csv = readFileSync(join(out, 'timeseries.csv'), 'utf8');
  assert.ok(csv.startsWith('step,time,entity,variable,value\n0,2025,region,'));
  for (const v of ['trust', 'trade_usd', 'integration_index', 'balassa_stage', 'negative_integration', 'positive_integration', 'security', 'water_stress', 'spillover.transport.customs', 'cooperation.customs'])
    assert.match(csv, new RegExp(`,${v.replace('.', '\\.')},`), v);
  assert.match(csv, /\n60,2040,KGZ-TJK,trust,/);
  const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.is(manifest.seed, 3);
  assert.match(manifest.scenario.sha256, /^[0-9a-f]{64}$/);
  assert.is(manifest.scenario.resolved.name, 'baseline');
  assert.match(manifest.command, /^spillover run scenarios\/baseline\.json/);
  assert.ok(manifest.version && manifest.modelVersion);
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
  assert.ok(Number.isInteger(summary.finalStage));
  assert.ok(summary.tradeUsd.end > 0);
  const html = readFileSync(join(out, 'plots.html'), 'utf8');
  assert.not.match(html, /<script[^>]+src=/, 'no external scripts');
  assert.ok(html.length > 1_000_000, 'plotly inlined');
  for (const id of ['cooperation', 'trade', 'stage', 'trust']) assert.match(html, new RegExp(`id="fig-${id}"`));
});

test('the same seed through the CLI gives a byte-identical timeseries.csv', () => {
  const a = join(dir, 'same-a');
  const b = join(dir, 'same-b');
  assert.is(cli('run', 'scenarios/severe-drought.json', '--out', a, '--quiet').status, 0);
  assert.is(cli('run', 'scenarios/severe-drought.json', '--out', b, '--quiet').status, 0);
  assert.ok(readFileSync(join(a, 'timeseries.csv')).equals(readFileSync(join(b, 'timeseries.csv'))));
});

test('bad input: one line on stderr, exit code 2, no stack trace, nothing written', () => {
  const bad = writeFixture(dir, 'bad-cli.json', { extends: BASELINE, policies: { benefitSharing: 2 } });
  const out = join(dir, 'never');
  const r = cli('run', bad, '--out', out);
  assert.is(r.status, 2);
  assert.is(r.stdout, '');
  assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^spillover: .*bad-cli\.json: policies\.benefitSharing: 2 is out of range; expected a number <= 1\n$/);
  assert.not.match(r.stderr, /\bat .*\.js:\d+/);
  assert.not.ok(existsSync(out));
  assert.equal(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
});

test('an output named as long as a name may be is written; a longer name is refused in one line, exit 2', () => {
  // the name a file system allows (255 bytes), less a little: the hidden sibling a write goes through had 12 more
  const long = join(dir, 'l'.repeat(250));
  assert.is(cli('run', 'scenarios/baseline.json', '--out', long, '--quiet').status, 0);
  assert.ok(existsSync(join(long, 'timeseries.csv')));
  const ensemble = join(dir, 'e'.repeat(250));
  assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '2', '--out', ensemble, '--quiet').status, 0);
  assert.is(cli('series', ensemble, '--out', `${long}.csv`, '--quiet').status, 0);
  assert.ok(existsSync(`${long}.csv`));
  const tooLong = join(dir, 'x'.repeat(256));
  const r = cli('run', 'scenarios/baseline.json', '--out', tooLong, '--quiet');
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /^spillover: cannot write ".*\/x{256}": name too long \(ENAMETOOLONG, \w+\); expected a shorter name\n$/);
});

test('an output place that cannot be written: one line naming it, exit 2, promptly', () => {
  const file = writeFixture(dir, 'a-file.json', {});
  const cases: Array<[string[], RegExp]> = [
    [['run', 'scenarios/baseline.json', '--out', join(file, 'out')], /^spillover: cannot write ".*a-file\.json.*": not a directory \(ENOTDIR, \w+\); expected a folder that can be written\n$/],
    [['ensemble', 'scenarios/baseline.json', '--runs', '3', '--out', join(file, 'out'), '--quiet'], /^spillover: cannot write ".*a-file\.json.*": not a directory/],
    [['ensemble', 'scenarios/baseline.json', '--runs', '3', '--out', '', '--quiet'], /^spillover: --out: "" names nothing; expected a path\n$/],
  ];
  // /proc refuses folders with ENOENT, on which Node 20's recursive mkdir looped for ever: the command hung
  if (existsSync('/proc/self')) cases.push([['ensemble', 'scenarios/baseline.json', '--runs', '3', '--out', '/proc/spillover-test', '--quiet'], /^spillover: cannot write "\/proc\/spillover-test": no such file or directory \(ENOENT, mkdir\)/]);
  // without --quiet, the one line alone: the notes on the room its records would lack in /proc ("0 KB free"), and on more
  // threads than cores, came first
  if (existsSync('/proc/self')) cases.push([['sweep', 'experiments/dispute-resolution.json', '--workers', '64', '--out', '/proc/spillover-test'], /^spillover: cannot write "\/proc\/spillover-test": no such file or directory \(ENOENT, mkdir\)[^\n]*\n$/]);
  // and a report's note on the memory its runs would hold (on a machine of less than some 200 GB)
  const six = ['baseline', 'pandemic', 'severe-drought', 'deep-integration', 'eu-global-gateway', 'kyrgyz-tajik-clash'].map((s) => `scenarios/${s}.json`);
  if (existsSync('/proc/self')) cases.push([['report', ...six, '--runs', '1000000', '--out', '/proc/spillover-test'], /^spillover: cannot write "\/proc\/spillover-test": no such file or directory \(ENOENT, mkdir\)[^\n]*\n$/]);
  for (const [args, pattern] of cases) {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
    assert.is(r.status, 2, `${args.join(' ')}: ${r.signal ?? ''} ${r.stderr}`);
    assert.match(r.stderr, pattern);
  }
  // `--out ""` wrote the run store into the working folder before it failed
  assert.not.ok(existsSync('runs.bin'));
  // a file named as the output folder is left as it was (it was deleted, and the folder put in its place)
  const r = cli('run', 'scenarios/baseline.json', '--out', file);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /^spillover: cannot write ".*a-file\.json": not a directory \(ENOTDIR, mkdir\); expected a folder that can be written\n$/);
  assert.is(readFileSync(file, 'utf8'), '{}');
  // the same for an ensemble's, a sweep's and a merge's output folder (they were internal errors, exit 1)
  const shard = join(dir, 'one-shard');
  assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '2', '--out', shard, '--quiet').status, 0);
  for (const args of [['ensemble', 'scenarios/baseline.json', '--runs', '2'], ['sweep', 'experiments/benefit-sharing.json'], ['merge', shard]]) {
    const x = cli(...args, '--out', file, '--quiet');
    assert.is(x.status, 2, `${args[0]}: ${x.stderr}`);
    assert.match(x.stderr, /^spillover: cannot write ".*a-file\.json": not a directory \(ENOTDIR, mkdir\); expected a folder that can be written\n$/);
  }
  assert.is(readFileSync(file, 'utf8'), '{}');
  // a folder named as a file to write: one line naming it, and no temporary file left beside it
  const state = cli('run', 'scenarios/historical.json', '--out', join(dir, 'historical'), '--write-state', dir);
  assert.is(state.status, 2, state.stderr);
  assert.match(state.stderr, /^spillover: cannot write ".*": illegal operation on a directory \(EISDIR, open\); expected the name of a file, not a folder\n$/);
  assert.equal(readdirSync(dirname(dir)).filter((f) => f.startsWith(`.${basename(dir)}.tmp-`)), []);
});

/** A hook for `node --require` that opens the files whose paths match `pattern` (a RegExp's source) on /dev/full. */
function fullDiskHook(name: string, pattern: string): string {
  return writeFixture(dir, name, [
    "const fs = require('node:fs');",
    'const open = fs.openSync;',
    `fs.openSync = (path, ...rest) => open(/${pattern}/.test(String(path)) ? '/dev/full' : path, ...rest);`,
    "require('node:module').syncBuiltinESMExports();",
  ].join('\n'));
}

/**
 * A hook for `node --require` under which opening a file whose path matches `pattern` (a RegExp's source), with
 * `flags` if given, fails with `code` as the system would: running out of file handles, or, for root, whom permissions
 * never stop, a file another user may not read.
 */
function failingOpenHook(name: string, pattern: string, code: string, message: string, flags?: string): string {
  const when = `/${pattern}/.test(String(path))${flags ? ` && flags === '${flags}'` : ''}`;
  return writeFixture(dir, name, [
    "const fs = require('node:fs');",
    'const open = fs.openSync;',
    `fs.openSync = (path, flags, ...rest) => { if (${when}) throw Object.assign(new Error('${code}: ${message}, open ' + path), { code: '${code}', syscall: 'open', path: String(path) }); return open(path, flags, ...rest); };`,
    "require('node:module').syncBuiltinESMExports();",
  ].join('\n'));
}

test('running out of open files is said as such, not as a file that cannot be written', () => {
  // the process's limit of open files met on opening a store: it said 'cannot write "...runs.bin"', though the file
  // was only being read, and suggested a folder that can be written
  const hook = failingOpenHook('emfile-hook.cjs', 'runs[.]bin$', 'EMFILE', 'too many open files');
  const r = spawnSync(process.execPath, ['--require', hook, BIN, 'ensemble', 'scenarios/baseline.json', '--runs', '2', '--out', join(dir, 'emfile'), '--quiet'], { encoding: 'utf8' });
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, /^spillover: too many open files \(EMFILE, open ".*emfile\/runs\.bin"\); expected a higher limit of open files \(ulimit -n\)\n$/);
});

test('a run store that may not be read is said so, not "cannot write", when a merge or an export only reads it', () => {
  const shard = join(dir, 'unreadable-shard');
  assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '4', '--shard', '1/1', '--out', shard, '--quiet').status, 0);
  const hook = failingOpenHook('eacces-hook.cjs', 'unreadable-shard[/]runs[.]bin$', 'EACCES', 'permission denied', 'r');
  for (const args of [['merge', shard, '--out', join(dir, 'unreadable-merged')], ['series', shard, '--out', join(dir, 'unreadable.csv')]]) {
    const r = spawnSync(process.execPath, ['--require', hook, BIN, ...args], { encoding: 'utf8' });
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, /^spillover: .*unreadable-shard\/runs\.bin: cannot be read \(EACCES\); expected a run store this user may read\n$/, args[0]);
  }
});

test('a full disk stops an experiment with one line saying how to carry on, exit 1', () => {
  // /dev/full answers every write with ENOSPC, as a full disk or a quota would: the experiment.json being written is
  // opened there (through a hook loaded first, since it is written beside and renamed into place, under a name of the
  // writing process's id), and the file there was stays
  if (!existsSync('/dev/full')) return;
  const out = join(dir, 'full-disk');
  mkdirSync(out);
  const hook = fullDiskHook('full-disk-hook.cjs', '[.]experiment[.]json[.][0-9]+[.]partial$');
  const r = spawnSync(process.execPath, ['--require', hook, BIN, 'ensemble', 'scenarios/baseline.json', '--runs', '3', '--out', out, '--quiet'], { encoding: 'utf8' });
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, /^spillover: no space left on device \(ENOSPC, write\); the outputs were not written: make room, then run the same command with --resume to keep the runs already stored \(another --out starts over\)\n$/);
  // a command that stores no runs as it goes has no --resume to offer: a series export on a full disk
  const seriesHook = fullDiskHook('full-disk-series-hook.cjs', '[.]paths[.]csv[.]tmp-[0-9]+$');
  const ensemble = join(dir, 'full-disk-ensemble');
  assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '2', '--out', ensemble, '--quiet').status, 0);
  const s = spawnSync(process.execPath, ['--require', seriesHook, BIN, 'series', ensemble, '--out', join(dir, 'paths.csv')], { encoding: 'utf8' });
  assert.is(s.status, 1, s.stderr);
  assert.match(s.stderr, /^spillover: no space left on device \(ENOSPC, write\); the outputs were not written: make room or choose another --out\n$/);
  assert.not.ok(existsSync(join(dir, 'paths.csv')));
});

test('--version is the package\'s, from any working folder', () => {
  const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
  for (const cwd of [process.cwd(), dir]) {
    const r = spawnSync(process.execPath, [resolve(BIN), '--version'], { encoding: 'utf8', cwd });
    assert.is(r.status, 0, r.stderr);
    assert.is(r.stdout, `${version}\n`, cwd);
  }
});

test('usage errors exit 2 with one line', () => {
  for (const args of [['run'], ['frobnicate'], ['run', 'scenarios/baseline.json', '--sed', '3'], ['run', 'scenarios/baseline.json', '--seed', 'abc']]) {
    const r = cli(...args);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const missing = cli('validate', 'scenarios/nope.json');
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /^spillover: scenarios\/nope\.json: no such file\n$/);
  // a folder where a file should be says so (it said "no such file")
  const folder = cli('validate', 'scenarios');
  assert.is(folder.status, 2);
  assert.match(folder.stderr, /^spillover: scenarios: a folder, not a file\n$/);
  // a number option given text says the text, not yargs' NaN ("NaN is not a number of runs")
  for (const [option, what, range] of [['--runs', 'runs', '1 to 10000000'], ['--workers', 'workers', '1 to 1024']]) {
    const r = cli('ensemble', 'scenarios/baseline.json', option, 'abc', '--out', join(dir, 'never-abc'));
    assert.is(r.status, 2, r.stderr);
    assert.is(r.stderr, `spillover: ${option}: "abc" is not a number of ${what}; expected a whole number from ${range}\n`);
  }
  // "-" for standard input, which yargs made "": `run -` said the working folder was "a folder, not a file"
  for (const args of [['run', '-'], ['series', '-', '--out', join(dir, 'never.csv')]]) {
    const r = cli(...args);
    assert.is(r.status, 2, r.stderr);
    assert.is(r.stderr, 'spillover: "-" would be standard input, which no command reads; expected the path of a file or folder\n');
  }
  // after an option whose value is no path, the option's value was expected, not a file
  const keep = cli('ensemble', 'scenarios/baseline.json', '--keep', '-', '--out', join(dir, 'never-dash'));
  assert.is(keep.status, 2, keep.stderr);
  assert.is(keep.stderr, 'spillover: --keep: "-" would be standard input, which no command reads; expected the option\'s value (spillover ensemble --help lists them)\n');
  // nothing after "--" is read: it ran the default seed into the default folder, or took "--" for an option given 4 times
  const after = cli('run', 'scenarios/baseline.json', '--', '--seed', '3', '--out', join(dir, 'never-after'));
  assert.is(after.status, 2, after.stderr);
  assert.match(after.stderr, /^spillover: "--seed 3 --out .*never-after" comes after "--", and nothing after it is read; expected every option and argument before "--"\n$/);
  assert.not.ok(existsSync(join(dir, 'never-after')));
  // a "--" that ends the line ends nothing
  assert.is(cli('validate', 'scenarios/baseline.json', '--').status, 0);
  // options before the command's name (yargs took "--quiet ensemble" for --quiet=ensemble, and listed the rest as unknown)
  const first = cli('--workers', '2', 'ensemble', 'scenarios/baseline.json', '--runs', '3', '--out', join(dir, 'never-first'));
  assert.is(first.status, 2);
  assert.is(first.stderr, "spillover: --workers 2: comes before the command's name; expected the command first, then its options (spillover ensemble ... --workers 2)\n");
  assert.not.ok(existsSync(join(dir, 'never-first')));
  // --help before it is help
  const help = cli('--help', 'validate');
  assert.is(help.status, 0);
  assert.match(help.stdout, /^spillover validate <file>/);
});

test('an option given twice with different values is refused with both (--out twice was an internal error, --seed 1 --seed 2 "1 is not a seed"); the same value twice is that value', () => {
  const never = join(dir, 'never-twice');
  for (const [args, message] of [
    [['--out', join(dir, 'never-twice-b')], /^spillover: --out: given twice \(".*never-twice-b" and ".*never-twice"\); expected one value\n$/],
    [['--seed', '1', '--seed', '2'], /^spillover: --seed: given twice \(1 and 2\); expected one value\n$/],
    [['--runs', '3', '--runs', '4', '--runs', '5'], /^spillover: --runs: given 3 times \(3, 4 and 5\); expected one value\n$/],
    [['--shard', '1/2', '--shard', '2/2'], /^spillover: --shard: given twice \("1\/2" and "2\/2"\); expected one value\n$/],
  ] as const) {
    const r = cli('ensemble', 'scenarios/baseline.json', ...args, '--out', never, '--quiet');
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.not.ok(existsSync(never), 'nothing written');
  }
  const same = cli('ensemble', 'scenarios/baseline.json', '--runs', '3', '--runs', '3', '--seed', '4', '--seed', '4', '--out', never, '--quiet');
  assert.is(same.status, 0, same.stderr);
  assert.is(readFileSync(join(never, 'runs.csv'), 'utf8').trim().split('\n').length, 4, 'three runs');
});

test('number options are written in decimal: 0x10 was 16 runs, and a blank seed seed 0, without a word', () => {
  const never = join(dir, 'never-hex');
  for (const [command, args, message] of [
    ['ensemble', ['--runs', '0x10'], /^spillover: --runs: "0x10" is not a decimal number; expected one written in decimal, as 16\n$/],
    ['ensemble', ['--runs=0b11'], /^spillover: --runs: "0b11" is not a decimal number; expected one written in decimal, as 3\n$/],
    ['ensemble', ['--workers', '0o2'], /^spillover: --workers: "0o2" is not a decimal number; expected one written in decimal, as 2\n$/],
    ['ensemble', ['--seed', ''], /^spillover: --seed: "" is not a number; expected one written in decimal\n$/],
    ['run', ['--seed', '0x5'], /^spillover: --seed: "0x5" is not a decimal number;/],
    ['report', ['--year', '0x7e8'], /^spillover: --year: "0x7e8" is not a decimal number; expected one written in decimal, as 2024\n$/],
  ] as const) {
    const r = cli(command, 'scenarios/baseline.json', ...args, '--out', never, '--quiet');
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.not.ok(existsSync(never), 'nothing written');
  }
  // decimal spellings pandas and R read are numbers
  const ok = cli('ensemble', 'scenarios/baseline.json', '--runs', '3e0', '--seed', ' 7 ', '--out', never, '--quiet');
  assert.is(ok.status, 0, ok.stderr);
  assert.is(JSON.parse(readFileSync(join(never, 'manifest.json'), 'utf8')).runs, 3);
});

test('--keep given more than once adds up its lists, as one list would (it was refused as given twice)', () => {
  const [one, two] = ['keep-one', 'keep-two'].map((f) => join(dir, f));
  const a = cli('ensemble', 'scenarios/baseline.json', '--runs', '3', '--keep', 'trade_usd,cooperation.customs', '--out', one, '--quiet');
  assert.is(a.status, 0, a.stderr);
  const b = cli('ensemble', 'scenarios/baseline.json', '--runs', '3', '--keep', 'trade_usd', '--keep', 'cooperation.customs', '--out', two, '--quiet');
  assert.is(b.status, 0, b.stderr);
  const quantiles = readFileSync(join(two, 'quantiles.csv'), 'utf8');
  assert.ok(quantiles.includes(',KAZ,cooperation.customs,') && quantiles.includes(',region,trade_usd,'), 'both lists kept');
  assert.is(quantiles, readFileSync(join(one, 'quantiles.csv'), 'utf8'));
  // a SLURM script's command keeps them, as one list
  const script = cli('ensemble', 'scenarios/baseline.json', '--runs', '3', '--keep', 'trade_usd', '--keep', 'cooperation.customs', '--out', two, '--emit-slurm', join(dir, 'keep-two.sh'));
  assert.is(script.status, 0, script.stderr);
  assert.match(readFileSync(join(dir, 'keep-two.sh'), 'utf8'), / --keep trade_usd,cooperation\.customs /);
});

test('run --seed and --set give one run of a sweep again, whole; bad sets exit 2 with one line', () => {
  const experiment = writeFixture(dir, 'set-sweep.json', { name: 'set-sweep', scenario: resolve('scenarios/baseline.json'), replicates: 2, seed: 3, design: { type: 'lhs', samples: 3, parameters: { 'policies.benefitSharing': [0, 1], 'states.KAZ.gdpGrowth': [0.01, 0.05] } }, keep: ['integration_index'] });
  const sweep = join(dir, 'set-sweep');
  assert.is(cli('sweep', experiment, '--out', sweep, '--quiet').status, 0);
  const [header, , , , row] = readFileSync(join(sweep, 'runs.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const at = (name: string) => row[header.indexOf(name)];
  const one = join(dir, 'set-run');
  const r = cli('run', 'scenarios/baseline.json', '--seed', at('seed'), '--set', `policies.benefitSharing=${at('policies.benefitSharing')}`, '--set', `states.KAZ.gdpGrowth=${at('states.KAZ.gdpGrowth')}`, '--out', one, '--quiet');
  assert.is(r.status, 0, r.stderr);
  const series = readFileSync(join(one, 'timeseries.csv'), 'utf8');
  assert.ok(series.includes(`\n60,2040,region,trade_usd,${at('trade_usd_end')}\n`), 'the sweep run\'s trade at the end');
  assert.ok(series.includes(`\n60,2040,region,integration_index,${at('integration_index_end')}\n`), 'and its integration index');
  for (const [set, message] of [
    ['policies.benefitSharing=5', /^spillover: --set: policies\.benefitSharing: 5 is out of range; expected a number <= 1\n$/],
    ['policies.benefitSharing=abc', /^spillover: --set: "policies\.benefitSharing=abc" sets no number/],
    ['policies.benefitSharing=0x1', /^spillover: --set: "policies\.benefitSharing=0x1" sets no number/],
    ['policies.nothing=1', /^spillover: --set: "policies\.nothing=1" names nothing in the scenario; expected the dotted path of a number\n$/],
    ['policies.benefitsharing=1', /^spillover: --set: "policies\.benefitsharing=1" names nothing in the scenario; did you mean "policies\.benefitSharing"\?\n$/],
  ] as const) {
    const bad = cli('run', 'scenarios/baseline.json', '--set', set, '--out', join(dir, 'never-set'));
    assert.is(bad.status, 2, set);
    assert.match(bad.stderr, message);
  }
  // one path set twice: the later value won without a word, while the manifest listed both
  const twice = cli('run', 'scenarios/baseline.json', '--set', 'policies.benefitSharing=0.2', '--set', 'policies.benefitSharing=0.9', '--out', join(dir, 'never-set'));
  assert.is(twice.status, 2);
  assert.is(twice.stderr, 'spillover: --set: "policies.benefitSharing=0.9" sets policies.benefitSharing again (to 0.2 before); expected each path once\n');
  assert.not.ok(existsSync(join(dir, 'never-set')));
});

test('ensemble --set: every run of the changed scenario, on the unchanged one\'s seeds; the manifest and hash say so', () => {
  const runs = (folder: string) => readFileSync(join(folder, 'runs.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const plain = join(dir, 'set-plain'), shared = join(dir, 'set-shared');
  assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '6', '--keep', 'integration_index', '--out', plain, '--quiet').status, 0);
  const r = cli('ensemble', 'scenarios/baseline.json', '--runs', '6', '--keep', 'integration_index', '--set', 'policies.benefitSharing=0.5', '--out', shared, '--quiet');
  assert.is(r.status, 0, r.stderr);
  const [header, ...rows] = runs(shared);
  const before = runs(plain).slice(1);
  const seed = header.indexOf('seed'), end = header.indexOf('integration_index_end');
  assert.equal(rows.map((row) => row[seed]), before.map((row) => row[seed]), 'paired: the same seeds');
  assert.ok(rows.some((row, k) => row[end] !== before[k][end]), 'and other outcomes');
  const manifest = (folder: string) => JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
  assert.equal(manifest(shared).scenario.set, { 'policies.benefitSharing': 0.5 });
  assert.is(manifest(plain).scenario.set, undefined);
  assert.is.not(manifest(shared).hash, manifest(plain).hash);
  assert.is.not(manifest(shared).scenario.sha256, manifest(plain).scenario.sha256);
  // its run 3 again alone, from its seed and the same --set
  const one = join(dir, 'set-shared-run');
  assert.is(cli('run', 'scenarios/baseline.json', '--seed', rows[3][seed], '--set', 'policies.benefitSharing=0.5', '--out', one, '--quiet').status, 0);
  assert.ok(readFileSync(join(one, 'timeseries.csv'), 'utf8').includes(`\n60,2040,region,integration_index,${rows[3][end]}\n`));
  // a value the scenario does not allow: one line, nothing written
  const bad = cli('ensemble', 'scenarios/baseline.json', '--runs', '6', '--set', 'policies.benefitSharing=5', '--out', join(dir, 'never-set'));
  assert.is(bad.status, 2);
  assert.is(bad.stderr, 'spillover: --set: policies.benefitSharing: 5 is out of range; expected a number <= 1\n');
  assert.not.ok(existsSync(join(dir, 'never-set')));
  // the SLURM script runs each shard with the same --set
  const script = join(dir, 'set-job.sh');
  assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '6', '--set', 'policies.benefitSharing=0.5', '--emit-slurm', script, '--out', join(dir, 'set-job'), '--quiet').status, 0);
  assert.match(readFileSync(script, 'utf8'), / --set policies\.benefitSharing=0\.5 --out /);
  // into the unchanged one's folder (both are baseline-ensemble by default), the command says whose outputs it replaces
  const plainHash = manifest(plain).hash;
  const into = cli('ensemble', 'scenarios/baseline.json', '--runs', '6', '--keep', 'integration_index', '--set', 'policies.benefitSharing=0.5', '--out', plain);
  assert.is(into.status, 0, into.stderr);
  assert.match(into.stderr, new RegExp(`^note: .*set-plain/ holds the outputs of another experiment \\(${plainHash.slice(0, 12)}\\), which this one replaces; give another --out to keep them\n`));
  const again = cli('ensemble', 'scenarios/baseline.json', '--runs', '6', '--keep', 'integration_index', '--set', 'policies.benefitSharing=0.5', '--out', plain);
  assert.not.match(again.stderr, /note:/, 'the same experiment again: no note');
});

test('with --set and no --out, an ensemble or a sweep has a folder of its own: the unchanged one\'s outputs and records stay', () => {
  const project = join(dir, 'set-project');
  mkdirSync(project, { recursive: true });
  const inProject = (...args: string[]) => spawnSync(process.execPath, [resolve(BIN), ...args, '--quiet'], { encoding: 'utf8', cwd: project });
  const baseline = resolve('scenarios/baseline.json');
  const ensemble = ['ensemble', baseline, '--runs', '4', '--keep', 'integration_index'];
  assert.is(inProject(...ensemble).status, 0);
  const plain = join(project, 'output', 'baseline-ensemble');
  const records = readFileSync(join(plain, 'runs.bin'));
  const r = inProject(...ensemble, '--set', 'spillover.strength=0.5', '--set', 'policies.benefitSharing=0.50');
  assert.is(r.status, 0, r.stderr);
  // the paths in order, each value as the number it is
  const changed = join(project, 'output', 'baseline-ensemble-policies.benefitSharing=0.5-spillover.strength=0.5');
  assert.equal(JSON.parse(readFileSync(join(changed, 'manifest.json'), 'utf8')).scenario.set, { 'spillover.strength': 0.5, 'policies.benefitSharing': 0.5 });
  assert.ok(readFileSync(join(plain, 'runs.bin')).equals(records), 'the unchanged ensemble\'s records are as they were');
  assert.is(JSON.parse(readFileSync(join(plain, 'manifest.json'), 'utf8')).scenario.set, undefined);
  // a sweep's robustness check beside the sweep it checks
  const experiment = writeFixture(project, 'robust.json', { name: 'robust', scenario: baseline, replicates: 2, seed: 3, design: { type: 'grid', parameters: { 'policies.benefitSharing': [0, 1] } }, keep: [] });
  assert.is(inProject('sweep', experiment).status, 0);
  assert.is(inProject('sweep', experiment, '--set', 'spillover.strength=0').status, 0);
  assert.equal(readdirSync(join(project, 'output')).sort(), ['baseline-ensemble', 'baseline-ensemble-policies.benefitSharing=0.5-spillover.strength=0.5', 'robust', 'robust-spillover.strength=0']);
  // values too many for a name: named by their hash
  const many = ['KAZ', 'KGZ', 'TJK', 'TKM', 'UZB'].flatMap((c) => ['--set', `states.${c}.openness=0.55`]);
  assert.is(inProject('sweep', experiment, ...many).status, 0);
  assert.ok(readdirSync(join(project, 'output')).some((f) => /^robust-set-[0-9a-f]{12}$/.test(f)));
});

test('with --set and no --out, a run has a folder of its own too: the unchanged run\'s outputs stay', () => {
  const project = join(dir, 'set-run-project');
  mkdirSync(project, { recursive: true });
  const inProject = (...args: string[]) => spawnSync(process.execPath, [resolve(BIN), ...args, '--quiet'], { encoding: 'utf8', cwd: project });
  const baseline = resolve('scenarios/baseline.json');
  assert.is(inProject('run', baseline).status, 0);
  const plain = readFileSync(join(project, 'output', 'baseline', 'timeseries.csv'), 'utf8');
  const r = inProject('run', baseline, '--set', 'policies.benefitSharing=1');
  assert.is(r.status, 0, r.stderr);
  assert.is(readFileSync(join(project, 'output', 'baseline', 'timeseries.csv'), 'utf8'), plain, 'the unchanged run\'s outputs are as they were');
  const changed = join(project, 'output', 'baseline-policies.benefitSharing=1');
  assert.equal(JSON.parse(readFileSync(join(changed, 'manifest.json'), 'utf8')).set, ['policies.benefitSharing=1']);
  assert.is.not(readFileSync(join(changed, 'timeseries.csv'), 'utf8'), plain);
});

test('sweep --set: the design on the changed scenario, each run on its unchanged seed; a path the design varies is refused', () => {
  const experiment = writeFixture(dir, 'set-sweep-base.json', { name: 'set-sweep-base', scenario: resolve('scenarios/baseline.json'), replicates: 2, seed: 3, design: { type: 'grid', parameters: { 'policies.benefitSharing': [0, 1] } }, keep: ['integration_index'] });
  const runs = (folder: string) => readFileSync(join(folder, 'runs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const plain = join(dir, 'sweep-plain'), weak = join(dir, 'sweep-weak');
  assert.is(cli('sweep', experiment, '--out', plain, '--quiet').status, 0);
  const r = cli('sweep', experiment, '--set', 'spillover.strength=0.5', '--out', weak, '--quiet');
  assert.is(r.status, 0, r.stderr);
  assert.equal(runs(weak).map((row) => row[3]), runs(plain).map((row) => row[3]), 'the same seeds');
  assert.ok(runs(weak).some((row, k) => row.slice(5).join() !== runs(plain)[k].slice(5).join()), 'other outcomes');
  assert.equal(JSON.parse(readFileSync(join(weak, 'manifest.json'), 'utf8')).scenario.set, { 'spillover.strength': 0.5 });
  const varied = cli('sweep', experiment, '--set', 'policies.benefitSharing=0.5', '--out', join(dir, 'never-varied'));
  assert.is(varied.status, 2);
  assert.match(varied.stderr, /^spillover: --set: "policies\.benefitSharing" is a parameter .*set-sweep-base\.json's design varies; expected a number the design leaves as the scenario has it\n$/);
  assert.not.ok(existsSync(join(dir, 'never-varied')));
  const script = join(dir, 'set-sweep.sh');
  assert.is(cli('sweep', experiment, '--set', 'spillover.strength=0.5', '--emit-slurm', script, '--out', join(dir, 'set-sweep-job'), '--quiet').status, 0);
  assert.match(readFileSync(script, 'utf8'), / --set spillover\.strength=0\.5 --out /);
});

test('a reader that stops early (| head) is no failure: the work finishes, its exit code is its own, no stack trace', () => {
  // `true` exits without reading: every write to its pipe, after the first few, fails with EPIPE
  const piped = (command: string, redirect: string) => {
    const r = spawnSync('bash', ['-c', `${JSON.stringify(process.execPath)} ${BIN} ${command} ${redirect} | true; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    assert.is(r.stdout, 'status 0\n', r.stderr);
  };
  // stdout closed: the summary lines (the command exited 1 with a stack trace)
  const early = join(dir, 'stdout-closed');
  piped(`ensemble scenarios/baseline.json --runs 30 --out ${early} --workers 1`, `2>${join(dir, 'stdout-closed.err')}`);
  assert.not.match(readFileSync(join(dir, 'stdout-closed.err'), 'utf8'), /EPIPE|at /);
  assert.is(readFileSync(join(early, 'runs.csv'), 'utf8').trim().split('\n').length, 31);
  // stderr closed: the progress lines of an experiment of some seconds (it stopped part-way, no outputs written)
  const progress = join(dir, 'stderr-closed');
  piped(`ensemble scenarios/baseline.json --runs 3000 --out ${progress} --workers 1`, '2>&1 >/dev/null');
  assert.is(readFileSync(join(progress, 'runs.csv'), 'utf8').trim().split('\n').length, 3001);
  piped('validate scenarios/baseline.json', '2>/dev/null');
});

test('validate and scenarios', () => {
  const v = cli('validate', 'scenarios/deep-integration.json');
  assert.is(v.status, 0);
  assert.match(v.stdout, /^ok: scenarios\/deep-integration\.json is scenario "deep-integration"/);
  // a scenario's calibration is checked too, its data files included: a malformed target file passed, refused by calibrate only
  const h = cli('validate', 'scenarios/historical.json');
  assert.is(h.status, 0, h.stderr);
  assert.match(h.stdout, /; calibration: 2 parameters fitted to 1 target \(3 observations\), 1 check \(2 observations\)\n$/);
  const copy = join(dir, 'broken-calibration');
  for (const folder of ['scenarios', 'data']) cpSync(folder, join(copy, folder), { recursive: true });
  writeFileSync(join(copy, 'data', 'trade.csv'), readFileSync('data/trade.csv', 'utf8').replace(/^region,2018,[^,]*,/m, 'region,2018,abc,'));
  const broken = spawnSync(process.execPath, [resolve(BIN), 'validate', 'scenarios/historical.json'], { cwd: copy, encoding: 'utf8' });
  assert.is(broken.status, 2, broken.stderr);
  assert.match(broken.stderr, /^spillover: data\/trade\.csv: line \d+: year "2018", trade_usd_bn "abc"; expected a year and a number\n$/);
  // an experiment file is checked as one (it was read as a scenario: "start: missing")
  const x = cli('validate', 'experiments/benefit-sharing.json');
  assert.is(x.status, 0, x.stderr);
  assert.match(x.stdout, /^ok: experiments\/benefit-sharing\.json is experiment "benefit-sharing": 5 design points \(grid over policies\.benefitSharing\) × 20 replicates \(seeds paired across points\) = 100 runs of scenarios\/baseline\.json, keeping \d+ series × 61 steps; hash [0-9a-f]{12}\n  records: 6\.1 KB a run, 606 KB in runs\.bin; quantiles\.csv: 7,320 rows, about 696 KB\n$/);
  // with a byte order mark, as Windows editors save it (it was "malformed JSON" at line 1, column 1)
  const bom = writeFixture(dir, 'bom-experiment.json', `\ufeff${JSON.stringify({ name: 'bom', scenario: resolve('scenarios/baseline.json'), replicates: 2 })}`);
  const withBom = cli('validate', bom);
  assert.is(withBom.status, 0, withBom.stderr);
  assert.match(withBom.stdout, /^ok: .*bom-experiment\.json is experiment "bom": 1 design point \(replicates\) × 2 replicates = 2 runs/);
  // one of a thing is said in the singular (it was "1 runs", "1 array tasks")
  const one = writeFixture(dir, 'one-run.json', { name: 'one', scenario: resolve('scenarios/baseline.json'), replicates: 1, keep: [] });
  assert.match(cli('validate', one).stdout, /: 1 design point \(replicates\) × 1 replicate = 1 run of /);
  const ran = cli('sweep', one, '--out', join(dir, 'one-run'));
  assert.is(ran.status, 0, ran.stderr);
  assert.match(ran.stdout, /^one: 1 run in /);
  assert.match(cli('sweep', one, '--emit-slurm', join(dir, 'one.sbatch'), '--out', join(dir, 'one-array')).stdout, /^wrote .*one\.sbatch \(1 array task\) and /);
  assert.match(cli('merge', join(dir, 'one-run'), '--out', join(dir, 'one-merged')).stdout, /^one: merged 1 shard, 1 run, into /);
  // a scenario saved as UTF-16 (Notepad's "Unicode") said "malformed JSON" at line 1, column 1
  const utf16 = join(dir, 'utf16-scenario.json');
  writeFileSync(utf16, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(JSON.stringify({ extends: resolve('scenarios/baseline.json'), name: 'u' }), 'utf16le').swap16()]));
  const u = cli('validate', utf16);
  assert.is(u.status, 2);
  assert.match(u.stderr, /utf16-scenario\.json: is UTF-16 text \(as Windows saves "Unicode"\); expected UTF-8/);
  const bad = writeFixture(dir, 'bad-validate.json', { name: 'x', scenario: resolve('scenarios/baseline.json'), design: { type: 'grid', parameters: { 'policies.benefitSharing': [2] } } });
  const b = cli('validate', bad);
  assert.is(b.status, 2);
  assert.match(b.stderr, /design\.parameters\["policies\.benefitSharing"\]: 2 is out of range; expected a number <= 1\n$/);
  const s = cli('scenarios');
  assert.is(s.status, 0);
  for (const name of ['baseline', 'eu-global-gateway', 'severe-drought', 'kyrgyz-tajik-clash', 'pandemic', 'deep-integration'])
    assert.match(s.stdout, new RegExp(`scenarios/${name}\\.json +\\S`));
  // a user's ./scenarios with one broken file: the others are listed, the broken one reported in one line, exit 2
  const project = join(dir, 'own-scenarios');
  mkdirSync(join(project, 'scenarios'), { recursive: true });
  writeFileSync(join(project, 'scenarios', 'broken.json'), '{"name": "x"\n');
  writeFixture(join(project, 'scenarios'), 'mine.json', { extends: BASELINE, name: 'mine', description: 'My question? More words.' });
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...env } = process.env;
  const own = spawnSync(process.execPath, [resolve(BIN), 'scenarios'], { encoding: 'utf8', env, cwd: project });
  assert.is(own.status, 2);
  assert.is(own.stdout, 'scenarios/broken.json  (not a valid scenario: see below)\nscenarios/mine.json    My question?\n');
  assert.is(own.stderr, 'spillover: scenarios/broken.json: line 2, column 1: malformed JSON (close brace expected)\n');
});

test('--help shows examples on every command', () => {
  for (const args of [[], ['run'], ['validate'], ['scenarios'], ['calibrate'], ['ensemble'], ['sweep'], ['merge'], ['series'], ['report']]) {
    const r = cli(...args, '--help');
    assert.is(r.status, 0);
    assert.match(r.stdout, /Examples:/, args.join(' '));
  }
});

test('a command runs without formatting its help, which --help still shows', async () => {
  // a parser as main.ts makes one: a command with an async handler, options and examples
  const parser = (eager: boolean) => {
    const y = yargs([])
      .command('go', 'does something', (b) => b.option('far', { type: 'number', describe: 'how far' }).example('$0 go --far 3', 'goes far'), async () => {})
      .exitProcess(false)
      .wrap(100);
    return eager ? y : withoutEagerHelp(y);
  };
  // yargs as it comes formats and keeps a command's help whenever the command runs: what withoutEagerHelp spares
  const eager = parser(true);
  await eager.parseAsync(['go']);
  assert.is(usageOf(eager)?.hasCachedHelpMessage?.(), true, 'yargs no longer formats the help of every command it runs: withoutEagerHelp can go');
  const lazy = parser(false);
  await lazy.parseAsync(['go', '--far', '2']);
  assert.is(usageOf(lazy)?.hasCachedHelpMessage?.(), false);
  let shown = '';
  await parser(false).parseAsync(['go', '--help'], {}, (_e, _argv, output) => {
    shown = output;
  });
  assert.match(shown, /--far\s+how far/);
  assert.match(shown, /Examples:/);
});

test('calibrate writes calibration.json, fit.html and the fitted scenario; errors exit 2', () => {
  const out = join(dir, 'calibration');
  const fitted = join(dir, 'fitted', 'parameters.json');
  const r = cli('calibrate', 'scenarios/historical.json', '--out', out, '--write-scenario', fitted);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /calibrating 2 parameters of historical/);
  assert.match(r.stdout, /Fitted parameters\.trade\.initialTotal = [\d.]+, parameters\.trade\.gdpElasticity = [\d.]+/);
  assert.match(r.stdout, /MAPE [\d.]+%/);
  const report = JSON.parse(readFileSync(join(out, 'calibration.json'), 'utf8'));
  for (const key of ['parameters', 'objective', 'targets', 'checks', 'seed', 'wallSeconds', 'optimiser']) assert.ok(key in report, key);
  assert.is(report.checks[0].entity, 'UZB');
  assert.ok(report.targets[0].rmse > 0 && report.targets[0].mapePercent > 0);
  assert.match(readFileSync(join(out, 'fit.html'), 'utf8'), /id="fig-target-0"/);
  const scenario = JSON.parse(readFileSync(fitted, 'utf8'));
  assert.ok(scenario.extends.endsWith('scenarios/world/central-asia.json'));
  assert.type(scenario.parameters.trade.gdpElasticity, 'number');
  const missing = cli('calibrate', 'scenarios/baseline.json');
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /^spillover: scenarios\/baseline\.json: calibration: missing; expected "calibration"/);
  // a place it cannot write is reported before the fit, not after it (a folder where the scenario file should go)
  const early = cli('calibrate', 'scenarios/historical.json', '--out', join(dir, 'calibration-2'), '--write-scenario', dir);
  assert.is(early.status, 2, early.stderr);
  assert.match(early.stderr, /^spillover: cannot write ".*": illegal operation on a directory \(EISDIR, open\); expected the name of a file, not a folder\n$/);
  assert.not.ok(existsSync(join(dir, 'calibration-2')), 'nothing written');
  // a scenario written by hand is not replaced (calibrate wrote over it whole); the one it wrote is, as before
  const own = writeFixture(dir, 'own-parameters.json', { extends: resolve('scenarios/world/central-asia.json'), name: 'mine' });
  const before = readFileSync(own, 'utf8');
  const handWritten = cli('calibrate', 'scenarios/historical.json', '--out', join(dir, 'calibration-3'), '--write-scenario', own);
  assert.is(handWritten.status, 2, handWritten.stderr);
  assert.match(handWritten.stderr, /^spillover: .*own-parameters\.json: is not a file spillover wrote \(it lacks the mark of one\), and --write-scenario replaces it whole; expected a new file, or one spillover wrote \(remove it first to replace it\)\n$/);
  assert.is(readFileSync(own, 'utf8'), before);
  assert.not.ok(existsSync(join(dir, 'calibration-3')), 'refused before the fit');
  assert.is(cli('calibrate', 'scenarios/historical.json', '--out', out, '--write-scenario', fitted, '--quiet').status, 0);
});

test('run --write-state writes a scenario that starts where the run ended', () => {
  const state = join(dir, 'state', 'end.json');
  const r = cli('run', 'scenarios/historical.json', '--out', join(dir, 'hist'), '--write-state', state, '--quiet');
  assert.is(r.status, 0, r.stderr);
  const doc = JSON.parse(readFileSync(state, 'utf8'));
  assert.is(doc.start, 2025);
  assert.ok(doc.extends.endsWith('scenarios/calibrated/parameters.json'));
  assert.equal(Object.keys(doc.states).sort(), ['KAZ', 'KGZ', 'TJK', 'TKM', 'UZB']);
  const bad = cli('run', 'scenarios/world/central-asia.json', '--out', join(dir, 'w'), '--write-state', join(dir, 'x.json'));
  assert.is(bad.status, 2);
  assert.not.ok(existsSync(join(dir, 'w')), 'nothing written');
  assert.match(bad.stderr, /extends: missing; --write-state writes a scenario that extends this scenario's parent/);
  // the scenario it runs, or any written by hand, is not replaced (`--write-state scenarios/historical.json` overwrote
  // the scenario it ran); the file it wrote is, as before
  const own = writeFixture(dir, 'own-historical.json', { extends: resolve('scenarios/historical.json'), name: 'own-historical' });
  const before = readFileSync(own, 'utf8');
  const mine = cli('run', own, '--out', join(dir, 'own-hist'), '--write-state', own);
  assert.is(mine.status, 2, mine.stderr);
  assert.match(mine.stderr, /own-historical\.json: is not a file spillover wrote \(it lacks the mark of one\), and --write-state replaces it whole/);
  assert.is(readFileSync(own, 'utf8'), before);
  assert.not.ok(existsSync(join(dir, 'own-hist')), 'refused before the run');
  assert.is(cli('run', 'scenarios/historical.json', '--out', join(dir, 'hist'), '--write-state', state, '--quiet').status, 0);
});

test('a folder holding files a command did not write is refused, never replaced (run --out . deleted the working folder)', () => {
  const mine = join(dir, 'mine');
  writeFixture(mine, 'precious.txt', 'keep me');
  writeFixture(join(mine, 'sub'), 'notes.txt', 'and me');
  const r = spawnSync(process.execPath, [resolve(BIN), 'run', resolve('scenarios/baseline.json'), '--out', '.', '--quiet'], { encoding: 'utf8', cwd: mine });
  assert.is(r.status, 2, r.stderr);
  assert.is(r.stderr, 'spillover: .: holds precious.txt and sub/, which this command did not write, and writing replaces the folder whole; expected a new or empty folder, or an earlier output of this command (choose another --out)\n');
  assert.equal(readdirSync(mine).sort(), ['precious.txt', 'sub']);
  assert.is(readFileSync(join(mine, 'sub', 'notes.txt'), 'utf8'), 'and me');
  // a calibration says so before its fit, not after
  const fit = cli('calibrate', 'scenarios/historical.json', '--out', mine, '--quiet');
  assert.is(fit.status, 2, fit.stderr);
  assert.match(fit.stderr, /mine: holds precious\.txt and sub\/, which this command did not write/);
  assert.equal(readdirSync(mine).sort(), ['precious.txt', 'sub']);
  // an experiment's folder: its records are not the run's to delete
  const sweep = join(dir, 'a-sweep');
  assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '2', '--out', sweep, '--quiet').status, 0);
  const onSweep = cli('run', 'scenarios/baseline.json', '--out', sweep, '--quiet');
  assert.is(onSweep.status, 2, onSweep.stderr);
  assert.match(onSweep.stderr, /a-sweep: holds experiment\.json, quantiles\.csv, runs\.bin and 1 more, which this command did not write/);
  assert.ok(existsSync(join(sweep, 'runs.bin')));
  // an earlier output of the command is replaced, with what a file browser leaves there
  const again = join(dir, 'run-again');
  assert.is(cli('run', 'scenarios/baseline.json', '--out', again, '--quiet').status, 0);
  writeFixture(again, '.DS_Store', '');
  assert.is(cli('run', 'scenarios/baseline.json', '--out', again, '--quiet').status, 0);
  assert.equal(readdirSync(again).sort(), ['events.csv', 'manifest.json', 'plots.html', 'summary.json', 'timeseries.csv']);
  // an experiment into a folder of the user's leaves a file of the user's that it does not write
  const theirs = join(dir, 'theirs');
  writeFixture(theirs, 'points.csv', 'mine');
  assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '2', '--out', theirs, '--quiet').status, 0);
  assert.is(readFileSync(join(theirs, 'points.csv'), 'utf8'), 'mine');
});

test('an experiment, a shard, a merge or --emit-slurm given the folder of a run is refused: its manifest would describe the run no more', () => {
  const single = join(dir, 'single-run');
  assert.is(cli('run', 'scenarios/baseline.json', '--out', single, '--quiet').status, 0);
  const before = readdirSync(single).sort();
  const manifest = readFileSync(join(single, 'manifest.json'), 'utf8');
  const shards = [1, 2].map((k) => join(dir, `run-folder-shard-${k}`));
  shards.forEach((s, k) => assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '4', '--shard', `${k + 1}/2`, '--out', s, '--quiet').status, 0));
  for (const args of [
    ['ensemble', 'scenarios/baseline.json', '--runs', '4'],
    ['ensemble', 'scenarios/baseline.json', '--runs', '4', '--shard', '1/2'],
    ['sweep', 'experiments/benefit-sharing.json', '--emit-slurm', join(dir, 'run-folder.sbatch')],
    ['merge', ...shards],
  ]) {
    const r = cli(...args, '--out', single, '--quiet');
    assert.is(r.status, 2, `${args[0]}: ${r.stderr}`);
    assert.is(r.stderr, `spillover: ${single}: holds manifest.json, which "spillover run scenarios/baseline.json --out ${single} --quiet" wrote and this experiment's outputs would replace; expected a new folder, or an experiment's output folder (choose another --out)\n`);
    assert.equal(readdirSync(single).sort(), before, args[0]);
    assert.is(readFileSync(join(single, 'manifest.json'), 'utf8'), manifest);
  }
  assert.not.ok(existsSync(join(dir, 'run-folder.sbatch')));
  // a file of the user's named as one the experiment writes: refused too, where one it does not write is left (above)
  const theirs = join(dir, 'their-runs');
  writeFixture(theirs, 'runs.csv', 'mine');
  const r = cli('ensemble', 'scenarios/baseline.json', '--runs', '2', '--out', theirs, '--quiet');
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /their-runs: holds runs\.csv, which no experiment wrote and this experiment's outputs would replace/);
  assert.equal(readdirSync(theirs), ['runs.csv']);
  // an experiment's folder, another's included, is written as before, and so is one whose manifest is an experiment's
  // though its experiment.json is gone (a merge stopped between the two)
  assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '3', '--out', shards[0], '--quiet').status, 0);
  const merged = join(dir, 'manifest-alone');
  writeFixture(merged, 'manifest.json', readFileSync(join(shards[1], 'manifest.json'), 'utf8'));
  assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '3', '--out', merged, '--quiet').status, 0);
});

test('what a stopped command left writing a file or folder is removed by the next one; a running command\'s is not', () => {
  // a write is synchronous, so Ctrl-C or kill leaves its temporary (`.NAME.tmp-PID`): a series export stopped after a
  // few seconds left 283 MB, hidden
  const gone = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  const place = join(dir, 'left');
  mkdirSync(place, { recursive: true });
  writeFileSync(join(place, `.paths.csv.tmp-${gone}`), 'half an export');
  writeFileSync(join(place, `.paths.csv.tmp-${process.pid}`), 'a running command\'s');
  mkdirSync(join(place, `.run.tmp-${gone}`));
  writeFileSync(join(place, `.run.tmp-${gone}`, 'timeseries.csv'), 'half a run');
  const ensemble = join(place, 'ensemble');
  assert.is(cli('ensemble', 'scenarios/baseline.json', '--runs', '2', '--keep', 'integration_index', '--out', ensemble, '--quiet').status, 0);
  assert.is(cli('series', ensemble, '--out', join(place, 'paths.csv'), '--quiet').status, 0);
  assert.is(cli('run', 'scenarios/baseline.json', '--out', join(place, 'run'), '--quiet').status, 0);
  assert.equal(readdirSync(place).sort(), [`.paths.csv.tmp-${process.pid}`, 'ensemble', 'paths.csv', 'run']);
});

test('a folder is written whole or not at all', () => {
  const target = join(dir, 'atomic');
  writeFolder(target, { 'a.txt': 'old' });
  assert.throws(() => writeFolder(target, { 'a.txt': 'new', 'no/such/dir.txt': 'x' }), /ENOENT/);
  assert.equal(readdirSync(target), ['a.txt']);
  assert.is(readFileSync(join(target, 'a.txt'), 'utf8'), 'old');
  assert.equal(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
});

test.run();
