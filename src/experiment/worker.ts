/**
 * A worker thread of the pool: loads the scenario once, builds a design point's world when its runs come, and answers
 * batches of run ids with their sealed records (transferred, not copied; written into the run store too when told)
 * and runs.csv rows. When the aggregator needs histograms, the worker counts its runs into its own, one set per
 * design point, and sends a point's histograms once it is past that point (batches come in run-id order) or when told
 * to flush; a batch of whole points it summarises instead (point-summary.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileFormulas } from '../scenario/formulas.js';
import type { Scenario } from '../scenario/schema.js';
import { Runner } from '../engine/simulate.js';
import { buildWorld, type World } from '../engine/world.js';
import { runOutcomes } from '../collect/outcomes.js';
import { withValuesAt } from '../scenario/paths.js';
import { recordLayout, sealRecords, type ExperimentMeta } from './layout.js';
import { runsRow } from './runs-csv.js';
import { recordedColumns } from './meta.js';
import { runSeed } from './seeds.js';
import { seriesBinnings } from './aggregate.js';
import { Histograms, type HistogramPages } from './histograms.js';
import { Stager } from './stager.js';
import { RunStore } from './store.js';
import { PointSummariser, type PointSummary } from './point-summary.js';
import { BLOCK, EXACT, SeriesStats, type RunBlock } from './series-stats.js';

export interface WorkerInit {
  /**
   * The resolved scenario the main thread loaded, checked and hashed: workers neither read its files again (which
   * may have changed since) nor load the validator.
   */
  scenario: Scenario;
  meta: ExperimentMeta;
  cells: number[];
  /**
   * What the worker does beyond running: count histograms (see aggregate.ts), seal records, format runs.csv rows.
   * With one worker the main thread has a core to itself and does all three; a shard, which writes no runs.csv until
   * it is merged, needs no rows.
   */
  histograms: boolean;
  seal: boolean;
  rows: boolean;
  /**
   * Whether to sum whole blocks of runs beyond a point's first (see series-stats.ts) for the main thread, which then
   * adds a block's sums instead of every run's values.
   */
  blocks: boolean;
  /**
   * The run store (`runs.bin`) to write sealed records into, when workers write their own (several workers: the main
   * thread's write of each record was a sixth of its work per run); otherwise the main thread writes them.
   */
  store?: string;
}
/** A batch of runs to compute, or (`flush`) a request for every histogram still held. */
export interface Batch {
  from: number;
  to: number;
  /** The batch is whole design points: summarise them (point-summary.ts) instead of counting histograms. */
  summarise?: boolean;
  flush?: boolean;
  /** A record buffer the main thread is done with, handed back to be filled again. */
  buffer?: ArrayBuffer;
}
export interface PointHistograms {
  point: number;
  pages: HistogramPages;
}
export interface BatchResult extends Batch {
  /** Sealed records of runs from..to-1, at the start of this buffer (which may be longer). */
  records: ArrayBuffer;
  /** Their runs.csv rows (empty unless `WorkerInit.rows`). */
  rows: string[];
  /** Histograms of the points this worker is done with. */
  histograms: PointHistograms[];
  /** The quantiles.csv rows of the batch's points, when it was to summarise them. */
  summaries: PointSummary[];
  /** Sums of the whole blocks of runs in the batch (`WorkerInit.blocks`), each with its first run id. */
  blocks: RunBlock[];
}

const init = workerData as WorkerInit;
const { meta } = init;
const layout = recordLayout(meta);
const loaded = { scenario: init.scenario, formulas: await compileFormulas(init.scenario) };
const store = init.store ? RunStore.open(init.store, meta) : undefined;
if (init.store && !store) throw new Error(`worker: ${init.store} is not a run store`);

/**
 * The runners of the latest design points, each on its point's world, recording the kept cells (its first columns)
 * and what the outcomes read. Batches come in run-id order, so a point's runs come together and only a few points
 * are open at a time: keeping every point's runner (some 75 KB each, world and state) would grow with the design,
 * 1.5 GB a worker for a sweep of 20,000 points.
 */
const runners = new Map<number, Runner>();
const OPEN_POINTS = 8;
function runnerOf(point: number): Runner {
  let runner = runners.get(point);
  if (!runner) {
    const world: World = buildWorld({ ...loaded, scenario: withValuesAt(loaded.scenario, meta.points[point]) });
    runners.set(point, (runner = new Runner(world, recordedColumns(world, init.cells))));
    if (runners.size > OPEN_POINTS) runners.delete(runners.keys().next().value!);
  }
  return runner;
}

const binnings = init.histograms ? seriesBinnings(meta) : [];
const held = new Map<number, Histograms>();
const spare: Histograms[] = [];

/** Runs on their way into this worker's histograms (see stager.ts). */
const stager = init.histograms ? new Stager(layout.series) : undefined;
let summariser: PointSummariser | undefined;
/** The block of runs being summed (`WorkerInit.blocks`). */
const blockStats = init.blocks ? new SeriesStats(layout.series) : undefined;

/** Copies a run's kept cells (the first `cells` columns of each step), step-major, into its record. */
function keep(values: Float64Array, width: number, steps: number, cells: number, series: Float32Array): void {
  if (width === cells) return series.set(values);
  for (let k = 0; k < steps; k++) {
    const from = k * width, to = k * cells;
    for (let c = 0; c < cells; c++) series[to + c] = values[from + c];
  }
}

/** Sends (in the result) and drops the histograms of points before `point`. */
function flushBefore(point: number): PointHistograms[] {
  const done = [...held].filter(([p]) => p < point).sort((a, b) => a[0] - b[0]);
  if (done.length > 0) stager?.flush(); // the stage may hold runs of those points
  const out: PointHistograms[] = [];
  for (const [p, h] of done) {
    out.push({ point: p, pages: h.takePages() }); // which leaves h empty
    spare.push(h);
    held.delete(p);
  }
  return out;
}

function post(result: BatchResult): void {
  const transfer: ArrayBuffer[] = [result.records];
  for (const h of result.histograms) transfer.push(h.pages.slots.buffer as ArrayBuffer, h.pages.counts.buffer as ArrayBuffer);
  for (const b of result.blocks) transfer.push(b.sum.buffer as ArrayBuffer, b.min.buffer as ArrayBuffer, b.max.buffer as ArrayBuffer, b.missing.buffer as ArrayBuffer);
  parentPort!.postMessage(result, transfer);
}

/**
 * Record buffers to fill again. A fresh buffer costs more than its allocation: each of its pages faults on first
 * write (in our measurement about a tenth of a run's time went to the first pass over new buffers). Records sit at
 * the same offsets in every batch, so the padding before a record's trailer is never written and stays zero.
 */
const free: ArrayBuffer[] = [];

parentPort!.on('message', ({ from, to, summarise, flush, buffer }: Batch) => {
  if (buffer) free.push(buffer);
  if (flush) {
    store?.close();
    return post({ from, to, records: new ArrayBuffer(0), rows: [], histograms: flushBefore(Infinity), summaries: [], blocks: [] });
  }
  const histograms = init.histograms ? flushBefore(Math.floor(from / meta.replicates)) : [];
  const size = (to - from) * layout.bytes;
  let reused = free.pop();
  if (reused && reused.byteLength < size) reused = undefined;
  const bytes = new Uint8Array(reused ?? new ArrayBuffer(size), 0, size);
  const rows: string[] = [];
  const summaries: PointSummary[] = [];
  const blocks: RunBlock[] = [];
  if (summarise) summariser ??= new PointSummariser(meta, layout.series);
  for (let id = from; id < to; id++) {
    const point = Math.floor(id / meta.replicates);
    const replicate = id % meta.replicates;
    const runner = runnerOf(point);
    const run = runner.run(runSeed(meta.seed, meta.points[point], replicate), { events: false });
    const base = (id - from) * layout.bytes;
    const outcomes = new Float64Array(bytes.buffer, base, layout.outcomes);
    runOutcomes(run, outcomes);
    if (init.rows) rows.push(runsRow(meta, id, outcomes));
    const series = new Float32Array(bytes.buffer, base + layout.seriesOffset, layout.series);
    keep(run.values, run.reporters.length, run.times.length, init.cells.length, series);
    if (blockStats && !summarise && replicate >= EXACT) {
      // a block wholly in this batch (a point's first block stays with the main thread, which keeps its values)
      const first = id - (replicate % BLOCK), end = Math.min(first + BLOCK, (point + 1) * meta.replicates);
      if (first >= from && end <= to) {
        blockStats.add(series);
        if (id === end - 1) {
          blocks.push({ first, ...blockStats.blockStats() });
          blockStats.clear();
        }
      }
    }
    if (summarise) {
      const summary = summariser!.add(point, replicate, series);
      if (summary) summaries.push(summary);
    } else if (stager) {
      let h = held.get(point);
      if (!h) held.set(point, (h = spare.pop() ?? new Histograms(binnings)));
      stager.add(h, series);
    }
  }
  if (init.seal) sealRecords(bytes, layout, from);
  store?.writeRecords(from, bytes);
  post({ from, to, records: bytes.buffer, rows, histograms, summaries, blocks });
});
parentPort!.postMessage({ ready: true });
