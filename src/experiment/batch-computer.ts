/**
 * Computing a batch of runs: what a worker thread of the pool does with each batch, and what the main thread does
 * with the batches it takes itself between its other work (see runner.ts). A computer builds a design point's world
 * when its runs come and answers a batch of run ids with their records (sealed and written into the run store too
 * when told) and runs.csv rows. When the aggregator needs histograms, it counts its runs into its own, one set per
 * design point, and hands a point's histograms over once it is past that point (batches come in run-id order) or when
 * flushed; a batch of whole points it summarises instead (point-summary.ts).
 */
import type { LoadedScenario } from '../scenario/loaded.js';
import { Runner, type RunResult } from '../engine/simulate.js';
import { allFinite32, firstNotFinite, isRunFailure, RunOverflow } from '../engine/overflow.js';
import { buildWorld, type World } from '../engine/world.js';
import { runOutcomes } from '../collect/outcomes.js';
import { withValuesAt } from '../scenario/paths.js';
import { recordLayout, sealRecords, type ExperimentMeta, type RecordLayout } from './layout.js';
import { RowsBuffer } from './runs-csv.js';
import { recordedColumns } from './meta.js';
import { pointAt } from './design.js';
import { RunSeeds } from './seeds.js';
import { seriesBinnings, type Binning } from './binning.js';
import { Histograms, type HistogramPages, type SharedPages } from './histograms.js';
import { Stager } from './stager.js';
import { RunStore } from './store.js';
import { PointSummariser, type PointSummary } from './point-summary.js';
import { BLOCK, EXACT, SeriesStats, type RunBlock } from './series-stats.js';

/**
 * Records travel between threads in shared memory, and nothing is ever transferred: transferring an ArrayBuffer
 * detaches it, and the first detach in a thread makes V8 check for detached buffers on every typed-array access from
 * then on (it drops an assumption, the "array buffer detaching protector", that its optimised code relies on). The
 * engine lives on typed arrays: in our measurement one detach made every later run 18% slower (115 -> 136 us), and
 * a worker that transferred its records ran its runs 25% slower than the same loop alone. Histograms and block sums
 * go by copy.
 */
export type RecordBuffer = SharedArrayBuffer;

/** What a computer does beyond running, and with what. */
export interface ComputeOptions {
  meta: ExperimentMeta;
  cells: number[];
  /**
   * What the computer does beyond running: count histograms (see aggregate.ts), seal records, format runs.csv rows.
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
  /**
   * For a computer in a worker thread: every record buffer is shared and made to hold this many runs, the experiment's
   * largest batch. Its buffers come back with later batches, of whatever size, and one too small for the batch would be
   * dropped and another made; a SharedArrayBuffer dropped is not reliably freed, since V8 does not count shared memory
   * towards its collector's pressure (nodejs/node#34703): a worker given the main thread's small slices this way made a
   * new buffer for most of its batches, and an ensemble of 901 steps (2025-2100, monthly) grew by 60 KB a run, to 1.1 GB
   * at 20,000 runs. Without it (the main thread's own computer), records stay in the thread, in plain ArrayBuffers.
   */
  batchRuns?: number;
}

/** A batch of runs to compute, or (`flush`) a request for every histogram still held. */
export interface Batch {
  from: number;
  to: number;
  /** The batch is whole design points: summarise them (point-summary.ts) instead of counting histograms. */
  summarise?: boolean;
  flush?: boolean;
  /**
   * A record buffer the main thread is done with, handed back to be filled again: a worker's shared (see `RecordBuffer`),
   * the main thread's own computer's plain (see `ComputeOptions.batchRuns`).
   */
  buffer?: RecordBuffer | ArrayBuffer;
}
export interface PointHistograms {
  point: number;
  pages: HistogramPages;
}
export interface BatchResult extends Batch {
  /** Records of runs from..to-1 (sealed when `ComputeOptions.seal`), at the start of this buffer (which may be longer). */
  records: RecordBuffer | ArrayBuffer;
  /** Their runs.csv rows, as bytes, newlines included (empty unless `ComputeOptions.rows`). */
  rows: Uint8Array;
  /** Histograms of the points this computer is done with. */
  histograms: PointHistograms[];
  /** The quantiles.csv rows of the batch's points, when it was to summarise them. */
  summaries: PointSummary[];
  /** Sums of the whole blocks of runs in the batch (`ComputeOptions.blocks`), each with its first run id. */
  blocks: RunBlock[];
}

/**
 * The runners of the latest design points, each on its point's world, recording the kept cells (its first columns)
 * and what the outcomes read. Batches come in run-id order, so a point's runs come together and only a few points
 * are open at a time: keeping every point's runner (some 75 KB each, world and state) would grow with the design,
 * 1.5 GB a worker for a sweep of 20,000 points.
 */
const OPEN_POINTS = 8;

/**
 * A run that stopped as bad input (an overflow, a formula that gave no number), told which design point and replicate
 * it was (see `runFailureAsInput`), or anything else as it was.
 */
function locateFailure(e: unknown, meta: ExperimentMeta, point: number, replicate: number): unknown {
  if (isRunFailure(e)) {
    const values = Object.entries(pointAt(meta.points, point)).map(([path, v]) => `${path} = ${v}`).join(', ');
    e.where = meta.parameters.length ? `design point ${point} (${values}), replicate ${replicate}` : `run ${point * meta.replicates + replicate}`;
  }
  return e;
}

/** Copies a run's kept cells (the first `cells` columns of each step), step-major, into its record. */
function keep(values: Float64Array, width: number, steps: number, cells: number, series: Float32Array): void {
  if (width === cells) return series.set(values);
  for (let k = 0; k < steps; k++) {
    const from = k * width, to = k * cells;
    for (let c = 0; c < cells; c++) series[to + c] = values[from + c];
  }
}

/** The RunOverflow of the first kept value that did not fit in its record's float (a double beyond ±3.4e38, finite, is Inf there). */
function recordOverflow(run: RunResult, cells: number, series: Float32Array): RunOverflow {
  const j = firstNotFinite(series);
  const k = Math.floor(j / cells), c = j % cells, r = run.reporters[c];
  return new RunOverflow(r.entity, r.variable, run.times[k], run.values[k * run.reporters.length + c], run.seed, FLOAT32_MAX);
}

/** The largest 32-bit float. */
const FLOAT32_MAX = 3.4028234663852886e38;

export class BatchComputer {
  private readonly o: ComputeOptions;
  private readonly loaded: Pick<LoadedScenario, 'scenario' | 'formulas'>;
  private readonly layout: RecordLayout;
  private readonly store?: RunStore;
  private readonly runners = new Map<number, Runner>();
  private readonly seeds: RunSeeds;
  /** The world built last (see `buildWorld`'s `previous`). */
  private lastWorld?: World;
  /** The reporter columns the runners record (`recordedColumns`). */
  private columns?: number[];
  private readonly binnings: Binning[];
  private readonly held = new Map<number, Histograms>();
  private readonly spare: Histograms[] = [];
  /** Runs on their way into this computer's histograms (see stager.ts). */
  private readonly stager?: Stager;
  private summariser?: PointSummariser;
  /** The batch's runs.csv rows (`ComputeOptions.rows`). */
  private readonly rows?: RowsBuffer;
  /** The block of runs being summed (`ComputeOptions.blocks`). */
  private readonly blockStats?: SeriesStats;
  /**
   * Record buffers to fill again. A fresh buffer costs more than its allocation: each of its pages faults on first
   * write (in our measurement about a tenth of a run's time went to the first pass over new buffers). Records sit at
   * the same offsets in every batch, so the padding before a record's trailer is never written and stays zero.
   */
  private readonly free: Array<RecordBuffer | ArrayBuffer> = [];

  /** Where a worker thread's histogram sets take the pages they lend the main thread (plain ones, handed over, without). */
  private readonly shared?: SharedPages;

  /**
   * `loaded`: the resolved scenario the main thread loaded, checked and hashed, with its compiled formulas; `shared`,
   * a worker thread's page stores, which outlive its experiments.
   */
  constructor(loaded: Pick<LoadedScenario, 'scenario' | 'formulas'>, o: ComputeOptions, shared?: SharedPages) {
    this.o = o;
    this.shared = shared;
    this.loaded = loaded;
    this.layout = recordLayout(o.meta);
    this.seeds = new RunSeeds(o.meta.seed, o.meta.points, o.meta.pairedSeeds);
    if (o.store) {
      this.store = RunStore.open(o.store, o.meta);
      // of this experiment: another run made into the same folder meanwhile has its own
      if (!this.store || this.store.header.hash !== o.meta.hash) throw new Error(`batch computer: ${o.store} is not this experiment's run store`);
    }
    this.binnings = o.histograms ? seriesBinnings(o.meta) : [];
    if (o.histograms) this.stager = new Stager(this.layout.series, undefined, o.meta.replicates);
    if (o.blocks) this.blockStats = new SeriesStats(this.layout.series);
    if (o.rows) this.rows = new RowsBuffer(o.meta);
  }

  private runnerOf(point: number): Runner {
    let runner = this.runners.get(point);
    if (!runner) {
      const { meta, cells } = this.o;
      // the last point's world lends what this one's design values leave unchanged (its GDP trend, most often, and the
      // parts read off the design's paths: every point is the same base scenario with the design's values set)
      const world: World = buildWorld({ ...this.loaded, scenario: withValuesAt(this.loaded.scenario, pointAt(meta.points, point)) }, this.lastWorld, meta.parameters);
      this.lastWorld = world;
      // the records hold the steps of the experiment's times: a point of other steps would be written as if it had them
      if (world.steps + 1 !== meta.times.length) throw new Error(`batch computer: design point ${point} has ${world.steps} steps, the experiment ${meta.times.length - 1}`);
      // the same for every point: design parameters are numbers, which change no state or sector
      this.columns ??= recordedColumns(world, cells);
      // the oldest point's runner, if there are enough open, serves this one
      let oldest: Runner | undefined;
      if (this.runners.size >= OPEN_POINTS) {
        const [p, r] = this.runners.entries().next().value!;
        this.runners.delete(p);
        oldest = r;
      }
      runner = oldest?.retarget(world) ? oldest : new Runner(world, this.columns);
      this.runners.set(point, runner);
    }
    return runner;
  }

  /** Hands over (in the result) and drops the histograms of points before `point`. */
  private flushBefore(point: number): PointHistograms[] {
    const done = [...this.held].filter(([p]) => p < point).sort((a, b) => a[0] - b[0]);
    if (done.length > 0) this.stager?.flush(); // the stage may hold runs of those points
    const out: PointHistograms[] = [];
    for (const [p, h] of done) {
      out.push({ point: p, pages: this.shared ? h.lend() : h.takePages() }); // which leaves h empty
      this.spare.push(h);
      this.held.delete(p);
    }
    return out;
  }

  /** Computes a batch (or answers a flush: every histogram still held, after which the store is closed). */
  compute({ from, to, summarise, flush, buffer }: Batch): BatchResult {
    const { o, layout, stager, blockStats } = this;
    const { meta } = o;
    if (buffer) this.free.push(buffer);
    if (flush) {
      this.store?.close();
      return { from, to, records: new SharedArrayBuffer(0), rows: new Uint8Array(0), histograms: this.flushBefore(Infinity), summaries: [], blocks: [] };
    }
    const histograms = o.histograms ? this.flushBefore(Math.floor(from / meta.replicates)) : [];
    const size = (to - from) * layout.bytes;
    let reused = this.free.pop();
    if (reused && reused.byteLength < size) reused = undefined;
    const records = reused ?? (o.batchRuns ? new SharedArrayBuffer(Math.max(to - from, o.batchRuns) * layout.bytes) : new ArrayBuffer(size));
    const bytes = new Uint8Array(records, 0, size);
    const rows = this.rows;
    rows?.start(to - from);
    const summaries: PointSummary[] = [];
    const blocks: RunBlock[] = [];
    if (summarise) this.summariser ??= new PointSummariser(meta, layout.series);
    for (let id = from; id < to; id++) {
      const point = Math.floor(id / meta.replicates);
      const replicate = id % meta.replicates;
      const seed = this.seeds.of(point, replicate);
      let run: RunResult;
      try {
        run = this.runnerOf(point).run(seed, { events: false });
      } catch (e) {
        throw locateFailure(e, meta, point, replicate);
      }
      const base = (id - from) * layout.bytes;
      const outcomes = new Float64Array(records, base, layout.outcomes);
      runOutcomes(run, outcomes);
      rows?.add(id, outcomes, seed);
      const series = new Float32Array(records, base + layout.seriesOffset, layout.series);
      keep(run.values, run.reporters.length, run.times.length, o.cells.length, series);
      // a double beyond ±3.4e38, finite, is Inf in a record's 32-bit floats (and NA in quantiles.csv)
      if (!allFinite32(series)) throw locateFailure(recordOverflow(run, o.cells.length, series), meta, point, replicate);
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
        const summary = this.summariser!.add(point, replicate, series);
        if (summary) summaries.push(summary);
      } else if (stager) {
        let h = this.held.get(point);
        if (!h) this.held.set(point, (h = this.spare.pop() ?? new Histograms(this.binnings, this.shared)));
        stager.add(h, series);
      }
    }
    if (o.seal) sealRecords(bytes, layout, from);
    this.store?.writeRecords(from, bytes);
    // a copy: the buffer is this computer's, and the message copies only what it is given
    return { from, to, records, rows: rows ? rows.view().slice() : new Uint8Array(0), histograms, summaries, blocks };
  }
}
