/**
 * `--reuse DIR`: runs an experiment shares with an earlier output folder are copied, not computed again, and the
 * outputs are byte-identical to computing every run; folders whose runs differ are refused.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempFolder, writeFixture } from './fixtures.js';

const dir = tempFolder();
const BIN = 'dist/cli/spillover.js';
const BASELINE = resolve('scenarios/baseline.json');

/** The command, the main thread computing whenever there is more than one thread (as in experiment.test.ts). */
function cli(...args: string[]) {
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...env }: NodeJS.ProcessEnv = { ...process.env, SPILLOVER_MAIN_COMPUTES_FROM: '0' };
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
}
const ok = (...args: string[]) => {
  const r = cli(...args);
  assert.is(r.status, 0, r.stderr);
  return r;
};
const read = (folder: string, file: string) => readFileSync(join(folder, file), 'utf8');
const manifest = (folder: string) => JSON.parse(read(folder, 'manifest.json'));
const same = (a: string, b: string, files = ['runs.csv', 'quantiles.csv']) => files.forEach((f) => assert.is(read(a, f), read(b, f), f));

function grid(name: string, values: number[], replicates: number, seed = 7, keep = ['cooperation.customs', 'balassa_stage']): string {
  return writeFixture(dir, `${name}.json`, { name, scenario: BASELINE, replicates, seed, design: { type: 'grid', parameters: { 'policies.benefitSharing': values } }, keep });
}

test('an ensemble of more runs reuses the runs of a smaller one, and equals one computed whole', () => {
  const small = join(dir, 'e50'), grown = join(dir, 'e120'), whole = join(dir, 'e120-whole');
  ok('ensemble', BASELINE, '--runs', '50', '--out', small, '--workers', '1', '--quiet');
  const r = ok('ensemble', BASELINE, '--runs', '120', '--out', grown, '--reuse', small, '--workers', '2');
  assert.match(r.stdout, /: 70 runs in .*, 50 reused from /);
  ok('ensemble', BASELINE, '--runs', '120', '--out', whole, '--workers', '1', '--quiet');
  same(grown, whole); // beyond 64 runs: histograms counted from copied and computed records alike
  const m = manifest(grown);
  assert.is(m.reused, 50);
  assert.is(m.ranNow, 70);
  assert.is(m.resumedFrom, 0);
  assert.equal(m.reusedFrom, [{ folder: small, runs: 50 }]);
  assert.is(manifest(whole).reused, 0);
});

test('a sweep with more design points and replicates reuses the runs it shares, from one folder or several', () => {
  const two = join(dir, 'g-two'), more = join(dir, 'g-more'), whole = join(dir, 'g-whole'), half = join(dir, 'g-half');
  ok('sweep', grid('two', [0, 1], 3), '--out', two, '--workers', '1', '--quiet');
  ok('sweep', grid('half', [0.5], 2), '--out', half, '--workers', '1', '--quiet');
  // the points in another order, one new: runs go by their point's values and replicate, not by run id
  const bigger = grid('more', [1, 0.25, 0.5, 0], 5);
  ok('sweep', bigger, '--out', more, '--reuse', two, '--reuse', half, '--workers', '2', '--quiet');
  ok('sweep', bigger, '--out', whole, '--workers', '1', '--quiet');
  same(more, whole, ['runs.csv', 'quantiles.csv', 'points.csv']);
  assert.is(manifest(more).reused, 2 * 3 + 2);
  assert.equal(manifest(more).reusedFrom, [{ folder: two, runs: 6 }, { folder: half, runs: 2 }]);
  // validate says as much beforehand, to size an array job
  const v = cli('validate', bigger, '--reuse', two, '--reuse', half);
  assert.is(v.status, 0, v.stderr);
  assert.match(v.stdout, `\n  6 of its runs are in ${two}\n  2 of its runs are in ${half}\n  12 to run with --reuse ${two} --reuse ${half}\n`);
  const refused = cli('validate', bigger, '--reuse', two, '--reuse', dir);
  assert.is(refused.status, 2);
  assert.is(refused.stdout, '', 'no ok line before a folder refused');
  assert.is(manifest(more).ranNow, 4 * 5 - 8);
  // the runs copied are sealed under their new run ids (other ids than they had): a resume keeps them all
  ok('sweep', bigger, '--out', more, '--resume', '--workers', '1', '--quiet');
  assert.equal([manifest(more).resumedFrom, manifest(more).ranNow], [20, 0]);
  same(more, whole, ['runs.csv', 'quantiles.csv', 'points.csv']);
});

test('an experiment keeping fewer variables, or none, reuses runs that kept more, cut down to its own', () => {
  const full = join(dir, 'k-full');
  ok('ensemble', BASELINE, '--runs', '30', '--out', full, '--workers', '1', '--quiet');
  for (const keep of ['trade_usd,balassa_stage', 'balassa_stage,cooperation.water', '']) {
    const grown = join(dir, `k-grown-${keep}`), whole = join(dir, `k-whole-${keep}`);
    ok('ensemble', BASELINE, '--runs', '80', '--keep', keep, '--out', grown, '--reuse', full, '--workers', '2', '--quiet');
    ok('ensemble', BASELINE, '--runs', '80', '--keep', keep, '--out', whole, '--workers', '1', '--quiet');
    same(grown, whole);
    assert.is(manifest(grown).reused, 30, keep);
    // the records too, byte for byte: a later --resume or merge reads them
    assert.ok(readFileSync(join(grown, 'runs.bin')).equals(readFileSync(join(whole, 'runs.bin'))), `runs.bin keeping "${keep}"`);
  }
});

test('only sealed runs are reused: a torn or missing record is computed again; a shard gives its own runs', () => {
  const source = join(dir, 'torn'), grown = join(dir, 'torn-grown'), whole = join(dir, 'torn-whole');
  ok('ensemble', BASELINE, '--runs', '20', '--out', source, '--workers', '1', '--quiet');
  // run 3's record torn (a byte of its values changed), runs 10-19 never written
  const bin = join(source, 'runs.bin');
  const bytes = readFileSync(bin);
  const size = JSON.parse(bytes.subarray(0, 4096).toString().trim()).recordBytes as number;
  bytes[4096 + 3 * size + 100] ^= 0xff;
  bytes.fill(0, 4096 + 10 * size);
  writeFileSync(bin, bytes);
  ok('ensemble', BASELINE, '--runs', '30', '--out', grown, '--reuse', source, '--workers', '1', '--quiet');
  ok('ensemble', BASELINE, '--runs', '30', '--out', whole, '--workers', '1', '--quiet');
  same(grown, whole);
  assert.is(manifest(grown).reused, 9);
  // a shard of an ensemble holds runs 10-19 only
  const shard = join(dir, 'shard-2'), fromShard = join(dir, 'from-shard');
  ok('ensemble', BASELINE, '--runs', '30', '--out', shard, '--shard', '2/3', '--workers', '1', '--quiet');
  ok('ensemble', BASELINE, '--runs', '30', '--out', fromShard, '--reuse', shard, '--workers', '1', '--quiet');
  same(fromShard, whole);
  assert.is(manifest(fromShard).reused, 10);
  // a merged folder holds no records: its shards' folders, which its manifest names, give them
  const others = [1, 3].map((i) => join(dir, `shard-${i}`));
  others.forEach((f, k) => ok('ensemble', BASELINE, '--runs', '30', '--out', f, '--shard', `${2 * k + 1}/3`, '--workers', '1', '--quiet'));
  const merged = join(dir, 'merged'), fromMerged = join(dir, 'from-merged');
  ok('merge', others[0], shard, others[1], '--out', merged);
  ok('ensemble', BASELINE, '--runs', '30', '--out', fromMerged, '--reuse', merged, '--workers', '1', '--quiet');
  same(fromMerged, whole);
  assert.is(manifest(fromMerged).reused, 30);
  assert.equal(manifest(fromMerged).reusedFrom.map((r: { folder: string }) => r.folder), [others[0], shard, others[1]]);
  // a shard named beside its merge's folder, or a folder named twice, gives its runs once and is listed once
  const twice = join(dir, 'from-merged-twice');
  const t = ok('ensemble', BASELINE, '--runs', '30', '--out', twice, '--reuse', merged, '--reuse', shard, '--reuse', others[0], '--workers', '1');
  same(twice, whole);
  assert.equal(manifest(twice).reusedFrom, [{ folder: others[0], runs: 10 }, { folder: shard, runs: 10 }, { folder: others[1], runs: 10 }]);
  assert.match(t.stdout, `30 reused from ${others[0]}, ${shard}, ${others[1]}\n`);
  // validate counts its runs through the shards, and names the folder as given
  const experiment = writeFixture(dir, 'thirty.json', { name: 'thirty', scenario: BASELINE, replicates: 30, seed: manifest(whole).experiment.seed, keep: manifest(whole).experiment.keep });
  const v = cli('validate', experiment, '--reuse', shard, '--reuse', merged);
  assert.is(v.status, 0, v.stderr);
  assert.match(v.stdout, `\n  10 of its runs are in ${shard}\n  20 of its runs are in ${merged}\n  0 to run with --reuse ${shard} --reuse ${merged}\n`);
  // --emit-slurm checks the shards' folders and passes them on in the merge's place
  const script = join(dir, 'from-merged.sbatch');
  ok('ensemble', BASELINE, '--runs', '30', '--emit-slurm', script, '--out', join(dir, 'from-merged-slurm'), '--reuse', merged, '--quiet');
  assert.match(readFileSync(script, 'utf8'), ` --reuse ${others[0]} --reuse ${shard} --reuse ${others[1]} `);
  // unless a shard is gone: the refusal names it
  renameSync(shard, `${shard}-away`);
  const r = cli('ensemble', BASELINE, '--runs', '30', '--out', join(dir, 'from-merged-2'), '--reuse', merged, '--quiet');
  renameSync(`${shard}-away`, shard);
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, `merged: was merged from shards and holds no records, and the folders of its shards ${shard} were not found from here; expected the shards' folders, each after its own --reuse`);
});

test('a folder that gives no run is noted on stderr: a Latin hypercube of another size places every point anew', () => {
  const lhs = (name: string, samples: number) => writeFixture(dir, `${name}.json`, { name, scenario: BASELINE, replicates: 2, seed: 7, design: { type: 'lhs', samples, parameters: { 'policies.benefitSharing': [0, 1] } }, keep: ['balassa_stage'] });
  const four = join(dir, 'lhs-4');
  ok('sweep', lhs('lhs-4', 4), '--out', four, '--workers', '1', '--quiet');
  const r = ok('sweep', lhs('lhs-6', 6), '--out', join(dir, 'lhs-6'), '--reuse', four, '--workers', '1');
  assert.match(r.stderr, `note: no run of ${four} was reused: none of its finished runs has the design values and replicate of one of this experiment's (a Latin hypercube of another size places every point anew)\n`);
  assert.equal(manifest(join(dir, 'lhs-6')).reusedFrom, [{ folder: four, runs: 0 }]);
  assert.is(cli('sweep', lhs('lhs-6', 6), '--out', join(dir, 'lhs-6q'), '--reuse', four, '--quiet').stderr, '', 'nothing with --quiet');
  // to grow a hypercube: its points.csv, rows added, as a design file (its `point` column ignored)
  writeFileSync(join(dir, 'grown.csv'), `${read(four, 'points.csv')}4,0.123\n,0.9\n`);
  const grown = writeFixture(dir, 'grown.json', { name: 'grown', scenario: BASELINE, replicates: 2, seed: 7, design: { type: 'csv', file: 'grown.csv' }, keep: ['balassa_stage'] });
  const out = join(dir, 'grown'), whole = join(dir, 'grown-whole');
  ok('sweep', grown, '--out', out, '--reuse', four, '--workers', '1', '--quiet');
  ok('sweep', grown, '--out', whole, '--workers', '1', '--quiet');
  same(out, whole, ['runs.csv', 'quantiles.csv', 'points.csv']);
  assert.is(manifest(out).reused, 8);
  // the first four points and their runs are the hypercube's
  const rows = (folder: string) => read(folder, 'runs.csv').trim().split('\n').slice(1, 9).map((l) => l.split(',').slice(3).join(','));
  assert.equal(rows(out), rows(four));
});

test('with --resume, the runs kept are counted apart from those reused; the same outputs', () => {
  const source = join(dir, 'r-source'), out = join(dir, 'r-out'), whole = join(dir, 'r-whole');
  ok('ensemble', BASELINE, '--runs', '10', '--out', source, '--workers', '1', '--quiet');
  ok('ensemble', BASELINE, '--runs', '40', '--out', out, '--workers', '1', '--quiet');
  // the first 25 runs kept, as a crash leaves them
  const bin = join(out, 'runs.bin');
  const bytes = readFileSync(bin);
  bytes.fill(0, 4096 + 25 * (JSON.parse(bytes.subarray(0, 4096).toString().trim()).recordBytes as number));
  writeFileSync(bin, bytes);
  ok('ensemble', BASELINE, '--runs', '40', '--out', out, '--resume', '--reuse', source, '--workers', '1', '--quiet');
  ok('ensemble', BASELINE, '--runs', '40', '--out', whole, '--workers', '1', '--quiet');
  same(out, whole);
  const m = manifest(out);
  assert.equal([m.resumedFrom, m.reused, m.ranNow], [25, 0, 15], 'the runs reusable were all kept');
});

test('a folder whose runs differ is refused, one line, exit 2, nothing written', () => {
  const source = join(dir, 'x-source');
  ok('sweep', grid('x', [0, 1], 2), '--out', source, '--workers', '1', '--quiet');
  const refused = (experiment: string, reuse: string, pattern: RegExp, out = join(dir, 'x-never')) => {
    const r = cli('sweep', experiment, '--out', out, '--reuse', reuse, '--quiet');
    assert.is(r.status, 2, r.stderr);
    assert.match(r.stderr, pattern);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.not.ok(existsSync(join(dir, 'x-never')), 'nothing written');
  };
  refused(grid('x-seed', [0, 1], 2, 9), source, /x-source: holds runs of base seed 7, not 9; expected runs of the same model version, scenario and base seed as this experiment, keeping its variables or more/);
  refused(grid('x-keep', [0, 1], 2, 7, ['trade_usd']), source, /x-source: holds runs of other kept variables \(not region trade_usd\);/);
  refused(grid('x-same', [0, 1], 3), source, /x-source: is the output folder; expected an earlier output folder to reuse runs from, other than --out/, source);
  // without --quiet too, the refusal is the one line: the note that the folder's outputs, another experiment's, would be
  // replaced came first
  const loud = cli('sweep', grid('x-same', [0, 1], 3), '--out', source, '--reuse', source);
  assert.is(loud.status, 2, loud.stderr);
  assert.match(loud.stderr, /^spillover: .*x-source: is the output folder;[^\n]*\n$/);
  refused(grid('x-none', [0, 1], 3), dir, /: has no experiment\.json; expected the output folder of an earlier sweep or ensemble/);
  // another scenario: the same design on a scenario that differs in one number
  const other = writeFixture(dir, 'other-scenario.json', { extends: BASELINE, name: 'other', policies: { disputeResolution: 0.9 } });
  const onOther = writeFixture(dir, 'x-other.json', { name: 'x-other', scenario: other, replicates: 2, seed: 7, design: { type: 'grid', parameters: { 'policies.benefitSharing': [0, 1] } }, keep: ['cooperation.customs', 'balassa_stage'] });
  refused(onOther, source, /x-source: holds runs of another scenario \(SHA-256 [0-9a-f]{12}, not [0-9a-f]{12}\);/);
  // a folder made before experiment.json said which model and scenario made its runs
  const old = join(dir, 'x-old');
  ok('sweep', grid('x-old', [0, 1], 2), '--out', old, '--workers', '1', '--quiet');
  const meta = JSON.parse(read(old, 'experiment.json'));
  delete meta.modelVersion;
  delete meta.scenarioSha256;
  writeFileSync(join(old, 'experiment.json'), JSON.stringify(meta));
  refused(grid('x-three', [0, 1], 3), old, /x-old: holds runs of an earlier version of spillover, whose experiment\.json does not say which model and scenario made them;/);
});

test('shards of a grown experiment share out the runs left to compute, resume as themselves, and merge to the whole', () => {
  const source = join(dir, 'g30'), whole = join(dir, 'g60-whole');
  ok('ensemble', BASELINE, '--runs', '30', '--out', source, '--workers', '1', '--quiet');
  ok('ensemble', BASELINE, '--runs', '60', '--out', whole, '--workers', '1', '--quiet');
  // runs 0-29 copied, 30-59 computed: blocks of equal runs gave the first shard nothing to compute, the last 20 runs
  const shards = [1, 2, 3].map((i) => join(dir, `g60-shard-${i}`));
  const results = shards.map((f, k) => ok('ensemble', BASELINE, '--runs', '60', '--out', f, '--shard', `${k + 1}/3`, '--reuse', source, '--workers', '1'));
  const lines = results.map((r) => r.stdout);
  // the folder gives none to shards 2 and 3, its runs all in shard 1's block: no note that it has none of the experiment's
  results.forEach((r) => assert.not.match(r.stderr, /note: no run/));
  assert.match(lines[0], /: 5 runs in .*, 30 reused from /);
  assert.match(lines[1], /: 12 runs in .*, 0 reused from /);
  assert.match(lines[2], /: 13 runs in .*, 0 reused from /);
  // a shard given the same folders again is the same block (it was refused as another shard's store)
  const again = ok('ensemble', BASELINE, '--runs', '60', '--out', shards[1], '--shard', '2/3', '--reuse', source, '--workers', '1', '--resume');
  assert.match(again.stdout, /: 0 runs in .*, 12 kept from before/);
  assert.not.match(again.stderr, /note: no run/);
  // without them it is another block, and the refusal says what to give
  const without = cli('ensemble', BASELINE, '--runs', '60', '--out', shards[1], '--shard', '2/3', '--workers', '1', '--resume');
  assert.is(without.status, 2);
  assert.match(without.stderr, /g60-shard-2\/runs\.bin: was made by another shard \(runs 35-46\); expected runs 20-39 of experiment [0-9a-f]{12} \(give the --reuse folders it began with, remove the folder, or run without --resume\)\n$/);
  const merged = join(dir, 'g60-merged');
  ok('merge', ...shards, '--out', merged, '--quiet');
  same(merged, whole);
});

test('--emit-slurm passes --reuse on to every array task, checks its folders, and sizes the array by the work left', () => {
  const source = join(dir, 's-source');
  ok('sweep', grid('s', [0], 2), '--out', source, '--workers', '1', '--quiet');
  const script = join(dir, 'reuse.sbatch');
  ok('sweep', grid('s-more', [0, 1], 2), '--emit-slurm', script, '--out', join(dir, 's-out'), '--reuse', source, '--quiet');
  assert.match(readFileSync(script, 'utf8'), ` --reuse ${source} --out `);
  // a task for every 1,000 runs' work: 4,000 runs, 2,000 of them copied (a quarter each), make 3 tasks, not 4
  const e2000 = join(dir, 'e2000'), array = join(dir, 'grown.sbatch');
  ok('ensemble', BASELINE, '--runs', '2000', '--keep', '', '--out', e2000, '--workers', '1', '--quiet');
  ok('ensemble', BASELINE, '--runs', '4000', '--keep', '', '--emit-slurm', array, '--out', join(dir, 'grown'), '--reuse', e2000, '--quiet');
  assert.match(readFileSync(array, 'utf8'), /^#SBATCH --array=1-3$/m);
  ok('ensemble', BASELINE, '--runs', '4000', '--keep', '', '--emit-slurm', array, '--out', join(dir, 'grown'), '--quiet');
  assert.match(readFileSync(array, 'utf8'), /^#SBATCH --array=1-4$/m);
  // a folder that cannot be reused is refused here, not by every task on the cluster; no script is written
  const refused = join(dir, 'refused.sbatch');
  const r = cli('ensemble', BASELINE, '--runs', '4000', '--emit-slurm', refused, '--out', join(dir, 'grown'), '--reuse', join(dir, 'no-such-folder'), '--quiet');
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /no-such-folder: has no experiment\.json; expected the output folder of an earlier sweep or ensemble\n$/);
  assert.not.ok(existsSync(refused));
});

test.run();
