/**
 * A worker thread of the pool: loads the scenario once, builds each design point's world once, and answers
 * batches of run ids with their records (transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadScenario } from '../scenario/load.js';
import type { LoadedScenario } from '../scenario/loaded.js';
import { simulate } from '../engine/simulate.js';
import { buildWorld, type World } from '../engine/world.js';
import { runOutcomes } from '../collect/outcomes.js';
import { setAtPath } from '../scenario/paths.js';
import { recordLayout, type ExperimentMeta } from './layout.js';
import { recordedColumns } from './meta.js';
import { runSeed } from './seeds.js';

export interface WorkerInit {
  scenarioFile: string;
  meta: ExperimentMeta;
  cells: number[];
}
export interface Batch {
  from: number;
  to: number;
}
export interface BatchResult extends Batch {
  records: ArrayBuffer;
}

const init = workerData as WorkerInit;
const { meta } = init;
const layout = recordLayout(meta);
const loaded: LoadedScenario = await loadScenario(init.scenarioFile);
const worlds = new Map<number, World>();

function worldOf(point: number): World {
  let world = worlds.get(point);
  if (!world) {
    const scenario = structuredClone(loaded.scenario);
    for (const [path, value] of Object.entries(meta.points[point])) setAtPath(scenario, path, value);
    worlds.set(point, (world = buildWorld({ ...loaded, scenario })));
  }
  return world;
}

const columnsOf = new Map<World, { columns: number[]; cellAt: Int32Array }>();
function columns(world: World) {
  let c = columnsOf.get(world);
  if (!c) {
    const columns = recordedColumns(world, init.cells);
    c = { columns, cellAt: Int32Array.from(init.cells, (cell) => columns.indexOf(cell)) };
    columnsOf.set(world, c);
  }
  return c;
}

parentPort!.on('message', ({ from, to }: Batch) => {
  const bytes = new Uint8Array((to - from) * layout.bytes);
  for (let id = from; id < to; id++) {
    const point = Math.floor(id / meta.replicates);
    const replicate = id % meta.replicates;
    const world = worldOf(point);
    const { columns: cols, cellAt } = columns(world);
    const run = simulate(world, runSeed(meta.seed, meta.points[point], replicate), cols, { events: false });
    const base = (id - from) * layout.bytes;
    runOutcomes(run, new Float64Array(bytes.buffer, base, layout.outcomes));
    const series = new Float32Array(bytes.buffer, base + layout.seriesOffset, layout.series);
    const width = cols.length;
    const cellCount = cellAt.length;
    for (let k = 0; k < run.times.length; k++)
      for (let c = 0; c < cellCount; c++) series[k * cellCount + c] = run.values[k * width + cellAt[c]];
  }
  parentPort!.postMessage({ from, to, records: bytes.buffer } satisfies BatchResult, [bytes.buffer]);
});
parentPort!.postMessage({ ready: true });
