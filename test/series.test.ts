/**
 * `spillover series`: every run's kept series as tidy CSV, read back from run stores, the same from one folder or from
 * its shards, and each value the run's own.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostname } from 'node:os';
import { formatFloat32 } from '../src/collect/format.js';
import { series } from '../src/engine/simulate.js';
import { load, run } from './helpers.js';
import { tempFolder, writeFixture } from './fixtures.js';
import { openShards } from '../src/experiment/shards.js';
import { seriesBytes } from '../src/experiment/series-export.js';
import { seriesSizeNote } from '../src/cli/commands/series.js';

const dir = tempFolder();
const BASELINE = resolve('scenarios/baseline.json');

function cli(...args: string[]) {
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...env } = process.env;
  return spawnSync(process.execPath, ['dist/cli/spillover.js', ...args], { encoding: 'utf8', env });
}
/** The size the note before an export gives is within 3% of what was written. */
function assertSizeEstimated(folder: string, file: string) {
  const { meta, shards, close } = openShards([folder]);
  const estimate = seriesBytes(meta, shards, meta.cells.map((_, k) => k), 0, meta.runs);
  close();
  const written = readFileSync(file).length - lines(file)[0].length - 1;
  assert.ok(Math.abs(estimate / written - 1) < 0.03, `${estimate} estimated, ${written} written`);
}
const lines = (file: string) => readFileSync(file, 'utf8').trimEnd().split('\n');
const whole = join(dir, 'whole');
const ensemble = (out: string, ...more: string[]) => cli('ensemble', BASELINE, '--runs', '6', '--keep', 'integration_index,cooperation.*', '--out', out, '--quiet', ...more);

test("an ensemble's series: a row a run, step and kept cell, each value the run's own", async () => {
  assert.is(ensemble(whole).status, 0);
  const out = join(dir, 'whole.csv');
  const r = cli('series', whole, '--out', out);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^baseline-ensemble: wrote .*whole\.csv: 6 runs, 6954 rows, \d+ KB\n$/);
  const rows = lines(out);
  assert.is(rows[0], 'run,seed,step,time,entity,variable,value');
  assertSizeEstimated(whole, out);
  // 6 runs x 61 steps x 19 cells (the region's and five states' three sectors, the region's integration index)
  assert.is(rows.length - 1, 6 * 61 * 19);
  // every row carries its run's seed, runs.csv's
  const seedOf = new Map(lines(join(whole, 'runs.csv')).slice(1).map((l) => [l.split(',')[0], l.split(',')[3]]));
  for (const row of rows.slice(1)) assert.is(row.split(',')[1], seedOf.get(row.split(',')[0]), row);
  // run 4 again, from the seed its rows carry: every row of it is its value, as a Float32 to seven digits
  const ofRun = rows.slice(1).map((l) => l.split(',')).filter((f) => f[0] === '4');
  const again = run(await load(BASELINE), Number(ofRun[0][1]));
  assert.is(ofRun.length, 61 * 19);
  for (const [, , step, time, entity, variable, value] of ofRun) {
    assert.is(Number(time), again.times[Number(step)]);
    assert.is(value, formatFloat32(Math.fround(series(again, entity, variable)![Number(step)])), `${step} ${entity} ${variable}`);
  }
  // in the order of quantiles.csv within a run: step by step, cell by cell
  const quantileKeys = lines(join(whole, 'quantiles.csv')).slice(1).map((l) => l.split(',').slice(0, 4).join(','));
  assert.equal(ofRun.map((f) => f.slice(2, 6).join(',')), quantileKeys);
  // --keep chooses among the kept variables, --ids the runs
  const some = join(dir, 'some.csv');
  assert.is(cli('series', whole, '--keep', 'integration_index', '--ids', '2-3', '--out', some, '--quiet').status, 0);
  const chosen = lines(some).slice(1);
  assert.is(chosen.length, 2 * 61);
  assert.equal([...new Set(chosen.map((l) => l.split(',')[0]))], ['2', '3']);
  assert.ok(chosen.every((l) => l.includes(',region,integration_index,')));
});

test('--out - writes the export to standard output, its closing line to stderr; a reader that stops early ends it quietly', () => {
  const file = join(dir, 'whole.csv'); // the first test's
  const r = cli('series', whole, '--out', '-');
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, readFileSync(file, 'utf8'));
  assert.match(r.stderr, /^baseline-ensemble: wrote standard output: 6 runs, 6954 rows, \d+ KB\n$/);
  assert.not.ok(existsSync('-'), 'no file named "-"');
  // a pipe read slowly, and one its reader closes after 100 bytes (`| head`): the whole, then nothing more, exit 0
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...env } = process.env;
  const command = `${JSON.stringify(process.execPath)} dist/cli/spillover.js series ${JSON.stringify(whole)} --out - --quiet`;
  const slow = spawnSync('bash', ['-c', `set -o pipefail; ${command} | (sleep 1; cat)`], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  assert.is(slow.status, 0, slow.stderr);
  assert.is(slow.stdout, readFileSync(file, 'utf8'));
  const head = spawnSync('bash', ['-c', `set -o pipefail; ${command.replace(' --quiet', '')} | head -c 100`], { encoding: 'utf8', env });
  assert.is(head.status, 0, head.stderr);
  assert.is(head.stdout, readFileSync(file, 'utf8').slice(0, 100));
  assert.is(head.stderr, '');
  // where a command writes a folder or a file of its own, "-" is refused, not read as an argument
  const run = cli('run', BASELINE, '--out', '-');
  assert.is(run.status, 2);
  assert.is(run.stderr, 'spillover: --out: "-" is standard output, where only series writes (--out -); expected a path (a folder)\n');
});

test("a sweep's series carry the design point, replicate and seed of runs.csv, seeds paired or not", () => {
  for (const paired of [false, true]) {
    const name = paired ? 'grid-paired' : 'grid';
    const file = writeFixture(dir, `${name}.json`, { name, scenario: BASELINE, design: { type: 'grid', parameters: { 'policies.benefitSharing': [0, 1] } }, replicates: 3, seed: 5, pairedSeeds: paired, keep: ['balassa_stage'] });
    const swept = join(dir, name);
    assert.is(cli('sweep', file, '--out', swept, '--quiet').status, 0);
    const out = join(dir, `${name}.csv`);
    assert.is(cli('series', swept, '--out', out, '--quiet').status, 0);
    const rows = lines(out);
    assert.is(rows[0], 'run,point,replicate,seed,step,time,entity,variable,value');
    assertSizeEstimated(swept, out);
    const byRun = new Map(lines(join(swept, 'runs.csv')).slice(1).map((l) => [l.split(',')[0], l.split(',').slice(1, 4).join(',')]));
    assert.is(rows.length - 1, 6 * 61);
    for (const row of rows.slice(1)) {
      const f = row.split(',');
      assert.is(`${f[1]},${f[2]},${f[3]}`, byRun.get(f[0]), row);
    }
    // paired, point 1's replicates run on point 0's seeds; unpaired, on their own
    const seedOf = (run: string) => byRun.get(run)!.split(',')[2];
    assert.is(seedOf('0') === seedOf('3'), paired, name);
  }
});

test("shards' folders, in any order, give the whole's series; a run missing or unfinished is refused, nothing written", () => {
  const shards = [1, 2, 3].map((i) => join(dir, `shard-${i}`));
  shards.forEach((s, k) => assert.is(ensemble(s, '--shard', `${k + 1}/3`).status, 0));
  const out = join(dir, 'shards.csv');
  assert.is(cli('series', shards[2], shards[0], shards[1], '--out', out, '--quiet').status, 0);
  assert.is(readFileSync(out, 'utf8'), readFileSync(join(dir, 'whole.csv'), 'utf8'));
  // a merge's folder holds outputs, not records: they are read from the shards' folders its manifest names
  const merged = join(dir, 'merged');
  assert.is(cli('merge', ...shards, '--out', merged, '--quiet').status, 0);
  const viaMerge = join(dir, 'via-merge.csv');
  assert.is(cli('series', merged, '--out', viaMerge, '--quiet').status, 0);
  assert.is(readFileSync(viaMerge, 'utf8'), readFileSync(join(dir, 'whole.csv'), 'utf8'));
  // merged again from the merge's folder: the new manifest names the shards, where the records are
  const remerged = join(dir, 'remerged');
  assert.match(cli('merge', merged, '--out', remerged).stdout, /: merged 3 shards, 6 runs, into /);
  assert.is(JSON.parse(readFileSync(join(remerged, 'manifest.json'), 'utf8')).mergedFrom.length, 3);
  assert.is(cli('series', remerged, '--out', viaMerge, '--quiet').status, 0);
  assert.is(readFileSync(viaMerge, 'utf8'), readFileSync(join(dir, 'whole.csv'), 'utf8'));
  // a shard gone: the refusal says which
  renameSync(shards[1], `${shards[1]}-away`);
  const fromMerge = cli('series', merged, '--out', join(dir, 'never.csv'));
  renameSync(`${shards[1]}-away`, shards[1]);
  assert.is(fromMerge.status, 2);
  assert.match(fromMerge.stderr, /merged\/runs\.bin: is missing or not a run store; expected the records of a shard \(a merge's folder, whose runs are in the folders of the shards it was merged from; not found from here: ".*shard-2"\)\n$/);
  // one shard alone gives its own runs; runs asked of a shard not given are refused
  const middle = join(dir, 'middle.csv');
  assert.is(cli('series', shards[1], '--out', middle, '--quiet').status, 0);
  assert.equal([...new Set(lines(middle).slice(1).map((l) => l.split(',')[0]))], ['2', '3']);
  // and says so, unless --ids asked for them: a merge written into a shard's folder holds the whole runs.csv beside one shard's records
  assert.match(cli('series', shards[1], '--out', middle).stderr, /^note: the folder given holds runs 2-3 of the experiment's 6; the others are in its other shards' folders \(give them too, or the folder they were merged into\)\n/);
  assert.match(cli('series', shards[0], shards[1], '--out', middle).stderr, /^note: the 2 folders given hold runs 0-3 of the experiment's 6;/);
  assert.is(cli('series', shards[1], '--ids', '2-3', '--out', middle).stderr, '');
  assert.is(cli('series', ...shards, '--out', middle).stderr, '');
  const gap = join(dir, 'gap.csv');
  const r = cli('series', shards[0], shards[2], '--ids', '0-5', '--out', gap);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /^spillover: runs 2-3: are in no folder given; expected the folders of every shard that holds a run exported\n$/);
  assert.not.ok(existsSync(gap));
  // a run not finished (its record torn, as a crash leaves it)
  const bin = join(shards[1], 'runs.bin');
  const bytes = readFileSync(bin);
  const recordBytes = JSON.parse(bytes.subarray(0, 4096).toString().trim()).recordBytes;
  bytes.fill(0, 4096 + recordBytes + 8, 4096 + recordBytes + 16);
  writeFileSync(bin, bytes);
  const torn = cli('series', ...shards, '--out', gap);
  assert.is(torn.status, 2, torn.stderr);
  assert.match(torn.stderr, /^spillover: .*shard-2: run 3 is not finished; expected finished runs \(the command that made the folder carries on with --resume\)\n$/);
  // unless the command writing it still holds its folder
  const sleeper = spawn('sleep', ['60']);
  writeFileSync(join(shards[1], '.lock'), `${JSON.stringify({ pid: sleeper.pid, host: hostname(), started: Date.now(), command: 'spillover ensemble' })}\n`);
  const running = cli('series', ...shards, '--out', gap);
  sleeper.kill();
  rmSync(join(shards[1], '.lock'));
  assert.match(running.stderr, /shard-2: run 3 is not finished; the command writing the folder is still running \(process \d+ on this host, since .*: spillover ensemble\); expected finished runs: wait for it to end\n$/);
  assert.not.ok(existsSync(gap), 'nothing written');
  assert.equal(readdirSync(dir).filter((f) => f.includes('.tmp')), [], 'no temporary file left');
  // a shard of no runs (more shards than runs) gives the header alone
  const none = join(dir, 'no-runs');
  assert.is(cli('ensemble', BASELINE, '--runs', '1', '--shard', '1/2', '--out', none, '--quiet').status, 0);
  const r0 = cli('series', none, '--out', join(dir, 'no-runs.csv'));
  assert.is(r0.status, 0, r0.stderr);
  assert.equal(lines(join(dir, 'no-runs.csv')), ['run,seed,step,time,entity,variable,value']);
});

test('an export of 100 MB or more is announced with its size, and the free space where it goes when that is less', () => {
  assert.is(seriesSizeNote(2_000_000, 99e6, 0, 'out'), undefined);
  assert.is(seriesSizeNote(22_000_000, 1.1e9, 5e9, 'out'), 'note: writing 22000000 rows, about 1.1 GB; --keep and --ids choose fewer');
  assert.is(seriesSizeNote(22_000_000, 1.1e9, 4e8, 'out'), 'note: writing 22000000 rows, about 1.1 GB, and out has 400 MB free (a full disk stops it, leaving nothing); --keep and --ids choose fewer');
});

test('bad series options: one line, exit 2', () => {
  for (const [args, message] of [
    [['--keep', 'trade_usd'], /^spillover: --keep: "trade_usd" is not a variable this experiment kept; expected one of "cooperation\.transport", "cooperation\.customs", "cooperation\.water", "integration_index"\n$/],
    [['--ids', '4-2'], /^spillover: --ids: "4-2" is not a range of this experiment's runs; expected FROM-TO or one run id, from 0 to 5\n$/],
    [['--ids', '6'], /^spillover: --ids: "6" is not a range/],
  ] as const) {
    const r = cli('series', whole, ...args, '--out', join(dir, 'never.csv'));
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
  }
  // written over a file of the folder it reads (--out DIR/runs.bin replaced the records with the CSV), however named
  const records = readFileSync(join(whole, 'runs.bin'));
  for (const name of ['runs.bin', 'runs.csv', 'experiment.json']) {
    const r = cli('series', whole, '--out', join(dir, 'whole', '..', 'whole', name));
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`^spillover: --out: ".*whole/${name.replace('.', '\\.')}" is the ${name.replace('.', '\\.')} of .*whole, which this export reads; expected a file outside the experiment's own\n$`));
  }
  assert.ok(readFileSync(join(whole, 'runs.bin')).equals(records), 'the records as they were');
  // an experiment that kept nothing has no paths (an empty file was written, the header alone)
  const keptNone = join(dir, 'kept-none');
  assert.is(cli('ensemble', BASELINE, '--runs', '2', '--keep', '', '--out', keptNone, '--quiet').status, 0);
  const empty = cli('series', keptNone, '--out', join(dir, 'never.csv'));
  assert.is(empty.status, 2);
  assert.match(empty.stderr, /^spillover: .*kept-none: keeps no series \(its experiment's "keep" is empty\), so its runs have no path to write; expected the folder of an experiment that keeps variables \(each run's outcomes are in runs\.csv\)\n$/);
  const none = cli('series', join(dir, 'nothing-here'), '--out', join(dir, 'never.csv'));
  assert.match(none.stderr, /nothing-here: does not exist; expected the output folder of a sweep or an ensemble, or of a shard of one \(a shard whose task has not run yet\?\)\n$/);
  mkdirSync(join(dir, 'nothing-in-it'));
  const empty2 = cli('series', join(dir, 'nothing-in-it'), '--out', join(dir, 'never.csv'));
  assert.match(empty2.stderr, /nothing-in-it: has no experiment\.json; expected the output folder of a sweep or an ensemble, or of a shard of one\n$/);
  assert.not.ok(existsSync(join(dir, 'never.csv')));
  // a folder where the file should go, before the rows are written
  const folder = cli('series', whole, '--out', dir);
  assert.is(folder.status, 2);
  assert.match(folder.stderr, /^spillover: cannot write ".*": illegal operation on a directory \(EISDIR, open\); expected the name of a file, not a folder\n$/);
});

test.run();
