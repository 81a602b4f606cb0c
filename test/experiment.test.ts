/**
 * Experiments at scale: keyed seeds, worker-count independence, shards and merge, resume after a kill, one row
 * per design point and replicate, and bad experiment files.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism, hostname } from 'node:os';
import { cgroupCpuLimit, slurmCpuLimit, usableCores } from '../src/experiment/cores.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { designKey, gridPoints, lhsHighest, lhsPoints, packPoints, pointAt, pointKey, repeatedPoint, type DesignPoint, type DesignPoints } from '../src/experiment/design.js';
import { binEdges, binningFor, binOf, floatBits, SIGNED } from '../src/experiment/binning.js';
import { Histograms, SharedPages, type HistogramPages } from '../src/experiment/histograms.js';
import { Stager } from '../src/experiment/stager.js';
import { BLOCK, SeriesStats } from '../src/experiment/series-stats.js';
import { hazenQuantile } from '../src/collect/hazen.js';
import { progressReporter, quantilesNote, resolveShard, spaceNote } from '../src/cli/experiment-options.js';
import { durationShown } from '../src/cli/shown.js';
import { runSeed, RunSeeds, shardRange } from '../src/experiment/seeds.js';
import { batchRunsFor, mergeShards, planBatches, queuedRuns, runExperiment } from '../src/experiment/runner.js';
import { SpareBuffers } from '../src/experiment/spare-buffers.js';
import { BatchComputer } from '../src/experiment/batch-computer.js';
import { RunStore } from '../src/experiment/store.js';
import { openShards } from '../src/experiment/shards.js';
import { writeSeries } from '../src/experiment/series-export.js';
import { linkOrCreate, lockFolder } from '../src/experiment/folder-lock.js';
import { experimentMeta, recordedColumns } from '../src/experiment/meta.js';
import { buildWorld } from '../src/engine/world.js';
import { Runner } from '../src/engine/simulate.js';
import { runOutcomes } from '../src/collect/outcomes.js';
import { withValuesAt } from '../src/scenario/paths.js';
import { recordLayout, sealRecords } from '../src/experiment/layout.js';
import { ensembleExperiment, loadExperiment, resolveExperiment } from '../src/experiment/load.js';
import { decimalsOf, rangeValues } from '../src/experiment/grid-range.js';
import { readDesignFile } from '../src/experiment/design-file.js';
import { readInBlocks, readMetaFile, writeMetaFile } from '../src/experiment/meta-file.js';
import { canonicalJson } from '../src/scenario/canonical.js';
import { MODEL_VERSION } from '../src/engine/version.js';
import { createHash } from 'node:crypto';
import { tempFolder, writeFixture } from './fixtures.js';

const dir = tempFolder();
const BIN = 'dist/cli/spillover.js';
const BASELINE = resolve('scenarios/baseline.json');

/**
 * The command, with the main thread computing runs whenever there is more than one thread (SPILLOVER_MAIN_COMPUTES_FROM
 * 0): by default it computes only in experiments of 5,000 runs or more, and these tests' experiments are small, but
 * they are about what each thread does with the runs it computes. `env` adds to or overrides the environment.
 */
function cli(...args: string[]) {
  return cliWith({}, ...args);
}
function cliWith(extra: Record<string, string | undefined>, ...args: string[]) {
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...env }: NodeJS.ProcessEnv = { ...process.env, SPILLOVER_MAIN_COMPUTES_FROM: '0', ...extra };
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
}
const read = (folder: string, file: string) => readFileSync(join(folder, file), 'utf8');

/** A copy of an output folder whose run store keeps only its first `runs` records, as a crash leaves it. */
function keepFirstRuns(folder: string, copy: string, runs: number): void {
  cpSync(folder, copy, { recursive: true });
  const bin = join(copy, 'runs.bin');
  const bytes = readFileSync(bin);
  bytes.fill(0, 4096 + runs * JSON.parse(bytes.subarray(0, 4096).toString().trim()).recordBytes);
  writeFileSync(bin, bytes);
}

function experiment(name: string, values: number[], replicates = 3): string {
  return writeFixture(dir, `${name}.json`, {
    name, scenario: BASELINE, replicates, seed: 7,
    design: { type: 'grid', parameters: { 'policies.benefitSharing': values } },
    keep: ['cooperation.customs', 'balassa_stage'],
  });
}

test('seeds come from (base seed, design point values, replicate): adding a point changes no other run', () => {
  const two = join(dir, 'two'), three = join(dir, 'three');
  assert.is(cli('sweep', experiment('two', [0, 1]), '--out', two, '--workers', '1', '--quiet').status, 0);
  assert.is(cli('sweep', experiment('three', [0, 0.5, 1]), '--out', three, '--workers', '1', '--quiet').status, 0);
  const rows = (folder: string) => read(folder, 'runs.csv').trim().split('\n').slice(1).map((l) => l.split(','));
  const byValue = (folder: string) => new Map(rows(folder).map((r) => [`${r[4]}/${r[2]}`, r.slice(3).join(',')]));
  const a = byValue(two), b = byValue(three);
  assert.is(a.size, 6);
  for (const [key, row] of a) assert.is(b.get(key), row, `run ${key} changed when a design point was added`);
  assert.is(runSeed(7, { 'policies.benefitSharing': 0 }, 1), runSeed(7, { 'policies.benefitSharing': 0 }, 1));
  assert.is.not(runSeed(7, { 'policies.benefitSharing': 0 }, 1), runSeed(7, { 'policies.benefitSharing': 0 }, 2));
  // the seeds of runs taken point by point, each point's key made once from the packed design, are runSeed's of the
  // points as objects, in any order of points (the parameters listed out of their sorted order, as the key sorts them)
  const points: DesignPoint[] = [{ 'spillover.strength': 1 / 3, 'policies.benefitSharing': 0.25 }, { 'spillover.strength': 1 / 3, 'policies.benefitSharing': 0.5 }];
  const design = packPoints(points, ['spillover.strength', 'policies.benefitSharing']);
  const seeds = new RunSeeds(9, design);
  for (const [point, replicate] of [[0, 0], [0, 1], [1, 0], [0, 2], [1, 5], [1, 1], [1, 1]]) assert.is(seeds.of(point, replicate), runSeed(9, points[point], replicate), `point ${point} replicate ${replicate}`);
  assert.is(designKey(design, 1), 'policies.benefitSharing=0.5&spillover.strength=0.3333333333333333');
  assert.is(designKey(design, 0), pointKey(points[0]));
  const ensemble: DesignPoints = { parameters: [], count: 1, values: new Float64Array(0) };
  assert.is(new RunSeeds(9, ensemble).of(0, 5), runSeed(9, {}, 5), "an ensemble's one point");
});

test('paired seeds: replicate r of every point runs on one seed, an ensemble\'s replicate r\'s; the hash says so, and nothing else changes', async () => {
  const file = (name: string, paired?: boolean) => writeFixture(dir, `${name}.json`, {
    name, scenario: BASELINE, replicates: 3, seed: 7, ...(paired === undefined ? {} : { pairedSeeds: paired }),
    design: { type: 'grid', parameters: { 'policies.benefitSharing': [0, 0.5, 1] } }, keep: ['cooperation.customs'],
  });
  const paired = join(dir, 'paired'), ensemble = join(dir, 'paired-ensemble');
  assert.is(cli('sweep', file('paired', true), '--out', paired, '--quiet').status, 0);
  assert.is(cli('ensemble', BASELINE, '--runs', '3', '--seed', '7', '--keep', 'cooperation.customs', '--out', ensemble, '--quiet').status, 0);
  const rows = (folder: string) => read(folder, 'runs.csv').trim().split('\n').slice(1).map((l) => l.split(','));
  const seeds = rows(ensemble).map((r) => r[3]);
  for (const r of rows(paired)) assert.is(r[3], seeds[Number(r[2])], `run ${r[0]}`);
  // the point of benefit-sharing 0 differs from the others by its value alone: its runs are another scenario's
  assert.is.not(rows(paired)[0].slice(5).join(), rows(paired)[3].slice(5).join());
  assert.equal(readMetaFile(paired)!.pairedSeeds, true);
  assert.equal(new RunSeeds(7, readMetaFile(paired)!.points, true).of(2, 1), runSeed(7, {}, 1));
  // false or absent: the same experiment, hash and seeds as before paired seeds existed
  const [unset, off, on] = await Promise.all([loadExperiment(file('seeds-unset')), loadExperiment(file('seeds-off', false)), loadExperiment(file('seeds-on', true))]);
  assert.is(off.hash, unset.hash);
  assert.is.not(on.hash, unset.hash);
  assert.is(experimentMeta(off).pairedSeeds, undefined);
  // a design of replicates alone has one point: paired seeds change none of its runs, nor its hash
  const replicates = (paired?: boolean) => resolveExperiment({ name: 'r', scenario: BASELINE, replicates: 2, ...(paired ? { pairedSeeds: true } : {}) }, 'r.json', dir);
  assert.is((await replicates(true)).hash, (await replicates()).hash);
  // runs of one cannot stand in for the other's
  const unpaired = join(dir, 'unpaired');
  assert.is(cli('sweep', file('seeds-off', false), '--out', unpaired, '--quiet').status, 0);
  const r = cli('sweep', file('paired', true), '--out', join(dir, 'never-paired'), '--reuse', unpaired, '--quiet');
  assert.is(r.status, 2);
  assert.match(r.stderr, /unpaired: holds runs of seeds drawn for each design point \(this experiment pairs them across points\); expected runs of the same/);
});

test('a grid sweep has one row per design point and replicate, and quantiles per point', () => {
  const out = join(dir, 'three');
  const runs = read(out, 'runs.csv').trim().split('\n');
  assert.is(runs.length, 1 + 3 * 3);
  assert.ok(runs[0].startsWith('run,point,replicate,seed,policies.benefitSharing,final_stage,'));
  assert.equal(runs.slice(1).map((l) => l.split(',').slice(0, 3).join(',')), ['0,0,0', '1,0,1', '2,0,2', '3,1,0', '4,1,1', '5,1,2', '6,2,0', '7,2,1', '8,2,2']);
  assert.is(read(out, 'points.csv'), 'point,policies.benefitSharing\n0,0\n1,0.5\n2,1\n');
  const q = read(out, 'quantiles.csv').trim().split('\n');
  assert.is(q[0], 'step,time,entity,variable,point,mean,q05,q25,q50,q75,q95');
  assert.is(q.length - 1, 3 * 61 * 7, 'points x steps x cells (region and five states for customs, the stage)');
  const manifest = JSON.parse(read(out, 'manifest.json'));
  assert.match(manifest.hash, /^[0-9a-f]{64}$/);
  assert.is(manifest.runs, 9);
  assert.ok(manifest.runsPerSecond > 0 && manifest.wallSeconds > 0);
  assert.is(manifest.experiment.name, 'three');
});

test('1 worker and 2 workers give byte-identical outputs', () => {
  const one = join(dir, 'w1'), two = join(dir, 'w2');
  assert.is(cli('ensemble', BASELINE, '--runs', '60', '--out', one, '--workers', '1', '--quiet').status, 0);
  assert.is(cli('ensemble', BASELINE, '--runs', '60', '--out', two, '--workers', '2', '--quiet').status, 0);
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(one, f), read(two, f), f);
  assert.ok(readFileSync(join(one, 'runs.bin')).equals(readFileSync(join(two, 'runs.bin'))), 'the run stores are byte-identical too');
  assert.not.match(read(one, 'quantiles.csv').split('\n')[0], /point/, 'an ensemble has no design point column');
});

test('on a single core one worker is the main thread alone, with the same outputs', async () => {
  const one = join(dir, 'w1'), alone = join(dir, 'w1-alone');
  const x = await ensembleExperiment(BASELINE, 60, undefined, undefined);
  const stats = await runExperiment(x, { out: alone, workers: 1, cores: 1, resume: false, shard: { index: 1, count: 1 }, manifest: {} });
  assert.is(stats.threads, 1, 'one thread computed');
  const same = (folder: string, label: string) => {
    for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(folder, f), read(one, f), `${label}: ${f}`);
    assert.ok(readFileSync(join(folder, 'runs.bin')).equals(readFileSync(join(one, 'runs.bin'))), `${label}: the run stores are byte-identical too`);
    assert.is(JSON.parse(read(folder, 'manifest.json')).runsOnMainThread, 60, `${label}: the main thread computed every run`);
  };
  same(alone, 'cores: 1');
  assert.is(JSON.parse(read(one, 'manifest.json')).runsOnMainThread, 0, 'on two cores or more, one worker is a worker thread');
  // from the command line, in a process confined to one core (where taskset is there to confine it): --workers
  // defaults to 1, the main thread alone
  if (spawnSync('taskset', ['-c', '0', 'true']).status === 0) {
    const confined = join(dir, 'w1-confined');
    const r = spawnSync('taskset', ['-c', '0', process.execPath, BIN, 'ensemble', BASELINE, '--runs', '60', '--out', confined, '--quiet'], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    assert.is(JSON.parse(read(confined, 'manifest.json')).workers, 1);
    same(confined, 'taskset -c 0');
  }
});

test('the rate a command prints names the threads that computed, not the --workers asked for', async () => {
  // below MAIN_COMPUTES_FROM runs (these tests set it to 0; the command's default is 5,000) the main thread leaves the
  // runs to the worker threads; two runs make two batches, so five threads asked for are two that compute
  const rate = (extra: Record<string, string | undefined>, workers: string) => {
    const r = cliWith(extra, 'ensemble', BASELINE, '--runs', '2', '--out', join(dir, `threads-${workers}`), '--workers', workers);
    assert.is(r.status, 0, r.stderr);
    return /runs\/s on (\d+ threads?)\)/.exec(r.stdout)?.[1];
  };
  assert.is(rate({ SPILLOVER_MAIN_COMPUTES_FROM: undefined }, '2'), '1 thread', 'one worker thread; the main thread aggregates');
  assert.is(rate({}, '2'), '2 threads', 'a worker thread and the main thread');
  assert.is(rate({}, '5'), '2 threads', 'no more threads than batches');
});

test('2 workers give the same outputs as 1 when the main thread cuts its first batches into slices', () => {
  // 400 runs make 25-run batches, which the main thread, before it has timed itself, takes to cost 50 ms: it computes
  // them in slices of a few runs, and a worker the rest of each (runner.ts, MAIN_TAKE_MS); past 64 runs the quantiles
  // come from histograms
  const one = join(dir, 'slices-w1'), two = join(dir, 'slices-w2');
  assert.is(cli('ensemble', BASELINE, '--runs', '400', '--out', one, '--workers', '1', '--quiet').status, 0);
  assert.is(cli('ensemble', BASELINE, '--runs', '400', '--out', two, '--workers', '2', '--quiet').status, 0);
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(one, f), read(two, f), f);
  assert.is(read(two, 'runs.csv').trim().split('\n').length, 401);
  const onMain = JSON.parse(read(two, 'manifest.json')).runsOnMainThread;
  assert.ok(onMain > 0 && onMain < 400, `the main thread computed ${onMain} of the runs`);
});

test("a worker's record buffers hold the largest batch, so each one handed back serves the next; the main thread's stay its own", async () => {
  // a buffer too small for the batch it came back with was dropped and a new one made, and a SharedArrayBuffer dropped
  // is not reliably freed (batch-computer.ts, batchRuns): an ensemble of 901 steps grew by 60 KB a run
  const x = await ensembleExperiment(BASELINE, 200, 1, ['cooperation.customs']);
  const meta = experimentMeta(x);
  const bytes = recordLayout(meta).bytes;
  const options = { meta, cells: x.cells, histograms: false, seal: false, rows: false, blocks: false };
  const worker = new BatchComputer(x.loaded, { ...options, batchRuns: 64 });
  const slice = worker.compute({ from: 0, to: 2 }); // as the remainder of a batch the main thread began
  assert.ok(slice.records instanceof SharedArrayBuffer);
  assert.is(slice.records.byteLength, 64 * bytes, 'made for the largest batch, not for its two runs');
  const full = worker.compute({ from: 2, to: 66, buffer: slice.records });
  assert.ok(full.records === slice.records, 'the buffer handed back is filled again');
  // the main thread's computer keeps its records in the thread: plain memory, which its collector counts
  const main = new BatchComputer(x.loaded, options);
  const own = main.compute({ from: 2, to: 66 });
  assert.not.ok(own.records instanceof SharedArrayBuffer);
  const shared = new Uint8Array(full.records);
  assert.ok(new Uint8Array(own.records, 0, 64 * bytes).every((b, k) => b === shared[k]), 'the same records either way');
});

test("a sweep's runs are each point's scenario run alone, whichever parts of the world its design moves", async () => {
  // a point's world borrows from the last point's what the design's paths leave as it was (world.ts, PART_INPUTS)
  const file = writeFixture(dir, 'parts.json', {
    name: 'parts', scenario: BASELINE, replicates: 1, seed: 3,
    design: { type: 'grid', parameters: { 'parameters.trade.transitCost': [0.2, 0.9], 'policies.benefitSharing': [0, 1], 'shocks.1.magnitude': [0.3, 0.9] } },
  });
  const x = await loadExperiment(file);
  const meta = experimentMeta(x);
  const layout = recordLayout(meta);
  const computer = new BatchComputer(x.loaded, { meta, cells: x.cells, histograms: false, seal: false, rows: false, blocks: false });
  const { records } = computer.compute({ from: 0, to: meta.runs });
  for (let point = 0; point < meta.runs; point++) {
    const values = pointAt(meta.points, point);
    const world = buildWorld({ ...x.loaded, scenario: withValuesAt(x.loaded.scenario, values) });
    const alone = new Float64Array(layout.outcomes);
    runOutcomes(new Runner(world, recordedColumns(world, x.cells)).run(runSeed(3, values, 0), { events: false }), alone);
    assert.equal(Array.from(new Float64Array(records, point * layout.bytes, layout.outcomes)), Array.from(alone), JSON.stringify(values));
  }
});

test('the main thread computes only in experiments large enough, by default; the outputs are the same either way', () => {
  // 300 runs are fewer than the default 5,000: with 2 and 3 threads, one and two worker threads compute them all
  const one = join(dir, 'threshold-w1');
  assert.is(cli('ensemble', BASELINE, '--runs', '300', '--out', one, '--workers', '1', '--quiet').status, 0);
  for (const workers of ['2', '3']) {
    const out = join(dir, `threshold-w${workers}`);
    assert.is(cliWith({ SPILLOVER_MAIN_COMPUTES_FROM: undefined }, 'ensemble', BASELINE, '--runs', '300', '--out', out, '--workers', workers, '--quiet').status, 0);
    for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(out, f), read(one, f), `${workers} threads: ${f}`);
    assert.is(JSON.parse(read(out, 'manifest.json')).runsOnMainThread, 0, `${workers} threads: runs on the main thread`);
  }
  // told to, it computes some (the slices test above: 400 runs)
  // a bad value is an input error, before anything runs
  const bad = cliWith({ SPILLOVER_MAIN_COMPUTES_FROM: 'many' }, 'ensemble', BASELINE, '--runs', '10', '--out', join(dir, 'threshold-bad'), '--quiet');
  assert.is(bad.status, 2);
  assert.is(bad.stderr.trim(), 'spillover: SPILLOVER_MAIN_COMPUTES_FROM: "many" is not a number of runs; expected a whole number, 0 or more');
  assert.not.ok(existsSync(join(dir, 'threshold-bad', 'runs.csv')));
});

test('workers kept from one experiment to the next in a process: the same outputs as fresh ones', () => {
  // in one process, as a what-if report runs its scenarios (the built code: workers do not load the sources): the
  // second experiment takes the first one's worker and needs one more, and the third is the first again, on workers
  // that have served both
  const first = join(dir, 'kept-first'), again = join(dir, 'kept-again'), fresh = join(dir, 'kept-fresh'), drought = join(dir, 'kept-drought');
  const file = experiment('kept', [0, 1], 70);
  const script = `(async () => {
    const { loadExperiment, ensembleExperiment } = await import('./dist/experiment/load.js');
    const { runExperiment } = await import('./dist/experiment/runner.js');
    const run = (x, out, workers) => runExperiment(x, { out, workers, resume: false, shard: { index: 1, count: 1 }, manifest: {} });
    const sweep = await loadExperiment(${JSON.stringify(file)});
    await run(sweep, ${JSON.stringify(first)}, 2);
    await run(await ensembleExperiment('scenarios/severe-drought.json', 90, 3, undefined), ${JSON.stringify(drought)}, 3);
    await run(sweep, ${JSON.stringify(again)}, 2);
  })();`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.is(child.status, 0, child.stderr);
  assert.is(cli('sweep', file, '--out', fresh, '--workers', '2', '--quiet').status, 0);
  for (const f of ['runs.csv', 'quantiles.csv']) {
    assert.is(read(again, f), read(first, f), `again: ${f}`);
    assert.is(read(first, f), read(fresh, f), `fresh process: ${f}`);
  }
  assert.is(read(drought, 'runs.csv').trim().split('\n').length, 91);
});

test('a scenario with a utility formula runs in the workers (the built worker loads mathjs on demand) as it does alone', () => {
  const scenario = writeFixture(dir, 'formula.json', { extends: BASELINE, formulas: { utility: '-0.5 * upstream' } });
  const one = join(dir, 'formula-1'), three = join(dir, 'formula-3');
  for (const [out, workers] of [[one, '1'], [three, '3']]) {
    const r = cli('ensemble', scenario, '--runs', '20', '--out', out, '--workers', workers, '--quiet');
    assert.is(r.status, 0, r.stderr);
  }
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(three, f), read(one, f), f);
  assert.is.not(read(one, 'runs.csv').split('\n')[1], read(join(dir, 'w1'), 'runs.csv').split('\n')[1], 'the formula moves the runs');
});

test('keep: [] aggregates nothing: runs.csv only, an empty quantiles.csv, the same on any number of threads', () => {
  const file = writeFixture(dir, 'keep-none.json', { name: 'keep-none', scenario: BASELINE, design: { type: 'grid', parameters: { 'policies.benefitSharing': [0, 0.5, 1, 0.25, 0.75] } }, replicates: 3, seed: 4, keep: [] });
  const kept = writeFixture(dir, 'keep-some.json', { name: 'keep-some', scenario: BASELINE, design: { type: 'grid', parameters: { 'policies.benefitSharing': [0, 0.5, 1, 0.25, 0.75] } }, replicates: 3, seed: 4 });
  const one = join(dir, 'keep-none-1'), three = join(dir, 'keep-none-3'), some = join(dir, 'keep-some');
  for (const [out, workers] of [[one, '1'], [three, '3']]) assert.is(cli('sweep', file, '--out', out, '--workers', workers, '--quiet').status, 0);
  assert.is(cli('sweep', kept, '--out', some, '--workers', '1', '--quiet').status, 0);
  assert.is(read(one, 'quantiles.csv'), 'step,time,entity,variable,point,mean,q05,q25,q50,q75,q95\n');
  for (const f of ['runs.csv', 'quantiles.csv', 'points.csv']) assert.is(read(three, f), read(one, f), f);
  // each run's outcomes as with the default cells (the seeds do not depend on what is kept)
  const body = (folder: string) => read(folder, 'runs.csv').split('\n').slice(1).join('\n');
  assert.is(body(one), body(some));
  // an ensemble past the exact quantiles (64 runs), on one worker and on two threads
  const e1 = join(dir, 'keep-none-e1'), e2 = join(dir, 'keep-none-e2');
  assert.is(cli('ensemble', BASELINE, '--runs', '80', '--keep', '', '--out', e1, '--workers', '1', '--quiet').status, 0);
  assert.is(cli('ensemble', BASELINE, '--runs', '80', '--keep', '', '--out', e2, '--workers', '2', '--quiet').status, 0);
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(e2, f), read(e1, f), f);
  assert.is(read(e1, 'runs.csv').trim().split('\n').length, 81);
});

test("stale temporary folders of killed runs are removed, not a user's file nor a running process's folder", () => {
  const out = join(dir, 'stale');
  const dead = join(out, '.tmp-999999999'), mine = join(out, '.tmp-notes'), live = join(out, `.tmp-${process.pid}`);
  for (const f of [dead, mine, live]) writeFixture(f, 'x.txt', 'x');
  assert.is(cli('ensemble', BASELINE, '--runs', '4', '--out', out, '--quiet').status, 0);
  assert.not.ok(existsSync(dead), 'the folder of a process that is gone');
  assert.ok(existsSync(join(mine, 'x.txt')), "a user's");
  assert.ok(existsSync(join(live, 'x.txt')), 'a running process\'s (this test\'s)');
});

test('outputs of an earlier experiment in the same folder that this one does not make are removed', () => {
  const out = join(dir, 'reused-folder');
  assert.is(cli('sweep', experiment('stale-sweep', [0, 1], 2), '--out', out, '--workers', '1', '--quiet').status, 0);
  assert.ok(existsSync(join(out, 'points.csv')));
  // an ensemble has no design points: the sweep's points.csv beside its runs.csv would describe other runs
  assert.is(cli('ensemble', BASELINE, '--runs', '4', '--out', out, '--workers', '1', '--quiet').status, 0);
  assert.equal(readdirSync(out).sort(), ['experiment.json', 'manifest.json', 'quantiles.csv', 'runs.bin', 'runs.csv']);
  // a shard makes records, not outputs: another experiment's runs.csv and quantiles.csv go
  assert.is(cli('ensemble', BASELINE, '--runs', '6', '--out', out, '--shard', '1/2', '--workers', '1', '--quiet').status, 0);
  assert.equal(readdirSync(out).sort(), ['experiment.json', 'manifest.json', 'runs.bin']);
  // but the same experiment's stay: a shard resumed in the folder its merge wrote to
  const shards = [1, 2].map((i) => join(dir, `merged-into-${i}`));
  shards.forEach((f, k) => assert.is(cli('ensemble', BASELINE, '--runs', '6', '--out', f, '--shard', `${k + 1}/2`, '--workers', '1', '--quiet').status, 0));
  assert.is(cli('merge', ...shards, '--out', shards[0], '--quiet').status, 0);
  assert.is(cli('ensemble', BASELINE, '--runs', '6', '--out', shards[0], '--shard', '1/2', '--resume', '--workers', '1', '--quiet').status, 0);
  assert.equal(readdirSync(shards[0]).sort(), ['experiment.json', 'manifest.json', 'quantiles.csv', 'runs.bin', 'runs.csv']);
});

test('a note when the run store would not fit in the space free where it goes, in MB or GB', () => {
  assert.is(spaceNote(9.5e6, 2e9, 'out'), undefined);
  assert.is(spaceNote(9.5e6, 5e6, 'small'), 'note: the runs\' records (runs.bin) will take 10 MB, and small has 5 MB free; keep fewer variables ("keep"), or run in shards on other disks (a full disk stops the runs, and --resume carries on once there is room)');
  assert.match(spaceNote(95e9, 40.25e9, 'scratch')!, /will take 95\.0 GB, and scratch has 40\.3 GB free;/);
});

test('a note before a quantiles.csv of a gigabyte or more, or more than the space free', () => {
  // the shipped sweeps and a 100,000-run ensemble write a few MB of it: nothing to say
  assert.is(quantilesNote(5 * 4 * 61, 20, 2e9, 'out'), undefined);
  assert.is(quantilesNote(2318, 100000, Infinity, 'out'), undefined);
  // a Latin hypercube of 20,000 one-run points keeping the default cells: 46 million rows, 4.4 GB, unasked
  const big = quantilesNote(20000 * 2318, 1, Infinity, 'out')!;
  assert.match(big, /^note: quantiles\.csv will hold 46,360,000 rows, about 4\.4 GB; keep fewer variables \("keep"\), or none \("keep": \[\]\)/);
  assert.match(big, /with one run a point, its quantiles are that run's values, which spillover series writes once$/);
  assert.not.match(quantilesNote(20000 * 2318, 5, Infinity, 'out')!, /one run a point/);
  // a small one where there is no room for it
  assert.match(quantilesNote(100 * 2318, 10, 5e6, 'small')!, /about 23 MB, and small has 5 MB free;/);
  assert.is(quantilesNote(100 * 2318, 10, 30e6, 'small'), undefined);
});

test('progress after a resume counts the rate of the runs this command ran, not those kept from before', () => {
  const lines: string[] = [];
  const write = process.stderr.write, tty = process.stderr.isTTY;
  process.stderr.isTTY = false;
  process.stderr.write = ((text: string) => lines.push(text) > 0) as typeof process.stderr.write;
  try {
    const report = progressReporter(false)!;
    report({ done: 19000, total: 20000, kept: 14000, seconds: 5 });
    report({ done: 20000, total: 20000, kept: 14000, seconds: 6 });
  } finally {
    process.stderr.write = write;
    process.stderr.isTTY = tty;
  }
  assert.equal(lines, ['19000/20000 runs, 1000 runs/s, ETA 1 s\n', '20000/20000 runs, 1000 runs/s\n']);
});

test('plain progress lines (a log, not a terminal) come every 5 s at first and thin to one a minute in long runs', () => {
  const times: number[] = [];
  const write = process.stderr.write, tty = process.stderr.isTTY;
  process.stderr.isTTY = false;
  let now = 0;
  process.stderr.write = (() => times.push(now) > 0) as typeof process.stderr.write;
  try {
    const report = progressReporter(false)!;
    // a batch a second for ten hours
    for (now = 1; now <= 36_000; now++) report({ done: now, total: 36_001, kept: 0, seconds: now });
  } finally {
    process.stderr.write = write;
    process.stderr.isTTY = tty;
  }
  assert.equal(times.slice(0, 10), [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
  assert.is(times[times.length - 1] - times[times.length - 2], 60);
  assert.ok(times.length > 550 && times.length < 650, `${times.length} lines in ten hours`);
});

test('an estimate is rounded up, and shown in minutes or hours when long', () => {
  assert.equal([0.2, 1, 1.01, 59.5, 60, 185, 3599.2, 3600, 7_500].map(durationShown), ['1 s', '1 s', '2 s', '1 min 00 s', '1 min 00 s', '3 min 05 s', '1 h 00 min', '1 h 00 min', '2 h 05 min']);
});

test('on a terminal, the bar fits its width, is drawn at most ten times a second and erases what a longer line left', () => {
  const lines: string[] = [];
  const { write, isTTY, columns } = process.stderr;
  process.stderr.isTTY = true;
  process.stderr.write = ((text: string) => lines.push(text) > 0) as typeof process.stderr.write;
  const draw = (width: number, reports: Array<[number, number]>) => {
    lines.length = 0;
    process.stderr.columns = width;
    const report = progressReporter(false)!;
    for (const [done, seconds] of reports) report({ done, total: 20000, kept: 0, seconds });
    return [...lines];
  };
  try {
    // 80 columns: a bar of 30 and the text, within the line; at 40, a shorter bar; at 30, the text alone, cut to the line
    const wide = draw(80, [[10000, 2]]);
    assert.equal(wide, ['\r[###############...............] 10000/20000 runs, 5000 runs/s, ETA 2 s\x1b[K']);
    // no estimate in the first second, while the engine is still being compiled (the first batch's rate said minutes)
    assert.equal(draw(80, [[64, 0.5]]), ['\r[..............................] 64/20000 runs, 128 runs/s\x1b[K']);
    assert.equal(draw(80, [[20000, 4]]), ['\r[##############################] 20000/20000 runs, 5000 runs/s\x1b[K\n']);
    for (const width of [80, 50, 40, 30, 20]) {
      const [line] = draw(width, [[10000, 2]]);
      assert.ok(line.length - '\r\x1b[K'.length < width, `${width} columns: ${JSON.stringify(line)}`);
    }
    assert.equal(draw(30, [[10000, 2]]), ['\r10000/20000 runs, 5000 runs/s\x1b[K']);
    // batches every 10 ms: one line a tenth of a second, and the last whatever its time
    const often = draw(80, Array.from({ length: 100 }, (_, k): [number, number] => [(k + 1) * 200, (k + 1) * 0.01]));
    assert.ok(often.length >= 9 && often.length <= 11, `${often.length} writes`);
    assert.match(often[often.length - 1], /20000\/20000 runs, .*\n$/);
  } finally {
    process.stderr.write = write;
    process.stderr.isTTY = isTTY;
    process.stderr.columns = columns;
  }
});

test('a run store made again is a new file: a process still writing into the old one leaves it alone', async () => {
  const x = await ensembleExperiment(BASELINE, 4, 1, ['integration_index']);
  const meta = experimentMeta(x);
  const file = join(dir, 'twice.bin');
  const first = RunStore.create(file, meta, 0, 4);
  const second = RunStore.create(file, meta, 0, 4); // another run into the same folder
  const record = new Uint8Array(recordLayout(meta).bytes);
  sealRecords(record, recordLayout(meta), 0);
  first.writeRecords(0, record);
  assert.equal(Array.from(second.sealed()), [0, 0, 0, 0], "the first process's record is not in the second's store");
  first.close();
  second.close();
});

test('design points are packed, experiment.json is written in blocks and the hash taken point by point, all as from the points as objects', async () => {
  const file = writeFixture(dir, 'packed.json', { name: 'packed', scenario: BASELINE, replicates: 2, design: { type: 'lhs', samples: 20000, parameters: { 'spillover.strength': [0, 2], 'policies.benefitSharing': [0, 1] } } }); // experiment.json over a megabyte: written in two blocks
  const x = await loadExperiment(file);
  const objects = Array.from({ length: x.points.count }, (_, k) => pointAt(x.points, k));
  assert.equal(packPoints(objects, x.parameters), x.points);
  assert.equal(pointAt({ parameters: [], count: 1, values: new Float64Array(0) }, 0), {}, "an ensemble's one point");
  const whole = createHash('sha256').update(canonicalJson({ model: MODEL_VERSION, scenario: x.loaded.sha256, points: objects, replicates: 2, seed: 1, keep: x.keep, design: 'lhs' })).digest('hex');
  assert.is(x.hash, whole, 'the hash of earlier versions, so that their stores resume');
  const meta = experimentMeta(x);
  const folder = join(dir, 'packed'), written = join(folder, 'experiment.json');
  mkdirSync(folder);
  writeMetaFile(written, meta);
  assert.is(readFileSync(written, 'utf8'), `${JSON.stringify({ ...meta, points: objects })}\n`);
  // read back a megabyte at a time, points packed block by block (a block ends inside a point), the same as parsed
  // whole; and laid out otherwise (indented), parsed whole
  assert.equal(readInBlocks(written), meta, 'read in blocks');
  assert.equal(readMetaFile(folder), meta);
  writeFileSync(written, JSON.stringify({ ...meta, points: objects }, null, 1));
  assert.is(readInBlocks(written), undefined);
  assert.equal(readMetaFile(folder), meta);
  // a name of three-byte characters across the first block's end, at each of the three offsets
  for (const name of ['€'.repeat(400000), `a${'€'.repeat(400000)}`, `ab${'€'.repeat(400000)}`]) {
    writeMetaFile(written, { ...meta, name });
    assert.equal(readInBlocks(written), { ...meta, name });
  }
  // an ensemble's one point without parameters, and files that are not an experiment's
  const ensemble = { ...meta, parameters: [], points: { parameters: [], count: 1, values: new Float64Array(0) } };
  writeMetaFile(written, ensemble);
  assert.equal(readInBlocks(written), ensemble);
  assert.equal(readMetaFile(folder), ensemble);
  for (const text of ['[]', '{"points":[1,2],"parameters":[]}', '{"points":[{}]}', '{"format":"x","parameters":["a.b"],"points":[{"a.b":[1]}]}', '{"points":[{}'])
    assert.is(readMetaFile((writeFileSync(written, text), folder)), undefined, text);
});

test('experiment.json is written beside and renamed into place: a write that fails midway leaves the file there was', async () => {
  const x = await ensembleExperiment(BASELINE, 4, 1, ['trade_usd']);
  const meta = experimentMeta(x);
  const folder = join(dir, 'meta-atomic'), file = join(folder, 'experiment.json');
  mkdirSync(folder);
  writeMetaFile(file, meta);
  const before = readFileSync(file, 'utf8');
  // points whose third value cannot be read: the write stops after the first two points
  const failing = new Proxy(new Float64Array(6), { get: (t, k) => (k === '2' ? (() => { throw new Error('disk gone'); })() : Reflect.get(t, k)) });
  assert.throws(() => writeMetaFile(file, { ...meta, parameters: ['a.b'], points: { parameters: ['a.b'], count: 6, values: failing as unknown as Float64Array } }), /disk gone/);
  assert.is(readFileSync(file, 'utf8'), before);
  assert.equal(readdirSync(folder), ['experiment.json'], 'and nothing beside it');
  // one a killed run left beside it is removed by the next run in the folder, and only if its process is gone
  writeFileSync(join(folder, '.experiment.json.999999999.partial'), '{"points":[{');
  writeFileSync(join(folder, `.experiment.json.${process.ppid}.partial`), '{"points":[{');
  assert.is(cli('ensemble', BASELINE, '--runs', '4', '--seed', '1', '--keep', 'trade_usd', '--out', folder, '--quiet').status, 0);
  assert.not.ok(existsSync(join(folder, '.experiment.json.999999999.partial')));
  assert.ok(existsSync(join(folder, `.experiment.json.${process.ppid}.partial`)), "a running process's");
  assert.is(readFileSync(file, 'utf8'), before);
});

test('a design file of 150,000 rows loads (its extremes were taken by spreading the rows into Math.min, past the stack)', () => {
  const rows = Array.from({ length: 150000 }, (_, k) => `${k / 150000},${(k % 7) / 7}`);
  writeFileSync(join(dir, 'many-rows.csv'), `policies.benefitSharing,policies.disputeResolution\n${rows.join('\n')}\n`);
  const file = writeFixture(dir, 'many-rows.json', { name: 'many-rows', scenario: BASELINE, replicates: 1, design: { type: 'csv', file: 'many-rows.csv' }, keep: [] });
  const r = cli('validate', file);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /150000 design points \(csv over policies\.benefitSharing, policies\.disputeResolution\) × 1 replicate = 150000 runs/);
});

test('a design file is read into packed points, each with its line, the same in blocks of any size: blank lines, CRLF, quotes, a point column', () => {
  const file = join(dir, 'packed.csv');
  // quoted fields, one across lines and one with a quote in it, make the blocks' cuts between records matter
  writeFileSync(file, '\ufeff\r\npoint,policies.benefitSharing,spillover.strength\r\n0,0.5,1\r\n\r\n1,"0.25", 2 \r\n"7\n",1e-3,0\n"a""b",0.75,"1.5"\n\n\n');
  for (const blockBytes of [1, 2, 3, 5, 7, 11, 64, 4 << 20]) {
    let counted = -1;
    const { points, lines } = readDesignFile(file, 'packed.csv', { most: 10, checkCount: (n) => (counted = n), blockBytes });
    assert.is(counted, 4, `blocks of ${blockBytes}`);
    assert.equal(points.parameters, ['policies.benefitSharing', 'spillover.strength']);
    assert.is(points.count, 4);
    assert.equal([...points.values], [0.5, 1, 0.25, 2, 0.001, 0, 0.75, 1.5], `blocks of ${blockBytes}`);
    assert.equal([...lines], [3, 5, 6, 8], `blocks of ${blockBytes}`);
    assert.is(points.values.buffer.byteLength, 8 * 8, 'no room left over, which a worker would be sent');
  }
  // a quoted field left open names the line it started on, however the file was cut
  writeFileSync(file, 'policies.benefitSharing\n0.5\n"0.7\n0.9\n');
  for (const blockBytes of [1, 4, 4 << 20])
    assert.throws(() => readDesignFile(file, 'packed.csv', { most: 10, checkCount: () => {}, blockBytes }), /packed\.csv: line 3: malformed CSV: a quoted field is not closed/);
  // the count is checked before a value is refused: a file of too many points says so, whatever its values
  writeFileSync(file, 'policies.benefitSharing\n0.5\nx\n');
  assert.throws(() => readDesignFile(file, 'packed.csv', { most: 10, checkCount: () => { throw new Error('too many'); } }), /too many/);
  assert.throws(() => readDesignFile(file, 'packed.csv', { most: 10, checkCount: () => {} }), /packed\.csv: line 3: policies\.benefitSharing is "x"; expected a number/);
  // hexadecimal, octal and binary are not the decimal numbers a design holds: Number() read 0x10 as 16 and 0b1 as 1
  for (const raw of ['0x10', '0b1', '0O7', ' 0X1f'])  {
    writeFileSync(file, `policies.benefitSharing\n0.5\n${raw}\n`);
    assert.throws(() => readDesignFile(file, 'packed.csv', { most: 10, checkCount: () => {} }), new RegExp(`packed\\.csv: line 3: policies\\.benefitSharing is "${raw.trim()}"; expected a number`), raw);
  }
  // beyond `most`, points are counted and not kept: checkCount sees them all
  writeFileSync(file, `policies.benefitSharing\n${Array.from({ length: 3000 }, (_, k) => k / 3000).join('\n')}\n`);
  let seen = 0;
  assert.throws(() => readDesignFile(file, 'packed.csv', { most: 2000, checkCount: (n) => { seen = n; throw new Error('too many'); } }), /too many/);
  assert.is(seen, 3000);
  assert.is(readDesignFile(file, 'packed.csv', { most: 3000, checkCount: () => {}, blockBytes: 1000 }).points.values[2999], 2999 / 3000);
});

test("a design file made from points.csv gives the same runs again (design values are written in full, not to ten digits)", () => {
  const lhs = writeFixture(dir, 'again-lhs.json', { name: 'again', scenario: BASELINE, replicates: 2, seed: 5, design: { type: 'lhs', samples: 4, parameters: { 'policies.benefitSharing': [0, 1] } }, keep: ['integration_index'] });
  const first = join(dir, 'again-1'), second = join(dir, 'again-2');
  assert.is(cli('sweep', lhs, '--out', first, '--quiet').status, 0);
  writeFileSync(join(dir, 'again.csv'), read(first, 'points.csv').split('\n').map((l) => l.split(',').slice(1).join(',')).join('\n'));
  const csv = writeFixture(dir, 'again-csv.json', { name: 'again', scenario: BASELINE, replicates: 2, seed: 5, design: { type: 'csv', file: 'again.csv' }, keep: ['integration_index'] });
  assert.is(cli('sweep', csv, '--out', second, '--quiet').status, 0);
  assert.is(read(second, 'runs.csv'), read(first, 'runs.csv'), 'the same seeds, values and outcomes');
  assert.is(read(second, 'quantiles.csv'), read(first, 'quantiles.csv'));
  assert.match(read(first, 'points.csv'), /\n0,0\.\d{11,}\n/);
});

test('more workers than cores get a note on stderr, none with --quiet, and the same outputs', () => {
  const over = String(usableCores() + 1);
  const noisy = join(dir, 'over-noisy'), quiet = join(dir, 'over-quiet'), fitting = join(dir, 'over-fitting');
  const r = cli('ensemble', BASELINE, '--runs', '8', '--out', noisy, '--workers', over);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, `note: --workers ${over} is more threads than the ${usableCores()} core`);
  const q = cli('ensemble', BASELINE, '--runs', '8', '--out', quiet, '--workers', over, '--quiet');
  assert.is(q.status, 0, q.stderr);
  assert.is(q.stderr, '');
  const f = cli('ensemble', BASELINE, '--runs', '8', '--out', fitting, '--workers', String(usableCores()));
  assert.is(f.status, 0, f.stderr);
  assert.not.match(f.stderr, 'note: --workers');
  assert.is(read(quiet, 'quantiles.csv'), read(fitting, 'quantiles.csv'));
});

test("the default of --workers is capped by the cgroup's CPU quota, as containers set it (Node 20 reads only the CPUs)", () => {
  const tree = (files: Record<string, string>) => (path: string) => files[path];
  // cgroup v2 in a container (its own cgroup seen as the root): 2.5 CPUs are two workers
  assert.is(cgroupCpuLimit(tree({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '250000 100000\n' })), 2);
  // v2 on a host: a pod's quota above its container's, the lesser of the two; under one CPU is still one
  const pod = { '/proc/self/cgroup': '0::/kubepods/pod1/c1\n', '/sys/fs/cgroup/kubepods/pod1/c1/cpu.max': 'max 100000\n', '/sys/fs/cgroup/kubepods/pod1/cpu.max': '50000 100000\n' };
  assert.is(cgroupCpuLimit(tree(pod)), 1);
  assert.is(usableCores(tree(pod)), 1);
  // v1, the path seen being the host's while the files are at the mount's root
  assert.is(cgroupCpuLimit(tree({ '/proc/self/cgroup': '5:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n', '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us': '400000\n', '/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us': '100000\n' })), 4);
  // no quota: v1's -1, v2's max, no files, no /proc
  assert.is(cgroupCpuLimit(tree({ '/proc/self/cgroup': '1:cpu:/\n', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1\n', '/sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000\n' })), Infinity);
  assert.is(cgroupCpuLimit(tree({ '/proc/self/cgroup': '0::/user.slice\n', '/sys/fs/cgroup/cpu.max': 'max 100000\n' })), Infinity);
  assert.is(cgroupCpuLimit(tree({})), Infinity);
  assert.is(usableCores(tree({}), {}), availableParallelism());
});

test("inside a SLURM job the default of --workers is the task's CPUs, where no cgroup or affinity mask says so", () => {
  const none = (_path: string) => undefined;
  const job = { SLURM_JOB_ID: '7', SLURM_ARRAY_TASK_ID: '3' };
  assert.is(slurmCpuLimit({ ...job, SLURM_CPUS_PER_TASK: '1', SLURM_CPUS_ON_NODE: '4' }), 1);
  assert.is(slurmCpuLimit({ ...job, SLURM_CPUS_ON_NODE: '3' }), 3);
  assert.is(usableCores(none, { ...job, SLURM_CPUS_PER_TASK: '1' }), 1);
  // outside a job, or a value that is no count, changes nothing
  assert.is(slurmCpuLimit({ SLURM_CPUS_PER_TASK: '1' }), Infinity);
  assert.is(slurmCpuLimit({ ...job, SLURM_CPUS_PER_TASK: '0', SLURM_CPUS_ON_NODE: 'x' }), Infinity);
  assert.is(usableCores(none, { ...job, SLURM_CPUS_PER_TASK: String(availableParallelism() + 8) }), availableParallelism());
});

test('--emit-slurm writes an array script and a merge step that, run as SLURM would, give the unsharded output', () => {
  // paths with a space, a quote and a glob character, which the scripts must quote for bash
  const file = writeFixture(dir, "slurm experiment's*.json", { name: 'slurm', scenario: BASELINE, design: { type: 'grid', parameters: { 'policies.benefitSharing': [0, 0.5, 1] } }, replicates: 4, seed: 3 });
  const out = join(dir, "slurm out's"), script = join(dir, 'job.sbatch');
  const emitted = cli('sweep', file, '--emit-slurm', script, '--shard-count', '3', '--out', out, '--quiet');
  assert.is(emitted.status, 0, emitted.stderr);
  assert.is(emitted.stdout, '', '--quiet');
  assert.match(readFileSync(script, 'utf8'), /^#!\/bin\/bash\n#SBATCH --job-name=slurm\n#SBATCH --array=1-3\n/);
  for (const f of [script, `${script}.merge`]) assert.is(statSync(f).mode & 0o777, 0o755, `${f} is executable`);
  // after a failed task the merge step is cancelled rather than left pending for ever (scripts/slurm-demo.sh proves it)
  assert.match(readFileSync(`${script}.merge`, 'utf8'), /^#SBATCH --kill-on-invalid-dep=yes$/m);
  assert.equal(readdirSync(dir).filter((f) => f.startsWith('.job.sbatch')), [], 'no temporary file is left');
  // each array task as slurmd starts it, then the merge step
  for (const task of ['1', '2', '3']) {
    const r = spawnSync('bash', [script], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: task, SLURM_ARRAY_TASK_COUNT: '3' } });
    assert.is(r.status, 0, r.stderr);
  }
  // a task failed and submitted again alone (sbatch --array=2) is an array of one: it still runs shard 2 of 3, carrying on
  // from what it stored (it ran the whole experiment as shard 1/1, into shard-2/)
  const again = spawnSync('bash', [script], { encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '2', SLURM_ARRAY_TASK_MAX: '2', SLURM_ARRAY_TASK_COUNT: '1' } });
  assert.is(again.status, 0, again.stderr);
  assert.equal(JSON.parse(read(join(out, 'shard-2'), 'manifest.json')).shard, { index: 2, count: 3, firstRun: 4, lastRun: 7 });
  const merged = spawnSync('bash', [`${script}.merge`], { encoding: 'utf8' });
  assert.is(merged.status, 0, merged.stderr);
  const whole = join(dir, 'slurm-whole');
  assert.is(cli('sweep', file, '--out', whole, '--quiet').status, 0);
  for (const f of ['runs.csv', 'quantiles.csv', 'points.csv']) assert.is(read(out, f), read(whole, f), f);
  // an ensemble keeping nothing (--keep "") is run again as it was asked, not with the default cells
  const none = join(dir, 'none.sbatch');
  assert.is(cli('ensemble', BASELINE, '--runs', '6', '--keep', '', '--emit-slurm', none, '--out', join(dir, 'none'), '--quiet').status, 0);
  assert.match(readFileSync(none, 'utf8'), ` --keep '' --out `);
  // sbatch reads a value with spaces in double quotes, and has no escape for a double quote
  assert.match(readFileSync(script, 'utf8'), `#SBATCH --output="${out}/slurm-%A_%a.out"`);
  const quoted = cli('sweep', file, '--emit-slurm', join(dir, 'q.sbatch'), '--out', join(dir, 'a"b'));
  assert.is(quoted.status, 2, quoted.stderr);
  assert.match(quoted.stderr, 'has a double quote or a line break, which an #SBATCH line cannot hold');
  assert.not.ok(existsSync(join(dir, 'q.sbatch')));
  // a folder named as the script: refused before either script is written (the merge step was left behind)
  const folder = join(dir, 'a-folder.sbatch');
  writeFixture(folder, 'x.txt', 'x');
  const onFolder = cli('sweep', file, '--emit-slurm', folder, '--out', join(dir, 'never'));
  assert.is(onFolder.status, 2, onFolder.stderr);
  assert.match(onFolder.stderr, /a-folder\.sbatch": illegal operation on a directory \(EISDIR, open\); expected the name of a file, not a folder\n$/);
  assert.not.ok(existsSync(`${folder}.merge`));
  // a shard to run is not an array size
  const shard = cli('sweep', file, '--emit-slurm', join(dir, 's.sbatch'), '--shard', '1/4', '--out', join(dir, 'never'));
  assert.is(shard.status, 2, shard.stderr);
  assert.is(shard.stderr, 'spillover: --shard: "1/4" picks one shard to run, and --emit-slurm writes a script that runs them all; expected --shard-count N for the number of array tasks\n');
  assert.not.ok(existsSync(join(dir, 's.sbatch')));
  // a script written by hand is not replaced, nor one beside it where the merge step goes; the scripts it wrote are
  const own = writeFixture(dir, 'own.sbatch', '#!/bin/bash\nsrun my-model\n');
  const mine = cli('sweep', file, '--emit-slurm', own, '--out', join(dir, 'never'));
  assert.is(mine.status, 2, mine.stderr);
  assert.match(mine.stderr, /own\.sbatch: is not a file spillover wrote \(it lacks the mark of one\), and --emit-slurm replaces it whole/);
  assert.is(readFileSync(own, 'utf8'), '#!/bin/bash\nsrun my-model\n');
  writeFixture(dir, 'own2.sbatch.merge', 'my merge\n');
  assert.is(cli('sweep', file, '--emit-slurm', join(dir, 'own2.sbatch'), '--out', join(dir, 'never'), '--quiet').status, 2);
  assert.not.ok(existsSync(join(dir, 'own2.sbatch')), 'neither script written');
  assert.is(cli('sweep', file, '--emit-slurm', script, '--shard-count', '3', '--out', out, '--quiet').status, 0, 'its own scripts are replaced');
});

test('shards 1/3, 2/3, 3/3 merged equal the unsharded output', async () => {
  const whole = join(dir, 'w1');
  const shards = [1, 2, 3].map((i) => join(dir, `shard-${i}`));
  shards.forEach((s, k) => assert.is(cli('ensemble', BASELINE, '--runs', '60', '--out', s, '--shard', `${k + 1}/3`, '--workers', '1', '--quiet').status, 0));
  assert.not.ok(existsSync(join(shards[0], 'runs.csv')), 'a shard leaves records, not outputs');
  const merged = join(dir, 'merged');
  const r = cli('merge', shards[2], shards[0], shards[1], '--out', merged);
  assert.is(r.status, 0, r.stderr);
  // its progress as an experiment's, in plain lines when stderr is not a terminal: here only the last
  assert.match(r.stderr, /^60\/60 runs, \d+ runs\/s\n$/);
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(merged, f), read(whole, f), f);
  // its manifest cites what the unsharded one does (the experiment, the scenario and its SHA-256), and each shard's
  // last command, in run order whatever order they were given in
  const m = JSON.parse(read(merged, 'manifest.json')), w = JSON.parse(read(whole, 'manifest.json'));
  for (const f of ['experiment', 'scenario', 'hash', 'runs', 'designPoints']) assert.equal(m[f], w[f], f);
  assert.equal(m.mergedFrom, [shards[2], shards[0], shards[1]]);
  assert.equal(m.shards.map((s: { folder: string; firstRun: number; lastRun: number }) => [s.folder, s.firstRun, s.lastRun]), [[shards[0], 0, 19], [shards[1], 20, 39], [shards[2], 40, 59]]);
  assert.ok(m.shards.every((s: { workers: number; ranNow: number; version: string }) => s.workers === 1 && s.ranNow === 20 && s.version === w.version));
  assert.is(m.shardTotals.ranNow, 60);
  assert.ok(m.shardTotals.wallSeconds > 0 && m.shardTotals.runsPerSecond > 0 && m.wallSeconds > 0);
  const never = cli('merge', shards[0], join(dir, 'shard-never-ran'), shards[2], '--out', join(dir, 'gap'));
  assert.is(never.status, 2);
  assert.match(never.stderr, /shard-never-ran: does not exist; expected the output folder of a sweep or an ensemble, or of a shard of one \(a shard whose task has not run yet\?\)\n$/);
  const gap = cli('merge', shards[0], shards[2], '--out', join(dir, 'gap'));
  assert.is(gap.status, 2);
  assert.match(gap.stderr, /starts at run 40; runs 20-39 are in no folder given/);
  // a shard not finished: run it again with --resume, unless its command is still writing it (its lock says so)
  const partial = join(dir, 'shard-2-partial');
  keepFirstRuns(shards[1], partial, 5);
  const unfinished = () => cli('merge', shards[0], partial, shards[2], '--out', join(dir, 'gap')).stderr;
  assert.match(unfinished(), /shard-2-partial: 15 of its 20 runs are not finished; expected a finished shard \(run it again with --resume\)\n$/);
  const sleeper = spawn('sleep', ['60']);
  try {
    const lock = (host: string, pid: number) => writeFileSync(join(partial, '.lock'), `${JSON.stringify({ pid, host, started: Date.now(), command: 'spillover ensemble --shard 2/3' })}\n`);
    lock(hostname(), sleeper.pid!);
    assert.match(unfinished(), new RegExp(`shard-2-partial: 15 of its 20 runs are not finished; the command writing the folder is still running \\(process ${sleeper.pid} on this host, since .*: spillover ensemble --shard 2/3\\); expected a finished shard: wait for it to end\\n$`));
    lock('node-17', 4242);
    assert.match(unfinished(), /the command writing the folder may still be running \(process 4242 on host node-17, since .*\); expected a finished shard: wait for it to end, or if it was stopped, run it again with --resume\n$/);
  } finally {
    sleeper.kill();
  }
  // a lock its holder left (killed with -9): as if there were none
  await new Promise((r) => sleeper.once('exit', r));
  writeFileSync(join(partial, '.lock'), `${JSON.stringify({ pid: sleeper.pid, host: hostname(), started: Date.now(), command: 'x' })}\n`);
  assert.match(unfinished(), /expected a finished shard \(run it again with --resume\)\n$/);
  // a folder named twice says so (it was refused as overlapping itself)
  const twice = cli('merge', shards[0], shards[1], `${shards[0]}/`, shards[2], '--out', join(dir, 'twice'));
  assert.is(twice.status, 2);
  assert.match(twice.stderr, /^spillover: .*\/: given twice \(folders 1 and 3\); expected each shard once\n$/);
  // and through a link to it (it was "overlaps another shard")
  symlinkSync(shards[1], join(dir, 'shard-link'));
  const linked = cli('merge', shards[0], shards[1], shards[2], join(dir, 'shard-link'), '--out', join(dir, 'twice'));
  assert.is(linked.status, 2);
  assert.match(linked.stderr, /^spillover: .*shard-link: given twice \(folders 2 and 4\); expected each shard once\n$/);
  // a shard of another experiment (its experiment.json read only as far as its hash), and a shard whose records are
  // another experiment's than its experiment.json says
  const other = join(dir, 'shard-other');
  assert.is(cli('ensemble', BASELINE, '--runs', '60', '--seed', '2', '--out', other, '--shard', '2/3', '--workers', '1', '--quiet').status, 0);
  const otherHash = readMetaFile(other)!.hash;
  let bad = cli('merge', shards[0], other, shards[2], '--out', join(dir, 'bad-merge'));
  assert.is(bad.status, 2);
  assert.match(bad.stderr, new RegExp(`shard-other: holds experiment ${otherHash.slice(0, 12)}, not [0-9a-f]{12} like .*shard-1; expected shards of one experiment\n$`));
  const mixed = join(dir, 'shard-mixed');
  cpSync(shards[1], mixed, { recursive: true });
  cpSync(join(other, 'runs.bin'), join(mixed, 'runs.bin'));
  bad = cli('merge', shards[0], mixed, shards[2], '--out', join(dir, 'bad-merge'));
  assert.is(bad.status, 2);
  assert.match(bad.stderr, new RegExp(`shard-mixed/runs\\.bin: holds runs of experiment ${otherHash.slice(0, 12)}, not [0-9a-f]{12} like its experiment\\.json; expected the records of a shard\n$`));
  assert.not.ok(existsSync(join(dir, 'bad-merge', 'runs.csv')));
  // as a library: a refused merge leaves no file open, whichever shard it refused (the stores opened before it were kept)
  if (existsSync('/proc/self/fd')) {
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    const missing = join(dir, 'shard-no-store');
    cpSync(shards[2], missing, { recursive: true });
    rmSync(join(missing, 'runs.bin'));
    for (const folders of [[shards[0], mixed, shards[2]], [shards[0], shards[1], missing]]) {
      assert.throws(() => mergeShards(folders, join(dir, 'bad-merge'), {}), /holds runs of experiment|is missing or not a run store/);
      assert.is(open(), before, folders.join(' '));
    }
  }
});

test('more shards than runs: the empty shards merge in any order, and the series read back equal the whole\'s', () => {
  // 2 runs in 4 shards: shards 1 and 3 are empty, and start where shards 2 and 4 do; given after them, an empty shard
  // was refused as overlapping ("overlaps another shard at run 0")
  const whole = join(dir, 'few-whole');
  assert.is(cli('ensemble', BASELINE, '--runs', '2', '--keep', 'trade_usd', '--out', whole, '--workers', '1', '--quiet').status, 0);
  const shards = [1, 2, 3, 4].map((i) => join(dir, 'few', `shard-${i}`));
  shards.forEach((s, k) => assert.is(cli('ensemble', BASELINE, '--runs', '2', '--keep', 'trade_usd', '--out', s, '--shard', `${k + 1}/4`, '--workers', '1', '--quiet').status, 0));
  assert.equal(shards.map((s) => { const h = RunStore.header(join(s, 'runs.bin'))!; return [h.first, h.end]; }), [[0, 0], [0, 1], [1, 1], [1, 2]]);
  // and `series` wrote only run 0, with a note that the folders held no more
  assert.is(cli('series', whole, '--out', join(whole, 'series.csv'), '--quiet').status, 0);
  for (const order of [[1, 0, 3, 2], [3, 2, 1, 0], [0, 1, 2, 3]]) {
    const merged = join(dir, `few-merged-${order.join('')}`);
    const r = cli('merge', ...order.map((k) => shards[k]), '--out', merged, '--quiet');
    assert.is(r.status, 0, r.stderr);
    for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(merged, f), read(whole, f), `${f}, shards given ${order}`);
    const exported = cli('series', ...order.map((k) => shards[k]), '--out', join(merged, 'series.csv'));
    assert.is(exported.status, 0, exported.stderr);
    assert.not.match(exported.stderr, /note/);
    assert.is(read(merged, 'series.csv'), read(whole, 'series.csv'), `series, shards given ${order}`);
  }
  // with a shard left out: an empty shard given last "ended at run -1", and one run missing read "runs 1-1 are"
  const alone = cli('merge', shards[0], '--out', join(dir, 'few-gap'));
  assert.is(alone.status, 2);
  assert.match(alone.stderr, /shard-1: holds no runs \(a shard of more shards than runs\); runs 0-1 are in no folder given\n$/);
  const short = cli('merge', shards[0], shards[1], '--out', join(dir, 'few-gap'));
  assert.is(short.status, 2);
  assert.match(short.stderr, /shard-2: ends at run 0; run 1 is in no folder given\n$/);
  const late = cli('series', shards[0], shards[3], '--out', join(dir, 'few-gap.csv'));
  assert.is(late.status, 2);
  assert.match(late.stderr, /^spillover: run 0: is in no folder given; expected the folders of every shard that holds a run exported\n$/);
});

test('a merge into a folder that cannot be made says so in one line, with no note on room before it', () => {
  // /proc has 0 KB free: the note on the room quantiles.csv needs came first, about a folder never made
  if (!existsSync('/proc/self')) return;
  const r = cli('merge', ...[1, 2, 3, 4].map((i) => join(dir, 'few', `shard-${i}`)), '--out', '/proc/spillover-test-merge');
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /^spillover: cannot write "\/proc\/spillover-test-merge": [^\n]+; expected a folder that can be written\n$/);
});

test('shard stores are read without being written or held open: a read-only folder serves, a thousand shards do not run out of files', () => {
  const shards = [1, 2, 3].map((i) => join(dir, `shard-${i}`));
  const fds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : 0);
  const before = fds();
  const { meta, shards: open, close } = openShards(shards);
  try {
    // checked, then closed until read: a merge of 1,000 shards opened 1,000 files and failed at the limit of 1,024
    assert.is(fds(), before, 'no store held open once checked');
    const rows: Uint8Array[] = [];
    writeSeries(meta, open, [0], 0, meta.runs, (b) => rows.push(b.slice()));
    assert.ok(rows.length > 0);
    assert.is(fds(), before, 'each store closed again once read');
    // opened for reading only, so that a read-only folder (an archived study, a colleague's) serves: it was opened for
    // writing too, and refused "cannot write ... read-only file system"
    assert.throws(() => open[0].store.writeRecords(0, new Uint8Array(open[0].store.layout.bytes)), /EBADF/);
    // a store replaced between two reads (a shard run again meanwhile) is refused, not read as if it were the same
    const replaced = join(dir, 'shard-replaced');
    cpSync(shards[1], replaced, { recursive: true });
    const again = openShards([shards[0], replaced, shards[2]]);
    try {
      cpSync(join(shards[0], 'runs.bin'), join(replaced, 'runs.bin'));
      assert.throws(() => writeSeries(meta, again.shards, [0], 20, 21, () => {}), /shard-replaced\/runs\.bin: was replaced while this command read it/);
      // or removed (it said "cannot write" it, a folder that can be written expected)
      rmSync(join(replaced, 'runs.bin'));
      assert.throws(() => writeSeries(meta, again.shards, [0], 20, 21, () => {}), /shard-replaced\/runs\.bin: was removed while this command read it/);
    } finally {
      again.close();
    }
  } finally {
    close();
  }
  assert.is(fds(), before);
});

test('a run killed mid-way and resumed equals an uninterrupted one', async () => {
  const whole = join(dir, 'w1');
  const killed = join(dir, 'killed');
  // a real kill -9 once records are being written
  const child = spawn(process.execPath, [BIN, 'ensemble', BASELINE, '--runs', '60', '--out', killed, '--workers', '1', '--quiet']);
  // listened for from the start: a child that ended before the kill (it failed, or finished) has no exit to wait for
  // later, and waiting for one emptied the event loop, ending the file as "Exiting early" with no failure shown
  const exited = new Promise((r) => child.on('exit', r));
  await new Promise((r) => setTimeout(r, 50));
  for (let t = 0; t < 200 && !existsSync(join(killed, 'runs.bin')); t++) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGKILL');
  await exited;
  // and a record torn half-way, as a crash inside a write leaves it (the kill may also have come before the
  // store's header was written: a state resume must handle too, by starting the store again)
  const bin = join(killed, 'runs.bin');
  const bytes = existsSync(bin) ? readFileSync(bin) : Buffer.alloc(0);
  let recordBytes = 0;
  try {
    recordBytes = JSON.parse(bytes.subarray(0, 4096).toString().trim()).recordBytes;
  } catch {
    recordBytes = 0;
  }
  if (recordBytes > 0 && bytes.length >= 4096 + 6 * recordBytes) {
    bytes.fill(0, 4096 + 5 * recordBytes + 100, 4096 + 6 * recordBytes);
    writeFileSync(bin, bytes);
  }
  const r = cli('ensemble', BASELINE, '--runs', '60', '--out', killed, '--workers', '2', '--resume');
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /runs in/);
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(killed, f), read(whole, f), f);
  const other = cli('ensemble', BASELINE, '--runs', '61', '--out', killed, '--resume', '--quiet');
  assert.is(other.status, 2);
  assert.match(other.stderr, /runs\.bin: was made by another experiment; expected runs 0-60 of experiment [0-9a-f]{12} \(to keep the runs the two share, give it to --reuse with another --out; or remove the folder, or run without --resume\)\n$/);
  // nor is a store whose records have another size (other kept variables) taken for none and overwritten
  const store = readFileSync(bin);
  const kept = cli('ensemble', BASELINE, '--runs', '60', '--keep', 'trade_usd', '--out', killed, '--resume', '--quiet');
  assert.is(kept.status, 2, kept.stderr);
  assert.match(kept.stderr, /runs\.bin: was made by another experiment/);
  assert.ok(readFileSync(bin).equals(store), 'the store is left as it was');
  assert.equal(readdirSync(killed).filter((f) => f.startsWith('.tmp')), []);
  // the folder of an earlier model (its version is in the hash): no runs to share, so no --reuse to suggest
  const earlier = join(dir, 'resume-earlier-model');
  cpSync(killed, earlier, { recursive: true });
  const meta = join(earlier, 'experiment.json');
  writeFileSync(meta, readFileSync(meta, 'utf8').replace(`"modelVersion":"${MODEL_VERSION}"`, '"modelVersion":"0.0.1"'));
  const older = cli('ensemble', BASELINE, '--runs', '61', '--out', earlier, '--resume', '--quiet');
  assert.is(older.status, 2);
  assert.match(older.stderr, new RegExp(`runs\\.bin: was made by model 0\\.0\\.1, whose runs differ from model ${MODEL_VERSION.replace(/\./g, '\\.')}'s; expected runs 0-60 of experiment [0-9a-f]{12} \\(remove the folder, or run without --resume\\)\n$`));
});

/** Whether the run store `bin` holds run 0's record, sealed (its trailer's run id + 1 is 1). */
function firstRunStored(bin: string): boolean {
  if (!existsSync(bin)) return false;
  const bytes = readFileSync(bin);
  try {
    const { recordBytes } = JSON.parse(bytes.subarray(0, 4096).toString().trim());
    return bytes.length >= 4096 + recordBytes && bytes.readDoubleLE(4096 + recordBytes - 16) === 1;
  } catch {
    return false; // its header not written yet
  }
}

test('Ctrl-C (or SLURM\'s SIGTERM) says what is kept and how to carry on, exits 130 (143); resumed, the same outputs', async () => {
  const whole = join(dir, 'stopped-whole');
  const args = (out: string) => ['ensemble', BASELINE, '--runs', '5000', '--keep', 'integration_index', '--out', out, '--quiet'];
  assert.is(cli(...args(whole), '--workers', '1').status, 0);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    const stopped = join(dir, `stopped-${signal}`);
    const child = spawn(process.execPath, [BIN, ...args(stopped), '--workers', '1']);
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // the signal once the first run is stored (its record sealed: the command has counted it), not at a fixed delay,
    // which on a slow machine came before any run and got "with no runs finished"
    for (let t = 0; t < 1000 && !firstRunStored(join(stopped, 'runs.bin')); t++) await new Promise((r) => setTimeout(r, 10));
    child.kill(signal);
    const exit = await exited;
    if (exit !== 0) {
      // (0: it finished before the signal came, and had nothing to say)
      assert.is(exit, code, stderr);
      assert.match(stderr, new RegExp(`^spillover: stopped by ${signal} with \\d+ of 5000 runs finished, kept in .*stopped-${signal}/runs\\.bin; the same command with --resume carries on\\n$`));
    }
    const r = cli(...args(stopped), '--workers', '2', '--resume');
    assert.is(r.status, 0, r.stderr);
    for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(stopped, f), read(whole, f), `${signal}: ${f}`);
  }
});

test('resume starts the store again when a crash left it without a header or cut short', () => {
  const whole = join(dir, 'w1');
  // and with its header, cut short before its records were laid out
  const header = readFileSync(join(whole, 'runs.bin')).subarray(0, 4096);
  for (const [name, content] of [['empty', Buffer.alloc(0)], ['short', Buffer.alloc(100, 0x20)], ['header', header]] as const) {
    const folder = join(dir, `crashed-${name}`);
    writeFixture(dir, `crashed-${name}/runs.bin`, content.toString());
    const r = cli('ensemble', BASELINE, '--runs', '60', '--out', folder, '--resume', '--quiet');
    assert.is(r.status, 0, r.stderr);
    for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(folder, f), read(whole, f), `${name}: ${f}`);
  }
});

test('without --resume, a store of this experiment with runs still to do is refused, not started again; a whole one is', () => {
  const whole = join(dir, 'w1'), stopped = join(dir, 'stopped-unasked');
  keepFirstRuns(whole, stopped, 20);
  const store = readFileSync(join(stopped, 'runs.bin'));
  const r = cli('ensemble', BASELINE, '--runs', '60', '--out', stopped, '--quiet');
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /^spillover: .*stopped-unasked\/runs\.bin: holds 20 of this experiment's 60 runs, finished before it was stopped; expected --resume, which keeps them and runs the rest \(or remove the folder to start again\)\n$/);
  assert.ok(readFileSync(join(stopped, 'runs.bin')).equals(store), 'the store is left as it was');
  // a shard says so
  const shard = join(dir, 'stopped-unasked-shard');
  assert.is(cli('ensemble', BASELINE, '--runs', '60', '--shard', '2/2', '--out', shard, '--quiet').status, 0);
  keepFirstRuns(shard, `${shard}-stopped`, 5);
  assert.match(cli('ensemble', BASELINE, '--runs', '60', '--shard', '2/2', '--out', `${shard}-stopped`, '--quiet').stderr, /holds 5 of this shard's 30 runs/);
  // with every run finished, the command runs them all again, as before: the same bytes
  const again = join(dir, 'whole-again');
  cpSync(whole, again, { recursive: true });
  assert.is(cli('ensemble', BASELINE, '--runs', '60', '--out', again, '--quiet').status, 0);
  for (const f of ['runs.csv', 'quantiles.csv', 'runs.bin']) assert.ok(readFileSync(join(again, f)).equals(readFileSync(join(whole, f))), f);
});

test("shards given one folder: the next is refused rather than run over the last one's runs; by default each shard has a folder of its own", () => {
  const whole = join(dir, 'w1'), same = join(dir, 'one-folder');
  const shard = (i: number, ...more: string[]) => cli('ensemble', BASELINE, '--runs', '60', '--shard', `${i}/3`, '--out', same, '--quiet', ...more);
  assert.is(shard(1).status, 0);
  const store = readFileSync(join(same, 'runs.bin'));
  const second = shard(2);
  assert.is(second.status, 2, second.stderr);
  assert.match(second.stderr, /^spillover: .*one-folder\/runs\.bin: holds 20 finished runs of another shard of this experiment \(runs 0-19\), which this shard \(runs 20-39\) would replace; expected a folder of its own for each shard \(--out; by default output\/<name>\/shard-I\), or remove the folder to start again\n$/);
  assert.ok(readFileSync(join(same, 'runs.bin')).equals(store), 'the first shard\'s runs are left as they were');
  assert.match(cli('ensemble', BASELINE, '--runs', '60', '--shard', '1/3', '--out', join(dir, 'one-folder-2')).stdout, /combine the shards with: spillover merge <shard folders\.\.\.> --out <folder>\n$/);
  // a folder named shard-I, as --emit-slurm's tasks name theirs: the merge in full
  const named = cli('ensemble', BASELINE, '--runs', '60', '--shard', '2/3', '--out', join(dir, 'layout', 'shard-2'));
  assert.match(named.stdout, /combine the shards with: spillover merge \S*layout\/shard-\{1\.\.3\} --out \S*layout\n$/);
  // quoted for the shell where the folder needs it: the line pasted into bash merges (it was given bare, and broke there)
  const odd = join(dir, "odd folder 'q' & $x");
  for (const i of [1, 2, 3]) {
    const r = cli('ensemble', BASELINE, '--runs', '60', '--shard', `${i}/3`, '--out', join(odd, `shard-${i}`));
    assert.is(r.status, 0, r.stderr);
    if (i < 3) continue;
    const line = /combine the shards with: spillover (merge .*)\n$/.exec(r.stdout)?.[1];
    assert.ok(line?.includes(`'\\''q'\\''`), r.stdout);
    const pasted = spawnSync('bash', ['-c', `${JSON.stringify(process.execPath)} ${BIN} ${line} --quiet`], { encoding: 'utf8' });
    assert.is(pasted.status, 0, pasted.stderr);
    assert.is(read(odd, 'runs.csv'), read(whole, 'runs.csv'));
  }
  // the whole experiment over a shard's runs says where they can still serve
  assert.match(cli('ensemble', BASELINE, '--runs', '60', '--out', same, '--quiet').stderr, /holds 20 finished runs of another shard of this experiment \(runs 0-19\), which the whole experiment would replace; expected another --out \(where --reuse copies/);
  // and a shard over the whole experiment's
  assert.match(cli('ensemble', BASELINE, '--runs', '60', '--shard', '2/3', '--out', whole, '--quiet').stderr, /w1\/runs\.bin: holds 60 finished runs of the whole of this experiment, which this shard/);
  assert.is(read(whole, 'runs.csv').split('\n').length, 62);
  // a Kubernetes Indexed Job's tasks run the same command, with no --out: each shard goes to output/<name>/shard-I
  const project = join(dir, 'indexed-job');
  mkdirSync(project);
  const { FORCE_COLOR: _f, NO_COLOR: _n, ...env }: NodeJS.ProcessEnv = process.env;
  const inProject = (extra: NodeJS.ProcessEnv, ...args: string[]) => spawnSync(process.execPath, [resolve(BIN), ...args], { cwd: project, encoding: 'utf8', env: { ...env, ...extra } });
  for (const index of ['0', '1', '2']) {
    const task = inProject({ JOB_COMPLETION_INDEX: index }, 'ensemble', BASELINE, '--runs', '60', '--shard-count', '3');
    assert.is(task.status, 0, task.stderr);
    assert.match(task.stdout, new RegExp(`shard ${Number(index) + 1}/3 done in output/baseline-ensemble/shard-${Number(index) + 1}/; combine the shards with: spillover merge output/baseline-ensemble/shard-\\{1\\.\\.3\\} --out output/baseline-ensemble\n`));
  }
  // the merge as the command said (a shell expands the braces), and the same without --out: the folder the shards are in
  const shardFolders = [1, 2, 3].map((i) => `output/baseline-ensemble/shard-${i}`);
  const merge = inProject({}, 'merge', ...shardFolders, '--out', 'output/baseline-ensemble', '--quiet');
  assert.is(merge.status, 0, merge.stderr);
  const byDefault = inProject({}, 'merge', ...shardFolders);
  assert.is(byDefault.status, 0, byDefault.stderr);
  assert.match(byDefault.stdout, /^baseline-ensemble: merged 3 shards, 60 runs, into output\/baseline-ensemble\/\n$/);
  // but not into the working folder, nor where the folders are not one folder's shard-I
  const inWorking = spawnSync(process.execPath, [resolve(BIN), 'merge', 'shard-1', 'shard-2', 'shard-3'], { cwd: join(project, 'output', 'baseline-ensemble'), encoding: 'utf8', env });
  assert.match(inWorking.stderr, /^spillover: --out: is not given, and the shard folders are in the working folder, which a merge does not write into unasked; expected --out DIR for the merged outputs\n$/);
  assert.match(inProject({}, 'merge', shardFolders[0], same).stderr, /^spillover: --out: is not given, and the folders given are not the shard-I folders of one folder/);
  const folder = join(project, 'output', 'baseline-ensemble');
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(folder, f), read(whole, f), f);
  // the study moved elsewhere: its merged folder still finds its shards, inside it, though the merge named them relative to the project
  const moved = join(dir, 'indexed-job-moved');
  renameSync(folder, moved);
  // read from a project whose output/baseline-ensemble/shard-I, where the merge's relative names lead, are another experiment's shards
  for (const index of ['0', '1', '2']) assert.is(inProject({ JOB_COMPLETION_INDEX: index }, 'ensemble', BASELINE, '--runs', '30', '--shard-count', '3', '--quiet').status, 0);
  const series = inProject({}, 'series', moved, '--keep', 'trade_usd', '--out', join(dir, 'indexed-job.csv'), '--quiet');
  assert.is(series.status, 0, series.stderr);
  assert.is(cli('series', whole, '--keep', 'trade_usd', '--out', join(dir, 'w1.csv'), '--quiet').status, 0);
  assert.is(readFileSync(join(dir, 'indexed-job.csv'), 'utf8'), readFileSync(join(dir, 'w1.csv'), 'utf8'));
});

test("a hypercube's high bound is never drawn: bounds reaching the scenario's end are taken for a shock's onset", async () => {
  const x = await resolveExperiment({ name: 'late', scenario: resolve('scenarios/kyrgyz-tajik-clash.json'), design: { type: 'lhs', samples: 50, parameters: { 'shocks.0.at': [2039, 2040] } }, replicates: 1 }, 'late.json', dir);
  assert.is(x.points.count, 50);
  for (let k = 0; k < x.points.count; k++) assert.ok(x.points.values[k] >= 2039 && x.points.values[k] < 2040, String(x.points.values[k]));
  assert.is(lhsHighest(2039, 2040, 50) < 2040, true);
});

test('bad experiment files and options: one line, exit 2', () => {
  const bad = (doc: unknown, pattern: RegExp) => {
    const file = writeFixture(dir, 'bad-experiment.json', doc);
    const r = cli('sweep', file, '--out', join(dir, 'never'));
    assert.is(r.status, 2, r.stderr);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, pattern);
  };
  const ok = { name: 'x', scenario: BASELINE, design: { type: 'grid', parameters: { 'policies.benefitSharing': [0, 1] } } };
  bad({ ...ok, replicats: 3 }, /bad-experiment\.json: replicats: unknown key; did you mean "replicates"\?/);
  // the name is the default output folder: "." or ".." would be the output folder itself or outside it
  bad({ ...ok, name: '..' }, /bad-experiment\.json: name: "\.\.": expected letters, digits, "\.", "_" or "-", starting with a letter or digit$/m);
  // and its folder's name, with what is added to it, must be one a file system takes
  bad({ ...ok, name: 'n'.repeat(101) }, /bad-experiment\.json: name: "n+\.\.\. has 101 characters; expected at most 100 characters$/m);
  // a fraction where a whole number goes says which whole numbers: it said only "is not an integer"
  bad({ ...ok, seed: -1.5 }, /bad-experiment\.json: seed: -1\.5 is not an integer; expected a whole number from 0 to 4294967295\n$/);
  bad({ ...ok, design: { type: 'factorial' } }, /bad-experiment\.json: design\.type: "factorial": expected one of "grid", "lhs", "csv", "replicates"/);
  // left out, it read "nothing: expected one of"
  bad({ ...ok, design: { parameters: ok.design.parameters } }, /bad-experiment\.json: design\.type: missing; expected one of "grid", "lhs", "csv", "replicates"\n$/);
  bad({ ...ok, design: { type: 'grid', parameters: { 'policies.benefitShare': [0, 1] } } }, /design\.parameters\["policies\.benefitShare"\]: "policies\.benefitShare" names nothing in the scenario; did you mean "policies\.benefitSharing"\?\n$/);
  bad({ ...ok, design: { type: 'grid', parameters: { 'nothing.like.it': [0, 1] } } }, /"nothing\.like\.it" names nothing in the scenario; expected the dotted path of a number in .*baseline\.json\n$/);
  // a scenario file's addShocks are appended to the shocks it inherits: the path a design needs is the resolved one
  const added = writeFixture(dir, 'added-shock.json', { extends: BASELINE, name: 'added', addShocks: [{ type: 'border_clash', at: 2028, duration: 1, magnitude: 0.5, targets: ['KGZ', 'TJK'] }] });
  bad({ ...ok, scenario: added, design: { type: 'grid', parameters: { 'addShocks.0.magnitude': [0.2, 0.8] } } },
    /"addShocks\.0\.magnitude" names nothing in the scenario; a scenario's addShocks are appended to the shocks it inherits, so this one is shocks\.5: did you mean "shocks\.5\.magnitude"\?\n$/);
  bad({ ...ok, scenario: './nope.json' }, /bad-experiment\.json: scenario: cannot read ".*nope\.json": no such file/);
  bad({ ...ok, scenario: resolve('scenarios') }, /bad-experiment\.json: scenario: "scenarios" is a folder; expected a scenario file\n$/);
  // an empty design file names the experiment's folder: an internal error (EISDIR) until 0.3.6
  bad({ ...ok, design: { type: 'csv', file: '' } }, /bad-experiment\.json: design\.file: ".*" is a folder; expected a CSV file of design points/);
  // a design's values get the checks the scenario's own do: they ran unchecked
  bad({ ...ok, design: { type: 'grid', parameters: { 'policies.benefitSharing': [0, 5] } } }, /design\.parameters\["policies\.benefitSharing"\]: 5 is out of range; expected a number <= 1/);
  bad({ ...ok, design: { type: 'lhs', samples: 3, parameters: { 'states.KAZ.population': [-5, 10] } } }, /design\.parameters\["states\.KAZ\.population"\]: -5 is out of range; expected a number > 0/);
  bad({ ...ok, scenario: resolve('scenarios/kyrgyz-tajik-clash.json'), design: { type: 'grid', parameters: { 'shocks.0.at': [2030, 2050] } } }, /design\.parameters\["shocks\.0\.at"\]: 2050 is outside the scenario; expected a decimal year in \[2025, 2040\)/);
  // a grid gives its values as they are: a shock at the end would never strike
  bad({ ...ok, scenario: resolve('scenarios/kyrgyz-tajik-clash.json'), design: { type: 'grid', parameters: { 'shocks.0.at': [2030, 2040] } } }, /design\.parameters\["shocks\.0\.at"\]: 2040 is the scenario's end, where no step starts/);
  bad({ ...ok, scenario: resolve('scenarios/kyrgyz-tajik-clash.json'), design: { type: 'lhs', samples: 4, parameters: { 'shocks.0.at': [2030, 2041] } } }, /design\.parameters\["shocks\.0\.at"\]: 2041 is outside the scenario/);
  writeFileSync(join(dir, 'too-much.csv'), 'policies.benefitSharing\n0.5\n1.5\n0.25\n');
  bad({ ...ok, design: { type: 'csv', file: 'too-much.csv' } }, /too-much\.csv: line 3, column "policies\.benefitSharing": 1\.5 is out of range; expected a number <= 1/);
  // a spreadsheet set to a decimal comma saves its CSV with semicolons
  writeFileSync(join(dir, 'semicolons.csv'), 'policies.benefitSharing;spillover.strength\n0,5;1\n');
  // a design file varying the scenario's end gave its points other steps, written as if they had the same
  writeFileSync(join(dir, 'ends.csv'), 'end\n2040\n2030\n');
  bad({ ...ok, design: { type: 'csv', file: 'ends.csv' } }, /ends\.csv: line 1: column "end": expected a dotted path such as "policies\.benefitSharing" \(every design point has the scenario's start, end and stepsPerYear\)/);
  // and in the file itself, which said only "expected a dotted path", as if stepsPerYear were misspelt
  bad({ ...ok, design: { type: 'grid', parameters: { stepsPerYear: [4, 12] } } }, /design\.parameters\.stepsPerYear: key "stepsPerYear": expected a dotted path such as "policies\.benefitSharing" \(every design point has the scenario's start, end and stepsPerYear\)$/m);
  writeFileSync(join(dir, 'twice.csv'), 'policies.benefitSharing,policies.benefitSharing\n0.1,0.9\n');
  bad({ ...ok, design: { type: 'csv', file: 'twice.csv' } }, /twice\.csv: line 1: column "policies\.benefitSharing" appears twice; expected each parameter path once/);
  // a column naming nothing in the scenario is named in the design file's header, not as the experiment's design.file
  writeFileSync(join(dir, 'misspelt.csv'), 'policies.benefitSharing,policies.benefitShare\n0.1,0.9\n');
  bad({ ...ok, design: { type: 'csv', file: 'misspelt.csv' } }, /misspelt\.csv: line 1: column "policies\.benefitShare" names nothing in the scenario; did you mean "policies\.benefitSharing"\?\n$/);
  // a points.csv's `point` column is ignored, and then there must be parameters besides
  writeFileSync(join(dir, 'only-point.csv'), 'point\n0\n1\n');
  bad({ ...ok, design: { type: 'csv', file: 'only-point.csv' } }, /only-point\.csv: line 1: has no parameter columns; expected one column per parameter path, such as "policies\.benefitSharing"/);
  writeFileSync(join(dir, 'point-later.csv'), 'policies.benefitSharing,point\n0.5,0\n');
  bad({ ...ok, design: { type: 'csv', file: 'point-later.csv' } }, /point-later\.csv: line 1: column "point": expected a dotted path/);
  writeFileSync(join(dir, 'unnamed.csv'), 'policies.benefitSharing,\n0.1,\n');
  bad({ ...ok, design: { type: 'csv', file: 'unnamed.csv' } }, /unnamed\.csv: line 1: column 2 has no name \(a trailing comma\?\)/);
  // saved as "Unicode text" by Excel: UTF-16 with a byte order mark (its header was a column of mojibake and NULs)
  writeFileSync(join(dir, 'utf16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('policies.benefitSharing\r\n0.5\r\n', 'utf16le')]));
  bad({ ...ok, design: { type: 'csv', file: 'utf16.csv' } }, /utf16\.csv: is UTF-16 text \(as Windows saves "Unicode"\); expected UTF-8 \(in Excel, save as "CSV UTF-8"; in an editor, choose UTF-8\)\n$/);
  bad({ ...ok, design: { type: 'csv', file: 'semicolons.csv' } }, /semicolons\.csv: line 2: malformed CSV: 2 fields; expected 1: fields separated by commas, not semicolons/);
  // ... and with decimal points, or tabs, every row one field: the header was told only that it is not a dotted path
  writeFileSync(join(dir, 'semicolon-points.csv'), 'policies.benefitSharing;spillover.strength\n0.5;1\n');
  bad({ ...ok, design: { type: 'csv', file: 'semicolon-points.csv' } }, /semicolon-points\.csv: line 1: column "policies\.benefitSharing;spillover\.strength" holds semicolons; expected fields separated by commas, not semicolons, as pandas' to_csv and R's write\.csv write them \(not write\.csv2\)$/m);
  writeFileSync(join(dir, 'tabs.csv'), 'policies.benefitSharing\tspillover.strength\n0.5\t1\n');
  bad({ ...ok, design: { type: 'csv', file: 'tabs.csv' } }, /tabs\.csv: line 1: column "policies\.benefitSharing\\tspillover\.strength" holds tabs; expected fields separated by commas, not tabs/);
  // a repeated point repeats the same runs (its seeds come from its values): copies a study would count as replicates
  bad({ ...ok, design: { type: 'grid', parameters: { 'spillover.strength': [0, 1], 'policies.benefitSharing': [0, 0.5, 1, 0.5] } } }, /design\.parameters\["policies\.benefitSharing"\]\[3\]: 0\.5 is listed twice \(also at \[1\]\); expected distinct values: a point's runs are seeded from its values, so a repeated point repeats the same runs \(for more runs of a point, raise replicates\)\n$/);
  writeFileSync(join(dir, 'repeats.csv'), 'policies.benefitSharing,spillover.strength\n0,1\n0.5,1\n0.5,2\n0.50,1\n');
  bad({ ...ok, design: { type: 'csv', file: 'repeats.csv' } }, /repeats\.csv: line 5: repeats the design point of line 3; expected each point once: a point's runs are seeded/);
  bad({ ...ok, design: { type: 'lhs', samples: 3, parameters: { 'policies.benefitSharing': [0.5, 0.5] } } }, /design\.parameters: samples 1 and 2 are the same point \(their bounds too narrow to tell the strata apart\); expected distinct points/);
  bad({ ...ok, keep: ['cooperation.custom'] }, /keep\[0\]: "cooperation\.custom" is not a variable the model records; did you mean "cooperation\.customs"\?/);
  // an ensemble's keep comes from the command line, and its error says so, not the scenario file (which has no keep)
  const keep = cli('ensemble', BASELINE, '--runs', '4', '--keep', 'trade_usd, cooperation.custom', '--out', join(dir, 'never'));
  assert.is(keep.status, 2, keep.stderr);
  assert.is(keep.stderr, 'spillover: --keep: "cooperation.custom" is not a variable the model records; did you mean "cooperation.customs"?\n');
  bad({ ...ok, design: { type: 'lhs', samples: 4, parameters: { 'policies.benefitSharing': [0] } } }, /design\.parameters\["policies\.benefitSharing"\]: \[0\] has 1 item; expected at least 2 items$/m);
  bad({ ...ok, design: { type: 'grid', parameters: { 'policies.benefitSharing': [] } } }, /design\.parameters\["policies\.benefitSharing"\]: \[\] has 0 items; expected at least 1 item$/m);
  bad('{ "name": "x", }', /bad-experiment\.json: line 1, column 16: malformed JSON/);
  bad(`{"name":"x","scenario":${JSON.stringify(BASELINE)},"seed":1,"replicates":2,"seed":2}`, /bad-experiment\.json: seed: appears twice in its object \(line 1, columns \d+ and \d+\); expected each key once/);
  // the wrong kind of file, either way round (they said "scenario: missing" and "start: missing")
  bad({ extends: BASELINE, name: 'a-scenario' }, /bad-experiment\.json: is a scenario file, not an experiment; expected an experiment file \(for many runs of one scenario: spillover ensemble SCENARIO --runs N\)\n$/);
  bad({ ...ok, scenario: resolve('experiments/benefit-sharing.json') }, /experiments\/benefit-sharing\.json: is an experiment file, not a scenario; expected a scenario \(an experiment runs with spillover sweep\)\n$/);
  bad({ ...ok, design: { type: 'lhs', samples: 4, parameters: { 'policies.benefitSharing': [1, 0] } } }, /design\.parameters\["policies\.benefitSharing"\]: \[1,0\] has its low bound above its high; expected \[low, high\]/);
  bad({ ...ok, design: { type: 'lhs', samples: 4, parameters: {} } }, /design\.parameters: \{\} names no parameter; expected \[low, high\] bounds for one parameter path or more/);
  // a grid's values as a range
  const range = (values: unknown) => ({ ...ok, design: { type: 'grid', parameters: { 'policies.benefitSharing': values } } });
  bad(range(0.5), /design\.parameters\["policies\.benefitSharing"\]: 0\.5 is not a list of values or a range \{"from", "to", "by"\}\n$/);
  bad(range({ from: 0, to: 1 }), /design\.parameters\["policies\.benefitSharing"\]\.by: missing; expected a number\n$/);
  bad(range({ from: 0, to: 1, by: 0 }), /design\.parameters\["policies\.benefitSharing"\]\.by: 0 is not a step; expected a number above 0\n$/);
  bad(range({ from: 1, to: 0, by: 0.1 }), /design\.parameters\["policies\.benefitSharing"\]\.to: 0 is below from \(1\); expected a number >= 1\n$/);
  bad(range({ from: 0, to: 2, by: 0.5 }), /design\.parameters\["policies\.benefitSharing"\]: 1\.5 is out of range; expected a number <= 1\n$/);
  bad(range({ from: 0, to: 1, by: 1e-9 }), /design\.parameters: 1,000,000,001 design points of 10 runs are 10,000,000,010 runs; expected at most 10,000,000/);
  // doubles near 1e17 are 16 apart: a step of 1 gives the same value again
  bad(range({ from: 1e17, to: 1e17 + 64, by: 1 }), /\]\.by: 1 is too fine a step near 100000000000000000: it gives that value twice; expected a coarser step\n$/);
  // unknown keys inside a design are told what its type allows (they were "allowed: " and nothing)
  bad({ ...ok, design: { type: 'grid', parameters: { 'policies.benefitSharing': [0] }, foo: 1 } }, /design\.foo: unknown key \(allowed: type, parameters\)\n$/);
  bad({ ...ok, design: { type: 'lhs', samples: 3, parameters: {}, sample: 3 } }, /design\.sample: unknown key; did you mean "samples"\?\n$/);
  // counted before the points are made: 10^8 points took minutes and gigabytes before failing
  const ten = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
  const huge = Object.fromEntries(['policies.benefitSharing', 'policies.disputeResolution', 'spillover.strength', ...['KAZ', 'KGZ', 'TJK', 'TKM', 'UZB'].map((c) => `states.${c}.gdpGrowth`)].map((p) => [p, ten]));
  bad({ ...ok, design: { type: 'grid', parameters: huge } }, /design\.parameters: 100,000,000 design points of 10 runs are 1,000,000,000 runs; expected at most 10,000,000 in one experiment/);
  bad({ ...ok, replicates: 1000, design: { type: 'lhs', samples: 20000, parameters: { 'policies.benefitSharing': [0, 1] } } }, /design\.samples: 20,000 design points of 1,000 runs are 20,000,000 runs/);
  assert.not.ok(existsSync(join(dir, 'never')));
  const shard = cli('ensemble', BASELINE, '--runs', '10', '--shard', '4/3', '--out', join(dir, 'never'));
  assert.is(shard.status, 2);
  assert.match(shard.stderr, /--shard: "4\/3" is not a shard; expected I\/N with 1 <= I <= N/);
  // a shard count below one made a one-task array script
  const count = cli('sweep', writeFixture(dir, 'good-experiment.json', ok), '--shard-count', '0', '--emit-slurm', join(dir, 'never', 'job.sbatch'));
  assert.is(count.status, 2);
  assert.match(count.stderr, /--shard-count: 0 is not a number of shards; expected a whole number from 1 to 1000000/);
  assert.not.ok(existsSync(join(dir, 'never')));
});

test('shards default from SLURM array and Kubernetes Indexed Job variables', () => {
  assert.equal(resolveShard({}, {}), { index: 1, count: 1 });
  assert.equal(resolveShard({}, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' }), { index: 3, count: 4 });
  assert.equal(resolveShard({}, { SLURM_ARRAY_TASK_ID: '12', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_COUNT: '5' }), { index: 3, count: 5 });
  // --array=0-18:2: the task of ID 6 is the fourth of ten (it ran the seventh)
  assert.equal(resolveShard({}, { SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '18', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '10' }), { index: 4, count: 10 });
  // without SLURM_ARRAY_TASK_COUNT (older Slurm releases do not set it): from MIN, MAX and STEP; with neither,
  // refused (every task ran the whole experiment)
  assert.equal(resolveShard({}, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '4' }), { index: 3, count: 4 });
  assert.throws(() => resolveShard({}, { SLURM_ARRAY_TASK_ID: '3' }), /SLURM_ARRAY_TASK_ID: "3" is set without SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MAX; expected --shard I\/N/);
  // a list of IDs not evenly stepped (--array=1,2,5)
  assert.throws(() => resolveShard({}, { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_MAX: '5', SLURM_ARRAY_TASK_STEP: '1', SLURM_ARRAY_TASK_COUNT: '3' }), /is not a shard; expected a task of an array of evenly stepped IDs, or --shard I\/N/);
  // a task submitted again alone (sbatch --array=3, as SLURM 22.05 sets its variables) would be the whole experiment
  assert.throws(() => resolveShard({}, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '3', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_STEP: '1', SLURM_ARRAY_TASK_COUNT: '1' }), /^SLURM_ARRAY_TASK_ID: "3" is the only task of its array \(SLURM_ARRAY_TASK_COUNT=1\), which makes it shard 1\/1, the whole experiment: .*expected --shard 3\/N naming its shard/);
  assert.equal(resolveShard({ shard: '3/4' }, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '3', SLURM_ARRAY_TASK_MAX: '3', SLURM_ARRAY_TASK_COUNT: '1' }), { index: 3, count: 4 });
  for (const id of ['0', '1']) assert.equal(resolveShard({}, { SLURM_ARRAY_TASK_ID: id, SLURM_ARRAY_TASK_MIN: id, SLURM_ARRAY_TASK_MAX: id, SLURM_ARRAY_TASK_COUNT: '1' }), { index: 1, count: 1 });
  assert.equal(resolveShard({ shardCount: 8 }, { JOB_COMPLETION_INDEX: '0' }), { index: 1, count: 8 });
  assert.equal(resolveShard({ shard: '2/5' }, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' }), { index: 2, count: 5 });
  assert.throws(() => resolveShard({}, { JOB_COMPLETION_INDEX: '2' }), /no --shard-count/);
  // a blank index was read as 0 (shard 1), and 0x1 as 1
  for (const index of ['', '0x1']) assert.throws(() => resolveShard({ shardCount: 4 }, { JOB_COMPLETION_INDEX: index }), /JOB_COMPLETION_INDEX: ".*" is not a shard of 4; expected 0 to 3, as an Indexed Job of 4 completions gives$/, index);
  assert.throws(() => resolveShard({}, { SLURM_ARRAY_TASK_ID: '0x2', SLURM_ARRAY_TASK_COUNT: '4' }), /is not a shard/);
  // --shard-count where nothing reads it was passed over: the whole experiment, or a shard of another count, ran
  assert.throws(() => resolveShard({ shardCount: 3 }, {}), /^--shard-count: 3 names no shard to run; expected JOB_COMPLETION_INDEX \(a Kubernetes Indexed Job\) or --shard I\/N with it, or --emit-slurm$/);
  assert.throws(() => resolveShard({ shard: '2/5', shardCount: 4 }, {}), /^--shard-count: 4 and --shard "2\/5" give different numbers of shards; expected one of them$/);
  assert.throws(() => resolveShard({ shardCount: 3 }, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' }), /^--shard-count: 3 is not the 4 tasks of this SLURM array/);
  assert.equal(resolveShard({ shard: '2/5', shardCount: 5 }, {}), { index: 2, count: 5 });
  assert.equal(resolveShard({ shardCount: 4 }, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' }), { index: 1, count: 4 });
  assert.equal(resolveShard({ shardCount: 1 }, {}), { index: 1, count: 1 });
  const ranges = [1, 2, 3].map((i) => shardRange(10, i, 3));
  assert.equal(ranges, [{ first: 0, end: 3 }, { first: 3, end: 6 }, { first: 6, end: 10 }]);
});

test('shards of runs partly copied (--reuse) are blocks of equal cost; with nothing copied, of equal runs', () => {
  const blocks = (runs: number, count: number, copied?: Uint8Array) => Array.from({ length: count }, (_, k) => shardRange(runs, k + 1, count, copied));
  for (const [runs, count] of [[10, 3], [7, 7], [1000, 13], [5, 8]]) assert.equal(blocks(runs, count, new Uint8Array(runs)), blocks(runs, count), `${runs}/${count}`);
  // 60 runs, the first 30 copied (a quarter of the cost of one computed): 150 units, 50 a shard
  const copied = new Uint8Array(60).fill(1, 0, 30);
  assert.equal(blocks(60, 3, copied), [{ first: 0, end: 35 }, { first: 35, end: 47 }, { first: 47, end: 60 }]);
  // every block holds a run while there are as many runs as shards, the copied ones all in one place or not
  for (const [runs, count] of [[3, 3], [40, 20], [101, 7]]) {
    const some = new Uint8Array(runs).map((_, id) => (id % 5 < 3 ? 1 : 0));
    for (const mask of [new Uint8Array(runs).fill(1, 0, runs - 1), some]) {
      const b = blocks(runs, count, mask);
      b.forEach((r, k) => {
        assert.ok(r.end > r.first, `${runs}/${count}: shard ${k + 1} is empty`);
        assert.is(r.first, k === 0 ? 0 : b[k - 1].end);
      });
      assert.is(b[count - 1].end, runs);
    }
  }
});

test('a grid range gives the decimals its list would, the same points, runs and hash as the list', async () => {
  assert.equal(rangeValues({ from: 0, to: 1, by: 0.1 }), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
  // (0.3 - 0) / 0.1 is 2.9999999999999996 steps: 0.3 is reached
  assert.equal(rangeValues({ from: 0, to: 0.3, by: 0.1 }), [0, 0.1, 0.2, 0.3]);
  assert.equal(rangeValues({ from: 0.05, to: 0.5, by: 0.15 }), [0.05, 0.2, 0.35, 0.5]);
  // `to` is included only when a whole number of steps reach it
  assert.equal(rangeValues({ from: 1, to: 2.9, by: 0.5 }), [1, 1.5, 2, 2.5]);
  assert.equal(rangeValues({ from: -0.2, to: 0.2, by: 0.1 }), [-0.2, -0.1, 0, 0.1, 0.2]);
  assert.equal(rangeValues({ from: 0, to: 3e-7, by: 1e-7 }), [0, 1e-7, 2e-7, 3e-7]);
  assert.equal(rangeValues({ from: 2020, to: 2030, by: 5 }), [2020, 2025, 2030]);
  assert.equal([0.05, 1e-7, 1.5e-7, 20, 2.5e21, 0].map(decimalsOf), [2, 7, 8, 0, 0, 0]);
  const as = async (values: unknown) => resolveExperiment({ name: 'r', scenario: BASELINE, replicates: 2, design: { type: 'grid', parameters: { 'spillover.strength': [0, 1], 'policies.benefitSharing': values } } }, 'r.json', dir);
  const [ranged, listed] = [await as({ from: 0, to: 0.3, by: 0.1 }), await as([0, 0.1, 0.2, 0.3])];
  assert.is(ranged.hash, listed.hash);
  assert.equal(Array.from(ranged.points.values), Array.from(listed.points.values));
  assert.is(ranged.points.count, 8);
});

test('designs: grids are full factorials, Latin hypercubes fill every stratum once', () => {
  const objects = (d: DesignPoints) => Array.from({ length: d.count }, (_, k) => pointAt(d, k));
  assert.equal(objects(gridPoints({ a: [1, 2], b: [10, 20, 30] })).map((p) => `${p.a}/${p.b}`), ['1/10', '1/20', '1/30', '2/10', '2/20', '2/30']);
  assert.equal(objects(gridPoints({ a: [1, 2], b: [10, 20], c: [5] })).map((p) => `${p.a}/${p.b}/${p.c}`), ['1/10/5', '1/20/5', '2/10/5', '2/20/5']);
  const lhs = objects(lhsPoints({ x: [0, 1], y: [10, 20] }, 50, 3));
  for (const [key, [low, high]] of [['x', [0, 1]], ['y', [10, 20]]] as const) {
    const strata = lhs.map((p) => Math.floor(((p[key] - low) / (high - low)) * 50)).sort((a, b) => a - b);
    assert.equal(strata, Array.from({ length: 50 }, (_, k) => k));
  }
  assert.equal(lhsPoints({ x: [0, 1] }, 5, 3), lhsPoints({ x: [0, 1] }, 5, 3));
});

test('repeatedPoint finds the first point that repeats an earlier one, among many, by value (0 and -0 alike)', () => {
  const n = 200_000;
  const values = new Float64Array(2 * n);
  for (let k = 0; k < n; k++) [values[2 * k], values[2 * k + 1]] = [k / n, (k % 7) / 7];
  const design = { parameters: ['a', 'b'], count: n, values };
  assert.is(repeatedPoint(design), undefined);
  // the same pair's values a row apart, and the same first value with another second: no repeat
  values.set([0.25, 0.5], 2 * 1000);
  values.set([0.25, 0.5000000000000001], 2 * 2000);
  assert.is(repeatedPoint(design), undefined);
  values.set([0.25, 0.5], 2 * 150_000);
  assert.equal(repeatedPoint(design), [1000, 150_000]);
  assert.equal(repeatedPoint(packPoints([{ a: 0, b: 1 }, { a: 1, b: 0 }, { a: -0, b: 1 }], ['a', 'b'])), [0, 2]);
  assert.is(designKey(packPoints([{ a: -0 }], ['a']), 0), designKey(packPoints([{ a: 0 }], ['a']), 0), 'as their seeds are one');
  assert.equal(repeatedPoint(lhsPoints({ x: [0.5, 0.5] }, 3, 1)), [0, 1]);
  assert.is(repeatedPoint(lhsPoints({ x: [0.5, 0.5], y: [0, 1] }, 50, 1)), undefined);
  assert.is(repeatedPoint({ parameters: [], count: 1, values: new Float64Array(0) }), undefined);
});

/** A deterministic shuffle of 0..n-1 over n (a permutation of a uniform grid on [0, 1)). */
const grid = (n: number) => Float32Array.from({ length: n }, (_, k) => ((k * 7919) % n) / n);

/** Quantiles of one series fed as `values`, through SeriesStats and (beyond 64) a histogram counted in `parts`. */
function quantilesOf(variable: string, values: Float32Array, parts = 1): number[] {
  const stats = new SeriesStats(1);
  const binnings = [binningFor(variable)];
  const whole = new Histograms(binnings);
  const size = Math.ceil(values.length / parts);
  for (let p = 0; p < parts; p++) {
    const part = values.slice(p * size, (p + 1) * size);
    const h = new Histograms(binnings);
    h.count(part, new Uint32Array(part.buffer), 0, 0, 1, part.length);
    whole.merge(h.takePages());
  }
  for (const x of values) stats.add(Float32Array.of(x));
  return [0.05, 0.25, 0.5, 0.75, 0.95].map((q) => stats.quantile(0, q, whole));
}

test('quantiles: exact (Hazen) up to 64 values; within a bin beyond, whatever the order or split', () => {
  const small = Float32Array.of(0.5, 0.1, 0.9, 0.3, 0.7, 0.2, 0.8, 0.4, 1, 0.6);
  assert.equal(quantilesOf('trust', small).map((x) => +x.toFixed(6)), [0.1, 0.3, 0.55, 0.8, 1]);
  const n = 100000, values = grid(n);
  const whole = quantilesOf('cooperation.customs', values);
  whole.forEach((x, k) => assert.ok(Math.abs(x - [0.05, 0.25, 0.5, 0.75, 0.95][k]) < 1 / 4096, `q${k}: ${x}`));
  assert.equal(quantilesOf('cooperation.customs', values.slice().reverse()), whole, 'order does not matter');
  assert.equal(quantilesOf('cooperation.customs', values, 7), whole, 'histograms counted in parts and merged');
  const stage = Float32Array.from({ length: 1000 }, (_, k) => (k < 300 ? 1 : k < 900 ? 2 : 3));
  assert.equal(quantilesOf('balassa_stage', stage), [1, 1, 2, 2, 3]);
  const money = Float32Array.from({ length: 10000 }, (_, k) => 1e9 * (k + 1));
  assert.ok(Math.abs(quantilesOf('trade_usd', money)[2] / 5.0005e12 - 1) < 0.004, 'money within 0.4%');
  // signed, relative bins for anything else: attribution terms of either sign, and zeros
  const signed = Float32Array.from({ length: 20000 }, (_, k) => (k % 4 === 0 ? 0 : (k % 2 ? 1 : -1) * 1e-3 * (1 + (k % 1000) / 1000)));
  const exact = Array.from(signed).sort((a, b) => a - b);
  quantilesOf('attribution.customs.own', signed).forEach((x, k) => {
    const want = hazenQuantile(exact, [0.05, 0.25, 0.5, 0.75, 0.95][k]);
    assert.ok(Math.abs(x - want) <= 0.016 * Math.abs(want) + 1e-12, `q${k}: ${x} vs ${want}`);
  });
});

test('staged runs count the same as runs counted directly, whatever the stage holds and when the target changes', () => {
  // 3 series, two design points of 100 and 37 runs; stages sized for 100 runs (112), for 20 (32: several passes a
  // point) and by memory alone (64 runs at least)
  const binnings = ['cooperation.customs', 'trade_usd', 'attribution.customs.own'].map(binningFor);
  const run = (r: number) => Float32Array.of(((r * 7919) % 1000) / 1000, 1e9 * (1 + (r % 97)), (r % 2 ? 1 : -1) * 1e-3 * (r % 13));
  const points = [100, 37];
  const direct = points.map((runs, p) => {
    const bySeries = Float32Array.from({ length: 3 * runs }, (_, k) => run(1000 * p + (k % runs))[Math.floor(k / runs)]);
    const h = new Histograms(binnings);
    h.count(bySeries, new Uint32Array(bySeries.buffer), 0, runs, 1, runs);
    return h.takePages();
  });
  const pagesOf = (h: HistogramPages) => new Map(Array.from(h.slots.subarray(0, h.used), (slot, p) => [slot, Array.from(h.counts.subarray(p * 64, (p + 1) * 64))]));
  for (const runs of [100, 20, Infinity]) {
    const stager = new Stager(3, undefined, runs);
    const staged = points.map(() => new Histograms(binnings));
    points.forEach((n, p) => { for (let r = 0; r < n; r++) stager.add(staged[p], run(1000 * p + r)); });
    stager.flush();
    staged.forEach((h, p) => {
      const pages = h.takePages();
      assert.is(pages.runs, points[p], `stage for ${runs} runs, point ${p}: runs`);
      assert.equal(pagesOf(pages), pagesOf(direct[p]), `stage for ${runs} runs, point ${p}: counts`);
    });
  }
});

test('histograms hand over copies of the pages they use, not their room, and count the next point in the same arrays', () => {
  // a message copies an array's whole memory: with 16 pages of room a series, the 148,000 series of a weekly scenario to
  // 2100 sent 607 MB a worker at the end of its runs (histograms.ts, takePages)
  const binnings = ['cooperation.customs', 'trade_usd'].map(binningFor);
  const h = new Histograms(binnings);
  const count = (first: number, n: number) => {
    const v = Float32Array.from({ length: 2 * n }, (_, k) => (k < n ? ((first + k) % 100) / 100 : 1e9 * (1 + ((first + k) % 7))));
    h.count(v, new Uint32Array(v.buffer), 0, n, 1, n);
  };
  count(0, 100);
  const a = h.takePages();
  assert.ok(a.used > 0);
  assert.is(a.slots.length, a.used, 'no slots beyond those in use');
  assert.is(a.counts.length, a.used * 64, 'no pages beyond those in use');
  assert.is(a.counts.reduce((sum, c) => sum + c, 0), 200, 'every value counted once');
  // the set is empty after, and counts the next point as a new set would
  count(1000, 30);
  const b = h.takePages();
  const fresh = new Histograms(binnings);
  const v = Float32Array.from({ length: 60 }, (_, k) => (k < 30 ? ((1000 + k) % 100) / 100 : 1e9 * (1 + ((1000 + k) % 7))));
  fresh.count(v, new Uint32Array(v.buffer), 0, 30, 1, 30);
  const c = fresh.takePages();
  assert.is(b.runs, 30);
  assert.equal([b.used, Array.from(b.slots), Array.from(b.counts)], [c.used, Array.from(c.slots), Array.from(c.counts)]);
  // merged, the copies serve as the originals did
  const whole = new Histograms(binnings);
  whole.merge(a);
  whole.merge(b);
  assert.is(whole.runs, 130);
});

test("a worker's histograms lend their pages in shared memory, read but not kept, and count on in their stores once returned", () => {
  // copying a set's pages three times on the way to the main thread took an ensemble of weekly runs to 2100 from 1.2 to
  // 2.9 GB at its end (histograms.ts, SharedPages)
  const binnings = ['cooperation.customs', 'trade_usd'].map(binningFor);
  const values = (first: number, n: number) => Float32Array.from({ length: 2 * n }, (_, k) => (k < n ? ((first + k) % 100) / 100 : 1e9 * (1 + ((first + k) % 7))));
  const count = (h: Histograms, first: number, n: number) => {
    const v = values(first, n);
    h.count(v, new Uint32Array(v.buffer), 0, n, 1, n);
  };
  const plain = (first: number, n: number) => {
    const h = new Histograms(binnings);
    count(h, first, n);
    return h;
  };
  const counts = (h: Histograms) => {
    const out = new Float64Array(5);
    h.orderStatistics(1, [0, 10, 20, 29, 29], 5, 0, 1e10, out);
    return Array.from(out);
  };
  const shared = new SharedPages();
  const worker = new Histograms(binnings, shared);
  count(worker, 0, 100);
  const a = worker.lend();
  assert.ok(a.lent !== undefined && a.counts.buffer instanceof SharedArrayBuffer, 'shared, not copied');
  const main = new Histograms(binnings);
  main.merge(a);
  assert.equal(counts(main), counts(plain(0, 100)));
  const before = counts(main);
  // lent and not yet returned, the store is not counted into again: the set takes new room
  count(worker, 1000, 30);
  const b = worker.lend();
  assert.is.not(b.counts.buffer, a.counts.buffer);
  shared.returned([a.lent!, b.lent!]);
  // returned, a store serves again, all zeros: the next point counts as a new set would
  count(worker, 2000, 30);
  const c = worker.lend();
  assert.ok(c.counts.buffer === a.counts.buffer || c.counts.buffer === b.counts.buffer, 'a returned store, not a new one');
  // the main thread kept nothing of the lent pages, which were zeroed and counted into again
  assert.equal(counts(main), before, "the main thread's set has counts of its own");
  const next = new Histograms(binnings);
  next.merge(c);
  assert.is(next.runs, 30);
  const fresh = new Histograms(binnings);
  fresh.merge(plain(2000, 30).takePages());
  assert.equal(counts(next), counts(fresh));
});

test('quantiles computed together equal quantiles one at a time, neighbours sharing order statistics included', () => {
  const n = 1000, values = grid(n);
  const stats = new SeriesStats(1);
  const h = new Histograms([binningFor('cooperation.customs')]);
  h.count(values, new Uint32Array(values.buffer), 0, 0, 1, n);
  for (const x of values) stats.add(Float32Array.of(x));
  // 0.5 and 0.5004 share both order statistics (positions 499.5 and 499.9), 0.5004 and 0.501 share one
  const qs = [0, 0.0001, 0.05, 0.2501, 0.25015, 0.5, 0.5004, 0.501, 0.95, 0.9999, 1];
  const together = new Float64Array(qs.length);
  stats.quantiles(0, qs, h, together);
  assert.equal(Array.from(together), qs.map((q) => stats.quantile(0, q, h)));
  assert.throws(() => stats.quantiles(0, [0.5, 0.25], h, together), /ascending/);
});

test('series statistics: blocks summed elsewhere and added whole give the same bits as every run added here', () => {
  // 200 runs of 3 series: the first block is added run by run, the others (64, 64 and a short 8) come summed
  const run = (r: number) => Float32Array.of(Math.sin(r) * 1e3, 1 / (r + 1), r % 7 === 0 ? 0 : (r * 0.37) % 1);
  const here = new SeriesStats(3), blocks = new SeriesStats(3);
  for (let r = 0; r < 200; r++) here.add(run(r));
  for (let r = 0; r < BLOCK; r++) blocks.add(run(r));
  for (let first = BLOCK; first < 200; first += BLOCK) {
    const worker = new SeriesStats(3);
    for (let r = first; r < Math.min(first + BLOCK, 200); r++) worker.add(run(r));
    assert.ok(blocks.takesBlock());
    blocks.addBlock(worker.blockStats());
  }
  assert.is(blocks.runs, 200);
  const histograms = new Histograms(['attribution.a', 'attribution.b', 'trust'].map(binningFor));
  const bySeries = Float32Array.from({ length: 600 }, (_, k) => run(k % 200)[Math.floor(k / 200)]);
  histograms.count(bySeries, new Uint32Array(bySeries.buffer), 0, 200, 1, 200);
  for (let v = 0; v < 3; v++) {
    assert.is(blocks.mean(v), here.mean(v));
    const qs = [0, 0.05, 0.5, 1];
    assert.equal(qs.map((q) => blocks.quantile(v, q, histograms)), qs.map((q) => here.quantile(v, q, histograms)), `series ${v}`);
  }
  // no block before the exact values are in, nor mid-block, nor once a series lacks values (it may need more)
  const early = new SeriesStats(1);
  assert.not.ok(early.takesBlock());
  for (let r = 0; r < BLOCK + 1; r++) early.add(Float32Array.of(r === 3 ? Number.NaN : r));
  assert.not.ok(early.takesBlock());
});

test('series statistics skip NaN: counts, means and exact quantiles are over the values present', () => {
  // series 0 has a value every run, series 1 only every third run (NaN otherwise), over the first 64 runs and beyond
  const stats = new SeriesStats(2);
  const present: number[] = [];
  let sum0 = 0, sum1 = 0;
  for (let r = 0; r < 90; r++) {
    const x = (r * 37) % 101 / 100;
    const y = r % 3 === 0 ? x / 2 : Number.NaN;
    stats.add(Float32Array.of(x, y));
    sum0 += Math.fround(x);
    if (r % 3 === 0) {
      sum1 += Math.fround(y);
      present.push(Math.fround(y));
    }
  }
  assert.is(stats.mean(0), sum0 / 90);
  assert.is(stats.mean(1), sum1 / 30);
  // 30 values: exact quantiles, NaN left out
  const sorted = [...present].sort((a, b) => a - b);
  assert.is(stats.quantile(1, 0.5, undefined), hazenQuantile(sorted, 0.5));
  const empty = new SeriesStats(1);
  empty.add(Float32Array.of(Number.NaN));
  assert.ok(Number.isNaN(empty.mean(0)) && Number.isNaN(empty.quantile(0, 0.5, undefined)));
});

test('exact quantiles: a NaN arriving part way through the first 64 runs leaves the other series as they were', () => {
  // series 0 never misses; series 1 misses runs 10 and 40; series 2 every other run from run 30 (its first NaN comes
  // after values of 30 runs were copied a run at a time)
  const stats = new SeriesStats(3);
  const present: number[][] = [[], [], []];
  for (let r = 0; r < 60; r++) {
    const x = Math.fround(((r * 53) % 97) / 97);
    const row = [x, r === 10 || r === 40 ? Number.NaN : 1 - x, r >= 30 && r % 2 === 1 ? Number.NaN : x * x];
    stats.add(Float32Array.from(row));
    row.forEach((y, v) => { if (y === y) present[v].push(Math.fround(y)); });
  }
  const qs = [0.05, 0.25, 0.5, 0.75, 0.95];
  present.forEach((values, v) => {
    const sorted = [...values].sort((a, b) => a - b);
    assert.equal(qs.map((q) => stats.quantile(v, q, undefined)), qs.map((q) => hazenQuantile(sorted, q)), `series ${v}`);
  });
});

test('binning: bins follow the value, and every bin holds the values binned into it', () => {
  for (const variable of ['trust', 'balassa_stage', 'trade_usd', 'attribution.water.noise']) {
    const b = binningFor(variable);
    let previous = -1;
    for (const x of [-5e3, -2.5, -1e-3, -1e-12, 0, 1e-12, 3e-6, 0.25, 0.5, 2, 3, 6, 1e4, 2.5e9, 7e13]) {
      const f = Math.fround(x);
      const bin = binOf(b, f, floatBits(f));
      assert.ok(bin >= previous, `${variable}: ${x} in bin ${bin} after bin ${previous}`);
      previous = bin;
      const [lo, hi] = binEdges(b, bin);
      if (bin > 0 && bin < b.bins - 1 && !(b.kind === SIGNED && bin === b.zero)) assert.ok(f >= lo && f <= hi, `${variable}: ${x} not in [${lo}, ${hi}]`);
    }
  }
});

test('more than 64 runs a point: 1 or 3 workers, shards merged, all give the same quantiles', () => {
  const file = experiment('large', [0, 0.5], 70);
  const one = join(dir, 'large-1'), two = join(dir, 'large-2');
  assert.is(cli('sweep', file, '--out', one, '--workers', '1', '--quiet').status, 0);
  // three: two worker threads, which count their own histograms, and the main thread, which counts those of its runs
  assert.is(cli('sweep', file, '--out', two, '--workers', '3', '--quiet').status, 0);
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(one, f), read(two, f), f);
  // records of 427 floats leave 4 bytes of padding, and workers fill recycled buffers: the stores still agree
  assert.ok(readFileSync(join(one, 'runs.bin')).equals(readFileSync(join(two, 'runs.bin'))), 'the run stores are byte-identical too');
  // four worker threads (five threads) sum whole blocks of 64 runs themselves (fewer leave all sums to the main
  // thread), and the main thread sums the blocks it runs; batches hold whole blocks once there are 64 x 8 x 5 runs or
  // more to run
  const blocksOne = join(dir, 'blocks-1'), blocksFive = join(dir, 'blocks-5');
  for (const [out, workers] of [[blocksOne, '1'], [blocksFive, '5']])
    assert.is(cli('ensemble', BASELINE, '--runs', '2600', '--keep', 'trade_usd', '--out', out, '--workers', workers, '--quiet').status, 0);
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(blocksFive, f), read(blocksOne, f), `5 threads: ${f}`);
  // resumed mid-block (runs 0-99 kept; 100 is 36 runs into the second block): the main thread sums the rest of that
  // block, the workers the later ones
  const resumed = join(dir, 'blocks-resumed');
  keepFirstRuns(blocksOne, resumed, 100);
  assert.is(cli('ensemble', BASELINE, '--runs', '2600', '--keep', 'trade_usd', '--out', resumed, '--workers', '5', '--resume', '--quiet').status, 0);
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(resumed, f), read(blocksOne, f), `resumed on 5 threads: ${f}`);
  // shards leave records only; merge counts every histogram on the main thread
  const shards = [1, 2, 3].map((i) => join(dir, `large-shard-${i}`));
  shards.forEach((s, k) => assert.is(cli('sweep', file, '--out', s, '--shard', `${k + 1}/3`, '--workers', '2', '--quiet').status, 0));
  const merged = join(dir, 'large-merged');
  assert.is(cli('merge', ...shards, '--out', merged).status, 0);
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(merged, f), read(one, f), f);
  // the quantiles are those of the runs, to a bin (1/4096 for a 0-1 series)
  const runs = read(one, 'runs.csv').trim().split('\n').map((l) => l.split(','));
  const column = runs[0].indexOf('cooperation.customs_end');
  const ends = runs.slice(1).filter((r) => r[1] === '1').map((r) => Number(r[column])).sort((a, b) => a - b);
  const row = read(one, 'quantiles.csv').split('\n').find((l) => l.startsWith('60,2040,region,cooperation.customs,1,'))!.split(',');
  assert.ok(Math.abs(Number(row[8]) - hazenQuantile(ends, 0.5)) < 2 / 4096, `median ${row[8]} vs ${hazenQuantile(ends, 0.5)}`);
});

test('a resume whose point is counted partly here and partly by workers gives the same quantiles', () => {
  // runs 0-34 stay in the store and are counted by the main thread; runs 35-139 (the rest of point 0 and all of point
  // 1) are lost and redone by two worker threads, which count their own, and the main thread
  const one = join(dir, 'large-1'), resumed = join(dir, 'large-resumed');
  keepFirstRuns(one, resumed, 35);
  const r = cli('sweep', join(dir, 'large.json'), '--out', resumed, '--workers', '3', '--resume', '--quiet');
  assert.is(r.status, 0, r.stderr);
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(resumed, f), read(one, f), f);
});

test('batches: whole points go whole (several to a batch while small), the runs of a point partly done go plain', () => {
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
  // 6 points of 10 runs, 2 workers: batches of at most ceil(60 / 16) = 4 runs, so a point goes alone
  assert.equal(planBatches(range(0, 60), 10, 2, true).slice(0, 2), [{ from: 0, to: 10, summarise: true }, { from: 10, to: 20, summarise: true }]);
  // 40 points of 3 runs: batches of up to 8 runs hold two whole points
  assert.equal(planBatches(range(0, 120), 3, 2, true)[0], { from: 0, to: 6, summarise: true });
  // after a resume: point 0 lacks runs 0-4, point 2 is done; point 1 and 3 are whole (batches of up to 4 runs)
  const ids = [...range(5, 20), ...range(30, 40)];
  assert.equal(planBatches(ids, 10, 1, true), [{ from: 5, to: 9 }, { from: 9, to: 10 }, { from: 10, to: 20, summarise: true }, { from: 30, to: 40, summarise: true }]);
  // without summarising, plain batches end where a block of 64 runs for the sums starts (here, with 10 runs a point,
  // where a point starts)
  assert.equal(planBatches(ids, 10, 1, false), [{ from: 5, to: 9 }, { from: 9, to: 10 }, { from: 10, to: 14 }, { from: 14, to: 18 }, { from: 18, to: 20 }, { from: 30, to: 34 }, { from: 34, to: 38 }, { from: 38, to: 40 }]);
  // 3 points of 100 runs: blocks 0-63 and 64-99 of each point
  assert.equal(planBatches(range(0, 300), 100, 1, false).map((b) => `${b.from}-${b.to}`), ['0-38', '38-64', '64-100', '100-138', '138-164', '164-200', '200-238', '238-264', '264-300']);
  // small points, not summarised (one worker): several whole points a batch, up to 64 runs, not a batch a point
  assert.equal(planBatches(range(0, 1000), 1, 1, false).slice(0, 2), [{ from: 0, to: 64 }, { from: 64, to: 128 }]);
  assert.equal(planBatches(range(0, 1000), 10, 1, false).slice(0, 2), [{ from: 0, to: 60 }, { from: 60, to: 120 }]);
  // summarised: the runs left of a partly done point (batches of up to 25 runs here) stop where a whole point starts
  assert.equal(planBatches(range(5, 200), 10, 1, true).slice(0, 2), [{ from: 5, to: 10 }, { from: 10, to: 30, summarise: true }]);
  // long runs: batches of at most 4 MB of records (weekly runs to 2100, 593 KB each, seven to a batch, not 64)
  assert.is(batchRunsFor(593_000), 7);
  assert.is(batchRunsFor(10_400), 64);
  assert.equal(planBatches(range(0, 1000), 1, 1, false, batchRunsFor(593_000)).slice(0, 2), [{ from: 0, to: 7 }, { from: 7, to: 14 }]);
  // a worker's queue: 1,024 of the baseline's runs, as ever; of monthly runs to 2100 (137 KB), 16 MB, not 64 (one
  // worker), beside which the main thread computed as much again: 24,000 such runs peaked at 509 MB (358 now)
  assert.is(queuedRuns(1, 10_400), 1024);
  assert.is(queuedRuns(1, 137_000), 122);
  // with many workers, their share of the 64 MB all workers hold
  assert.is(queuedRuns(16, 10_400), 403);
});

test("the main thread's spare record buffers: the last one back is the first out, and no more than their bytes' limit kept", () => {
  const spare = new SpareBuffers(100);
  const a = new ArrayBuffer(40), b = new ArrayBuffer(50), c = new ArrayBuffer(20);
  spare.push(a);
  spare.push(b);
  // 110 bytes would be over the limit: dropped, to be freed, rather than kept for ever at the most ever held
  spare.push(c);
  assert.is(spare.held, 90);
  assert.is(spare.pop(), b);
  spare.push(c);
  assert.is(spare.held, 60);
  assert.is(spare.pop(), c);
  assert.is(spare.pop(), a);
  assert.is(spare.pop(), undefined);
  assert.is(spare.held, 0);
});

test('points summarised by their workers: the same outputs as one worker, also after a resume that split a point', () => {
  const values = [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 1];
  // twelve points of 5 runs: more than a worker keeps open at a time (eight), so runners are dropped and made again
  const twelve = [...values, 0.0625, 0.1875, 0.3125, 0.4375];
  for (const replicates of [5, 70]) {
    const file = experiment(`points-${replicates}`, replicates === 5 ? twelve : values, replicates);
    const one = join(dir, `points-${replicates}-1`), two = join(dir, `points-${replicates}-2`);
    assert.is(cli('sweep', file, '--out', one, '--workers', '1', '--quiet').status, 0);
    // three: two worker threads summarise the points they run, the main thread those it runs
    const r = cli('sweep', file, '--out', two, '--workers', '3', '--quiet');
    assert.is(r.status, 0, r.stderr);
    for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(two, f), read(one, f), `${replicates} replicates: ${f}`);
    assert.ok(readFileSync(join(one, 'runs.bin')).equals(readFileSync(join(two, 'runs.bin'))), 'the run stores are byte-identical too');
  }
  // runs 0-99 stay in the store: point 1 (runs 70-139) is aggregated by the main thread from the store and from plain
  // batches, points 2-7 are summarised by the workers
  const one = join(dir, 'points-70-1'), resumed = join(dir, 'points-70-resumed');
  keepFirstRuns(one, resumed, 100);
  const r = cli('sweep', join(dir, 'points-70.json'), '--out', resumed, '--workers', '3', '--resume', '--quiet');
  assert.is(r.status, 0, r.stderr);
  for (const f of ['runs.csv', 'quantiles.csv']) assert.is(read(resumed, f), read(one, f), f);
});

test('two commands never write one folder: the second is refused while the first runs; a lock left behind is taken over', () => {
  const out = join(dir, 'locked');
  const lock = join(out, '.lock');
  const hold = (holder: Record<string, unknown>, minutesAgo = 0) => {
    writeFixture(out, '.lock', `${JSON.stringify({ host: hostname(), started: Date.now(), command: 'spillover ensemble x --out locked', ...holder })}\n`);
    const then = new Date(Date.now() - minutesAgo * 60_000);
    utimesSync(lock, then, then);
  };
  const ensemble = () => cli('ensemble', BASELINE, '--runs', '4', '--out', out, '--workers', '1', '--quiet');
  // held by a running process (this test's), as by a shard given the same --out as another: refused, nothing written
  hold({ pid: process.pid });
  let r = ensemble();
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`^spillover: .*locked: is being written by another command \\(process ${process.pid} on this host, since .*: spillover ensemble x --out locked\\); expected a folder no other command is writing: wait for it, or choose another --out \\(each shard needs a folder of its own\\)\\. If that command is surely gone, remove .*locked/\\.lock\n$`));
  assert.equal(readdirSync(out), ['.lock']);
  // merge refuses it too
  const shards = [1, 2].map((i) => join(dir, `lock-shard-${i}`));
  shards.forEach((f, k) => assert.is(cli('ensemble', BASELINE, '--runs', '4', '--out', f, '--shard', `${k + 1}/2`, '--workers', '1', '--quiet').status, 0));
  r = cli('merge', ...shards, '--out', out, '--quiet');
  assert.is(r.status, 2, r.stderr);
  assert.equal(readdirSync(out), ['.lock']);
  // another host's, refreshed a minute ago: it may be running there
  hold({ pid: 1, host: 'node-07' }, 1);
  r = ensemble();
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /\(process 1 on host node-07, since /);
  // ... whatever this host's clock says: a lock's age is read on the file system's clock (a reader whose clock ran ten
  // minutes ahead took it over)
  const ahead = spawnSync(process.execPath, ['--import', 'data:text/javascript,const now = Date.now; Date.now = () => now() %2B 600000;', BIN, 'ensemble', BASELINE, '--runs', '4', '--out', out, '--workers', '1', '--quiet'], { encoding: 'utf8' });
  assert.is(ahead.status, 2, ahead.stderr);
  assert.match(ahead.stderr, /\(process 1 on host node-07, since /);
  // ... but not for ten minutes: a job killed there (or requeued here) carries on
  hold({ pid: 1, host: 'node-07' }, 10);
  assert.is(ensemble().status, 0);
  assert.not.ok(existsSync(lock), 'released at the end');
  // this host's, by a process that is gone (kill -9), or by a process id since reused by a process started after the lock
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  for (const holder of [{ pid: Number(gone) }, { pid: process.pid, started: Date.parse('2026-01-01') }]) {
    hold(holder);
    r = ensemble();
    assert.is(r.status, 0, r.stderr);
    assert.not.ok(existsSync(lock));
  }
  assert.is(read(out, 'runs.csv').trim().split('\n').length, 5);
  // and merge releases its own
  assert.is(cli('merge', ...shards, '--out', out, '--quiet').status, 0);
  assert.equal(readdirSync(out).filter((f) => f.startsWith('.')), []);
});

test('a lock held by a zombie (killed, not collected by its parent, as in a container without an init) is taken over', async () => {
  if (!existsSync('/proc/self/stat')) return;
  // sh starts a child and becomes a sleep that never collects it: the child, once it exits, is a zombie. The child
  // exits only once its parent is that sleep: one that ended first (`sleep 0`, on a loaded machine) was once gone
  // (for at most some 10 s: were its parent killed first, it would wait on init for ever)
  const child = `sh -c 'n=0; while [ "$(cat /proc/$PPID/comm)" != sleep ] && [ $n -lt 1000 ]; do n=$((n + 1)); sleep 0.01; done'`;
  const parent = spawn('sh', ['-c', `${child} & echo $!; exec sleep 30`], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const pid = Number(await new Promise<string>((done) => parent.stdout!.once('data', (d) => done(String(d)))));
    const state = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];
    for (let k = 0; k < 1000 && state() !== 'Z'; k++) await new Promise((done) => setTimeout(done, 10));
    assert.is(state(), 'Z');
    const out = join(dir, 'zombie-lock');
    writeFixture(out, '.lock', `${JSON.stringify({ pid, host: hostname(), started: Date.now(), command: 'spillover ensemble x' })}\n`);
    const r = cli('ensemble', BASELINE, '--runs', '4', '--out', out, '--workers', '1', '--quiet');
    assert.is(r.status, 0, r.stderr);
    assert.not.ok(existsSync(join(out, '.lock')));
  } finally {
    parent.kill();
  }
});

test('a second command into a folder an ensemble is writing is refused, and the first one finishes whole', async () => {
  const out = join(dir, 'racing');
  const first = spawn(process.execPath, [BIN, 'ensemble', BASELINE, '--runs', '10000', '--out', out, '--workers', '1', '--quiet']);
  const exited = new Promise<number | null>((done) => first.on('exit', done));
  for (let t = 0; t < 500 && !existsSync(join(out, '.lock')); t++) await new Promise((r) => setTimeout(r, 10));
  const second = cli('ensemble', BASELINE, '--runs', '10000', '--out', out, '--shard', '2/2', '--workers', '1', '--quiet');
  assert.is(second.status, 2, second.stderr);
  assert.match(second.stderr, /is being written by another command \(process \d+ on this host/);
  assert.is(await exited, 0);
  assert.is(read(out, 'runs.csv').trim().split('\n').length, 10001);
  assert.not.ok(existsSync(join(out, '.lock')));
});

test('on a file system without hard links the lock is created exclusively instead', () => {
  const folder = join(dir, 'no-links');
  writeFixture(folder, 'draft', 'mine\n');
  const noLinks = () => {
    throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
  };
  linkOrCreate(join(folder, 'draft'), join(folder, 'lock'), 'mine\n', noLinks);
  assert.is(readFileSync(join(folder, 'lock'), 'utf8'), 'mine\n');
  // and it is still exclusive: a second lock is refused as by a link
  assert.throws(() => linkOrCreate(join(folder, 'draft'), join(folder, 'lock'), 'theirs\n', noLinks), (e: NodeJS.ErrnoException) => e.code === 'EEXIST');
  assert.throws(() => linkOrCreate(join(folder, 'draft'), join(folder, 'lock'), 'theirs\n'), (e: NodeJS.ErrnoException) => e.code === 'EEXIST');
  // other errors are not taken for a missing feature
  const full = () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, link'), { code: 'ENOSPC' });
  };
  assert.throws(() => linkOrCreate(join(folder, 'draft'), join(folder, 'other'), 'x', full), (e: NodeJS.ErrnoException) => e.code === 'ENOSPC');
  assert.not.ok(existsSync(join(folder, 'other')));
});

test('a folder the lock cannot be made in is named in the error, not the lock file inside it', () => {
  // as for a folder without write permission (EACCES; these tests may run as root, whom permissions do not stop)
  const missing = join(dir, 'no-such-folder');
  try {
    lockFolder(missing, 'spillover ensemble');
    assert.unreachable('locked a folder that is not there');
  } catch (e) {
    assert.is((e as NodeJS.ErrnoException).code, 'ENOENT');
    assert.is((e as NodeJS.ErrnoException).path, missing);
  }
});

test.run();
