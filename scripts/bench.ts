// npm run bench: the experiments layer's speed, as issue 4 defines it. A 20,000-run baseline ensemble on one
// worker and on all cores (`--workers` = the core count: that many threads computing, the main thread one of them;
// reported as `allWorkers`), each in its own process (so peak memory is its own), through the real pipeline
// (workers, run store, aggregation, outputs). Prints runs/s and agent-steps/s (runs x steps x states / s).
// The reference kernel (../shared/bench/ca5-limit.js, when present) runs in the same session, interleaved
// round by round with the ensembles, because a shared machine's speed drifts by 20% or more within minutes;
// the ratios are taken within each round and the medians reported. Each round also runs two copies of the kernel side
// by side, for the machine's own two-thread ceiling at that moment, and one worker on twice the runs, for its marginal
// rate (what a long study runs at) and its fixed seconds (worker start, warm-up, outputs).
// Before the rounds, the kernel runs pinned to each core in turn (with `taskset`, where there is one): on the
// development machine one core is about 25% slower than the other, so a process's speed depends on where the
// scheduler puts it, and that line says how much.
// Options: --runs N (default 20000), --rounds R (default 5; 0 for none), --memory (also a 100,000-run ensemble for its
// peak memory, and ensembles of 6,000 and 24,000 runs of 901 steps each, the baseline monthly to 2100, whose peaks
// should be alike: memory follows a run's size, not the number of runs), --sweep (also sweeps of 100 design points of 100 runs each, of 1,000 points of 10 runs and of 5,000
// points of one run keeping one variable, on one worker and on all: a sweep's cost per point, its quantiles and its
// world, weighs as much as its runs or more), --small (also ensembles of
// 100 and 1,000 runs from the command line, start to exit: what a class or an analyst waits for, mostly fixed costs),
// --one-core (the ensemble from the command line confined to one core, as an array task given one CPU runs it, beside
// the kernel pinned to the same core).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const value = args.includes(name) ? Number(args[args.indexOf(name) + 1]) : NaN;
  return Number.isInteger(value) && value >= 0 ? value : fallback;
};
const runs = option('--runs', 20000);
const rounds = option('--rounds', 5);
const scenario = 'scenarios/baseline.json';
const STEPS = 60, STATES = 5;
const KERNEL = resolve('../shared/bench/ca5-limit.js');

/** A sweep for `--sweep`: `samples` Latin-hypercube points of `replicates` runs, the default kept cells or `keep`. */
function sweepFile(folder: string, samples: number, replicates: number, keep?: string[]): string {
  const file = join(folder, `sweep-${samples}x${replicates}${keep ? '-keep' : ''}.json`);
  writeFileSync(file, JSON.stringify({
    name: 'bench-sweep', scenario: resolve(scenario), replicates, seed: 1,
    design: { type: 'lhs', samples, parameters: { 'policies.benefitSharing': [0, 1], 'spillover.strength': [0, 2] } },
    ...(keep ? { keep } : {}),
  }));
  return file;
}

/** The JSON a child printed last (the scripts here print one line of results after anything else). */
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').pop()!);

/** The kernel's environment: it loads seedrandom from this project's node_modules. */
const KERNEL_ENV = { ...process.env, NODE_PATH: resolve('node_modules') };

/**
 * Clock ticks a second of /proc's CPU times (`getconf CLK_TCK`), or undefined where there is no /proc (then no CPU
 * split is reported).
 */
const TICKS = (() => {
  if (!existsSync('/proc/self/task')) return undefined;
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  return r.status === 0 && Number(r.stdout) > 0 ? Number(r.stdout) : 100;
})();

/**
 * One experiment in a child process, timed from the experiment loaded to its outputs written; its worker threads start
 * while it loads, as the command line starts them (`prestartWorkers`). Where there is a /proc, it also reports the CPU
 * the experiment took by thread, in us a run: the main thread, the worker threads (those started for the experiment)
 * and V8's and libuv's background threads (compiler, collector). With one worker the worker thread's time is its runs'
 * cost, and the main thread's the aggregation's, on the other core; their sum, with the background's, is what two
 * threads would have to share on two cores, which bounds what two threads can gain over one worker (see
 * `allWorkersBound`).
 */
function measure(n: number, workers: number, sweep?: { file: string; label: string }) {
  const out = mkdtempSync(join(tmpdir(), 'spillover-bench-'));
  const load = sweep ? `loadExperiment(${JSON.stringify(sweep.file)})` : `ensembleExperiment(${JSON.stringify(scenario)}, ${n}, 1, undefined)`;
  const child = spawnSync(process.execPath, ['-e', `
    const { performance } = require('node:perf_hooks');
    const { existsSync, readdirSync, readFileSync } = require('node:fs');
    // each thread's user + system clock ticks (fields 14 and 15 of /proc/self/task/T/stat), by thread id
    const threads = () => {
      if (!existsSync('/proc/self/task')) return undefined;
      const ticks = {};
      for (const t of readdirSync('/proc/self/task')) {
        try {
          const stat = readFileSync('/proc/self/task/' + t + '/stat', 'utf8');
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          ticks[t] = Number(f[11]) + Number(f[12]);
        } catch {} // a thread that ended meanwhile
      }
      return ticks;
    };
    (async () => {
      const { ensembleExperiment, loadExperiment } = await import('./dist/experiment/load.js');
      const { prestartWorkers, runExperiment } = await import('./dist/experiment/runner.js');
      // as the command line does: worker threads start while the experiment loads
      const first = threads();
      prestartWorkers(${workers});
      const x = await ${load};
      const before = threads();
      const t0 = performance.now();
      await runExperiment(x, { out: ${JSON.stringify(out)}, workers: ${workers}, resume: false, shard: { index: 1, count: 1 }, manifest: {} });
      const seconds = (performance.now() - t0) / 1000;
      const after = threads();
      console.log(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, first, before, after, pid: process.pid }));
    })();
  `], { encoding: 'utf8' });
  rmSync(out, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(child.stderr);
  const r = lastJson(child.stdout);
  const result: Record<string, unknown> = { ...(sweep ? { sweep: sweep.label } : {}), runs: n, workers, seconds: +r.seconds.toFixed(2), runsPerSec: Math.round(n / r.seconds), agentStepsPerSec: Math.round((n * STEPS * STATES) / r.seconds), maxRssMB: Math.round(r.maxRssMB) };
  if (TICKS && r.first && r.before && r.after) {
    const usPerRun = (ticks: number) => Math.round((ticks / TICKS) * 1e6 / n);
    let main = 0, started = 0, background = 0;
    for (const [t, ticks] of Object.entries(r.after as Record<string, number>)) {
      const spent = ticks - (r.before[t] ?? 0);
      if (t === String(r.pid)) main += spent;
      else if (t in r.first) background += spent;
      else started += spent;
    }
    result.cpuUsPerRun = { main: usPerRun(main), workers: usPerRun(started), background: usPerRun(background), total: usPerRun(main + started + background) };
  }
  return result as { runs: number; seconds: number; runsPerSec: number; agentStepsPerSec: number; cpuUsPerRun?: { main: number; workers: number; background: number; total: number } } & Record<string, unknown>;
}

/**
 * The engine alone, for comparison: a Runner in one thread recording the ensemble's kept cells, no workers, no
 * outputs. Not a target, a diagnosis: the gap between this and the one-worker figure is the pipeline's.
 */
function engineOnly(n: number) {
  const child = spawnSync(process.execPath, ['-e', `
    const { performance } = require('node:perf_hooks');
    (async () => {
      const { ensembleExperiment } = await import('./dist/experiment/load.js');
      const { recordedColumns } = await import('./dist/experiment/meta.js');
      const { buildWorld } = await import('./dist/engine/world.js');
      const { Runner } = await import('./dist/engine/simulate.js');
      const x = await ensembleExperiment(${JSON.stringify(scenario)}, ${n}, 1, undefined);
      const world = buildWorld(x.loaded);
      const runner = new Runner(world, recordedColumns(world, x.cells));
      let check = 0;
      const t0 = performance.now();
      for (let r = 0; r < ${n}; r++) check += runner.run(r + 1, { events: false }).values[0];
      const seconds = (performance.now() - t0) / 1000;
      console.log(JSON.stringify({ seconds, check }));
    })();
  `], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  const r = lastJson(child.stdout);
  return { runsPerSec: Math.round(n / r.seconds), agentStepsPerSec: Math.round((n * STEPS * STATES) / r.seconds) };
}

function kernel(n: number, core?: number) {
  const command = core === undefined ? [process.execPath, KERNEL, String(n)] : ['taskset', '-c', String(core), process.execPath, KERNEL, String(n)];
  const child = spawnSync(command[0], command.slice(1), { encoding: 'utf8', env: KERNEL_ENV });
  if (child.status !== 0) throw new Error(child.stderr);
  const r = lastJson(child.stdout);
  return { runsPerSec: Math.round(r.runsPerSec), agentStepsPerSec: r.agentStepsPerSec as number, maxRssMB: Math.round(r.maxRssMB) };
}

/**
 * A `spillover ensemble` command of `n` runs: seconds from start to exit, and the experiment's own (its manifest's);
 * with `core`, the whole command confined to that core.
 */
function command(n: number, core?: number) {
  const out = mkdtempSync(join(tmpdir(), 'spillover-bench-'));
  const t0 = performance.now();
  const line = [process.execPath, 'dist/cli/spillover.js', 'ensemble', scenario, '--runs', String(n), '--out', out, '--quiet'];
  const [program, ...rest] = core === undefined ? line : ['taskset', '-c', String(core), ...line];
  const child = spawnSync(program, rest, { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  const manifest = child.status === 0 ? JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) : undefined;
  rmSync(out, { recursive: true, force: true });
  if (!manifest) throw new Error(child.stderr);
  return { seconds, experimentSeconds: manifest.wallSeconds as number };
}

/**
 * Two copies of the kernel side by side, each in its own process: their runs/s added up, the machine's own ceiling for
 * two threads at that moment (the issue quotes 1.6-1.9 times one copy on the development machine).
 */
async function kernelPair(n: number): Promise<number> {
  const one = async () => lastJson((await promisify(execFile)(process.execPath, [KERNEL, String(n)], { env: KERNEL_ENV })).stdout).runsPerSec as number;
  const [a, b] = await Promise.all([one(), one()]);
  return Math.round(a + b);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cores = availableParallelism();
const hasKernel = existsSync(KERNEL);
console.log(JSON.stringify({ machine: `${cpus()[0]?.model ?? 'unknown'}, ${cores} cores`, node: process.version, scenario, stepsPerRun: STEPS, states: STATES, runs, rounds, kernel: hasKernel ? KERNEL : 'not found' }));
if (hasKernel && spawnSync('taskset', ['-c', '0', 'true']).status === 0) {
  const perCore = Array.from({ length: cores }, (_, core) => kernel(Math.min(runs, 10000), core).runsPerSec);
  console.log(JSON.stringify({ kernelRunsPerSecPinnedToCore: perCore }));
}
const ofKernel: number[] = [], speedup: number[] = [], engineOfKernel: number[] = [], pairSpeedup: number[] = [], bound: number[] = [];
const marginalOfKernel: number[] = [], fixedSeconds: number[] = [];
/**
 * One worker's rate once started and warm, and what it pays once: from the same ensemble at `runs` and at twice as
 * many, the second `runs` runs' rate (the marginal rate, what a long study runs at) and the seconds the first run would
 * take beyond its runs at that rate (starting the worker thread, running the first runs before they are compiled,
 * writing the outputs). A diagnosis, not a target: the target is the 20,000-run ensemble's rate, fixed costs included.
 */
const marginal = (one: ReturnType<typeof measure>, twice: ReturnType<typeof measure>) => {
  const rate = one.runs / (twice.seconds - one.seconds);
  return { runsPerSec: Math.round(rate), agentStepsPerSec: Math.round(rate * STEPS * STATES), fixedSeconds: +(one.seconds - one.runs / rate).toFixed(2) };
};
/**
 * The most all workers could gain over one worker on this machine's cores if they took no more CPU a run than one
 * worker does (its worker thread, the main thread aggregating, and the background threads): cores x one worker's
 * seconds / its CPU seconds. On two cores one worker already keeps a second core partly busy aggregating, so the gain
 * is bounded by how much of a run's CPU the aggregation takes, whatever the scheduling.
 */
const allWorkersBound = (one: ReturnType<typeof measure>) => (one.cpuUsPerRun && cores > 1 ? (cores * 1e6) / one.runsPerSec / one.cpuUsPerRun.total : undefined);
for (let round = 1; round <= rounds; round++) {
  const k = hasKernel ? kernel(runs) : undefined;
  const one = measure(runs, 1);
  const all = measure(runs, cores);
  const engine = engineOnly(runs);
  const longer = marginal(one, measure(2 * runs, 1));
  fixedSeconds.push(longer.fixedSeconds);
  const row: Record<string, unknown> = { round, oneWorker: one, oneWorkerMarginal: longer, allWorkers: all, speedupOverOneWorker: +(all.runsPerSec / one.runsPerSec).toFixed(2), engineOnly: engine };
  speedup.push(all.runsPerSec / one.runsPerSec);
  const b = allWorkersBound(one);
  if (b !== undefined) {
    row.allWorkersBound = +b.toFixed(2);
    bound.push(b);
  }
  if (k) {
    const pair = await kernelPair(runs);
    row.kernel = k;
    row.kernelPair = { runsPerSec: pair, speedupOverOneKernel: +(pair / k.runsPerSec).toFixed(2) };
    pairSpeedup.push(pair / k.runsPerSec);
    row.oneWorkerOfKernel = +(one.agentStepsPerSec / k.agentStepsPerSec).toFixed(2);
    row.engineOnlyOfKernel = +(engine.agentStepsPerSec / k.agentStepsPerSec).toFixed(2);
    row.oneWorkerMarginalOfKernel = +(longer.agentStepsPerSec / k.agentStepsPerSec).toFixed(2);
    marginalOfKernel.push(longer.agentStepsPerSec / k.agentStepsPerSec);
    ofKernel.push(one.agentStepsPerSec / k.agentStepsPerSec);
    engineOfKernel.push(engine.agentStepsPerSec / k.agentStepsPerSec);
  }
  console.log(JSON.stringify(row));
}
// --rounds 0 skips the rounds, to run only --memory, --small or --sweep
if (rounds > 0) console.log(JSON.stringify({
  median: true,
  oneWorkerOfKernel: ofKernel.length ? +median(ofKernel).toFixed(2) : null,
  engineOnlyOfKernel: engineOfKernel.length ? +median(engineOfKernel).toFixed(2) : null,
  oneWorkerMarginalOfKernel: marginalOfKernel.length ? +median(marginalOfKernel).toFixed(2) : null,
  oneWorkerFixedSeconds: +median(fixedSeconds).toFixed(2),
  speedupOverOneWorker: +median(speedup).toFixed(2),
  allWorkersBound: bound.length ? +median(bound).toFixed(2) : null,
  kernelPairOverOneKernel: pairSpeedup.length ? +median(pairSpeedup).toFixed(2) : null,
  targets: { oneWorkerOfKernel: 0.5, speedupOverOneWorker: 1.6 },
}));
if (args.includes('--memory')) {
  console.log(JSON.stringify(measure(100000, cores)));
  // long runs (137 KB of records each): a record buffer the size of a batch holds 8.8 MB, and until 0.3.22 the
  // workers made new ones as they ran (see `ComputeOptions.batchRuns`): 0.8 GB at 6,000 runs, 1.1 GB at 20,000
  const folder = mkdtempSync(join(tmpdir(), 'spillover-bench-long-'));
  const long = join(folder, 'long.json');
  writeFileSync(long, JSON.stringify({ extends: resolve(scenario), name: 'baseline-monthly-2100', end: 2100, stepsPerYear: 12 }));
  for (const n of [6000, 24000]) {
    const file = join(folder, `long-${n}.json`);
    writeFileSync(file, JSON.stringify({ name: 'bench-long', scenario: long, replicates: n, seed: 1 }));
    const { runs: ran, workers, seconds, runsPerSec, maxRssMB } = measure(n, cores, { file, label: 'baseline monthly to 2100 (901 steps)' });
    console.log(JSON.stringify({ long: 'baseline monthly to 2100 (901 steps)', runs: ran, workers, seconds, runsPerSec, maxRssMB }));
  }
  rmSync(folder, { recursive: true, force: true });
}
if (args.includes('--small')) {
  // what a class or an analyst waits for: a small ensemble from the command line, start to exit, on the default threads
  for (const n of [100, 1000]) {
    const total: number[] = [], wall: number[] = [];
    for (let k = 0; k < 5; k++) {
      const r = command(n);
      total.push(r.seconds);
      wall.push(r.experimentSeconds);
    }
    console.log(JSON.stringify({ command: `spillover ensemble ${scenario} --runs ${n}`, medianOf: 5, seconds: +median(total).toFixed(2), experimentSeconds: +median(wall).toFixed(2) }));
  }
}
if (args.includes('--one-core') && hasKernel && spawnSync('taskset', ['-c', '0', 'true']).status === 0) {
  // an array task given one CPU: the whole command confined to one core, where the main thread alone computes and
  // aggregates, beside the kernel pinned to the same core, three times, taking turns
  for (let k = 0; k < 3; k++) {
    const r = command(runs, 0);
    const pinned = kernel(runs, 0);
    const agentStepsPerSec = (runs * STEPS * STATES) / r.experimentSeconds;
    console.log(JSON.stringify({ oneCore: { runs, core: 0, seconds: +r.seconds.toFixed(2), experimentSeconds: r.experimentSeconds, runsPerSec: Math.round(runs / r.experimentSeconds), agentStepsPerSec: Math.round(agentStepsPerSec) }, kernelPinned: pinned.runsPerSec, oneCoreOfKernel: +(agentStepsPerSec / pinned.agentStepsPerSec).toFixed(2) }));
  }
}
if (args.includes('--sweep')) {
  const folder = mkdtempSync(join(tmpdir(), 'spillover-bench-sweep-'));
  // points of 100 runs, and of 10 (a design point's summary costs the same whatever its runs: with small points it
  // weighs more than the runs), and 5,000 points of one run keeping one variable, the shape of a design for
  // sensitivity analysis (each point's world and setup weigh as much as its run)
  const sweeps: Array<[number, number, string[]?]> = [[100, 100], [1000, 10], [5000, 1, ['integration_index']]];
  for (const [samples, replicates, keep] of sweeps) {
    const sweep = { file: sweepFile(folder, samples, replicates, keep), label: `${samples} points x ${replicates} runs${keep ? `, keeping ${keep.join(', ')}` : ''}` };
    const n = samples * replicates;
    for (let round = 1; round <= 3; round++) console.log(JSON.stringify({ round, oneWorker: measure(n, 1, sweep), allWorkers: measure(n, cores, sweep) }));
  }
  rmSync(folder, { recursive: true, force: true });
}
