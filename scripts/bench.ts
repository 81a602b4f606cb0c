// npm run bench: engine speed on the baseline, one worker, in the units of ../shared/bench (agent-steps/s).
// Compare with the reference kernel in the same session:
//   NODE_PATH=$PWD/node_modules node ../shared/bench/ca5-limit.js 20000
import { performance } from 'node:perf_hooks';
import { loadScenario } from '../src/scenario/load.js';
import { buildWorld } from '../src/engine/world.js';
import { simulate } from '../src/engine/simulate.js';
import { deriveSeed } from '../src/engine/rng.js';

const runs = Number(process.argv[2] ?? 2000);
const file = process.argv[3] ?? 'scenarios/baseline.json';
const world = buildWorld(await loadScenario(file));
for (let r = 0; r < 50; r++) simulate(world, deriveSeed(0, r)); // warm-up
const t0 = performance.now();
let check = 0;
for (let r = 0; r < runs; r++) {
  const run = simulate(world, deriveSeed(1, r));
  check += run.values[run.values.length - 1];
}
const seconds = (performance.now() - t0) / 1000;
const runsPerSec = runs / seconds;
console.log(JSON.stringify({
  scenario: world.scenario.name, runs, seconds: +seconds.toFixed(2), runsPerSec: +runsPerSec.toFixed(1),
  stepsPerRun: world.steps, agents: world.n,
  agentStepsPerSec: Math.round(runsPerSec * world.steps * world.n),
  maxRssMB: +(process.resourceUsage().maxRSS / 1024).toFixed(1), node: process.version, check,
}));
