// npm run bench: the experiments layer's speed, as issue 4 defines it. A 20,000-run baseline ensemble on one
// worker and on all cores, each in its own process (so peak memory is its own), through the real pipeline
// (workers, run store, aggregation). Prints runs/s and agent-steps/s (runs x steps x states / s).
// Compare with the reference kernel in the same session:
//   NODE_PATH=$PWD/node_modules node ../shared/bench/ca5-limit.js 20000
// Options: --runs N (default 20000), --memory (also a 100,000-run ensemble for its peak memory).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 20000) || 20000;
const scenario = 'scenarios/baseline.json';
const STEPS = 60, STATES = 5;

function measure(n: number, workers: number) {
  const out = mkdtempSync(join(tmpdir(), 'spillover-bench-'));
  const child = spawnSync(process.execPath, ['-e', `
    const { performance } = require('node:perf_hooks');
    (async () => {
      const { ensembleExperiment } = await import('./dist/experiment/load.js');
      const { runExperiment } = await import('./dist/experiment/runner.js');
      const x = await ensembleExperiment(${JSON.stringify(scenario)}, ${n}, 1, undefined);
      const t0 = performance.now();
      const s = await runExperiment(x, { out: ${JSON.stringify(out)}, workers: ${workers}, resume: false, shard: { index: 1, count: 1 }, manifest: {} });
      const seconds = (performance.now() - t0) / 1000;
      console.log(JSON.stringify({ seconds, simulateSeconds: s.seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
    })();
  `], { encoding: 'utf8' });
  rmSync(out, { recursive: true, force: true });
  if (child.status !== 0) throw new Error(child.stderr);
  const r = JSON.parse(child.stdout.trim().split('\n').pop()!);
  return {
    runs: n, workers, seconds: +r.seconds.toFixed(2),
    runsPerSec: Math.round(n / r.seconds),
    agentStepsPerSec: Math.round((n * STEPS * STATES) / r.seconds),
    maxRssMB: Math.round(r.maxRssMB),
  };
}

const cores = availableParallelism();
console.log(JSON.stringify({ machine: `${cpus()[0]?.model ?? 'unknown'}, ${cores} cores`, node: process.version, scenario, stepsPerRun: STEPS, states: STATES }));
const one = measure(runs, 1);
console.log(JSON.stringify(one));
const all = measure(runs, cores);
console.log(JSON.stringify({ ...all, speedupOverOneWorker: +(all.runsPerSec / one.runsPerSec).toFixed(2) }));
if (args.includes('--memory')) console.log(JSON.stringify(measure(100000, cores)));
