/**
 * Running an experiment, a layer above single runs: a pool of worker threads, and with more than one thread the main
 * thread too (on a single core, the main thread alone), computes runs in batches, handed out in run-id order; records
 * come back in shared memory (never transferred: see `RecordBuffer`); each is written into `runs.bin` as it arrives (by
 * its worker, when there are several); the records are aggregated into the outputs as they come, written to a
 * temporary folder and renamed into place. With `resume`, sealed records are kept and only the others are run; with
 * `reuse`, records an earlier experiment made of the same runs are copied in first. A shard runs its block of run ids
 * and leaves its records for `merge`.
 */
import { existsSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { runFailureAsInput } from '../engine/overflow.js';
import { InputError, RunInputError } from '../scenario/errors.js';
import { utilityOrigin } from '../scenario/formulas.js';
import { aggregate, Aggregator, feedFromStore } from './aggregate.js';
import { recordLayout, sealRecords, type ExperimentMeta } from './layout.js';
import type { ResolvedExperiment } from './load.js';
import { experimentMeta } from './meta.js';
import { shardRange } from './seeds.js';
import { RunStore, STORE_MAGIC, type StoreHeader } from './store.js';
import type { PointSummary } from './point-summary.js';
import { BLOCK, needsHistograms, type RunBlock } from './series-stats.js';
import { makeFolder } from './make-folder.js';
import { lockFolder, removeLeftBehind, unfinishedAdvice, type FolderLock } from './folder-lock.js';
import { SpareBuffers } from './spare-buffers.js';
import { BatchComputer, type Batch, type BatchResult, type PointHistograms, type RecordBuffer } from './batch-computer.js';
import type { WorkerInit } from './worker.js';
import { copiedRuns, openReuse, reuseRuns, type ReuseSource } from './reuse.js';
import { metaFileHash, PARTIAL_META, readMetaFile, writeMetaFile } from './meta-file.js';
import { openShards, runsNotGiven } from './shards.js';
import { mergedManifest } from './merged-manifest.js';
import { distinctShardFolders } from './manifest-file.js';
import { OUTPUTS, outputsOf, refuseForeignOutputs } from './output-files.js';
import { usableCores } from './cores.js';

export interface Shard {
  index: number;
  count: number;
}

export interface Progress {
  /** Runs finished, those kept from before a resume included. */
  done: number;
  total: number;
  /** Runs kept from before a resume (finished before `seconds` began). */
  kept: number;
  seconds: number;
}

/**
 * How to run an experiment. From code, only `out` is needed: `runExperiment(x, { out: 'output/mine' })` runs it whole,
 * on every core, as `spillover sweep` does with no options.
 */
export interface RunOptions {
  /**
   * The output folder: a new one, or an experiment's (whose outputs are made again). A folder holding files of the
   * outputs' names that no experiment wrote (a run's manifest.json) is refused with an `InputError`.
   */
  out: string;
  /** Threads computing runs (default: the cores this process may use, `usableCores`, as `--workers` defaults). */
  workers?: number;
  /**
   * The cores the threads share (default: as many as they are). With one core, one thread computing is the main thread
   * alone: a worker thread there would only take turns with the main thread's aggregating (see `workerThreads`).
   */
  cores?: number;
  /** Keep the finished runs of an earlier, stopped command into `out` and compute only the rest (default false). */
  resume?: boolean;
  /**
   * Earlier output folders whose runs this experiment shares (the same model version, scenario and base seed, keeping
   * this experiment's variables or more) to copy instead of computing again (see reuse.ts); the outputs are the same
   * either way.
   */
  reuse?: string[];
  /**
   * The shard to run (default 1 of 1, the whole experiment); with `reuse`, shards split the runs into blocks of equal
   * cost, a copied run cheaper (`shardRange`).
   */
  shard?: Shard;
  /**
   * Told the shard's runs [first, end), with the experiment's metadata, once its folder is made and locked and nothing
   * is left to refuse, before its records are made and its runs start.
   */
  onShard?: (first: number, end: number, meta: ExperimentMeta) => void;
  onProgress?: (p: Progress) => void;
  /**
   * With `workers` above 1, the main thread computes runs too only when there are at least this many to compute (default
   * MAIN_COMPUTES_FROM; 0: always). The outputs are the same either way.
   */
  mainComputesFrom?: number;
  /** Extra fields for manifest.json (tool, versions, command; default none). */
  manifest?: Record<string, unknown>;
}

/** Options with their defaults filled in. */
type Settled = RunOptions & Required<Pick<RunOptions, 'workers' | 'resume' | 'shard' | 'manifest' | 'reuse'>>;

function settle(o: RunOptions): Settled {
  const workers = o.workers ?? usableCores();
  // a script's mistake, not a user's input (the command line checks its own): said at once, not as a hang or NaN runs
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`runExperiment: workers is ${workers}; expected a whole number of at least 1`);
  const shard = o.shard ?? { index: 1, count: 1 };
  if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 1 || shard.index > shard.count)
    throw new RangeError(`runExperiment: shard is ${shard.index}/${shard.count}; expected I/N with 1 <= I <= N`);
  // a merge's folder holds no records: its shards' folders are read in its place
  return { ...o, workers, resume: o.resume ?? false, shard, manifest: o.manifest ?? {}, reuse: distinctShardFolders(o.reuse ?? []) };
}

export interface RunStats {
  meta: ExperimentMeta;
  ran: number;
  /** Runs not computed now: kept from before a resume, or reused. */
  skipped: number;
  /** Of those, runs copied from `RunOptions.reuse`. */
  reused: number;
  /** How many runs each folder of `RunOptions.reuse` gave, in order (a folder whose runs were all given by one before it gives none). */
  reusedFrom: Array<{ folder: string; runs: number }>;
  seconds: number;
  /**
   * Threads that computed runs: `RunOptions.workers`, or fewer where the main thread left an experiment under
   * `mainComputesFrom` runs to the worker threads, or there were fewer batches than threads.
   */
  threads: number;
  complete: boolean;
}

/**
 * The worker's code: from the sources (tests, under tsx) worker.ts; built, the worker bundled into one file by `npm run
 * build` (a worker started some 35 ms sooner from one file than from its fifty modules: 75 ms against 110), or
 * worker.js where the build made no bundle. Addressed through `../experiment/`, so that it is found from this module
 * in dist/experiment and from the bundled command in dist/cli alike.
 */
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('../experiment/worker.ts', import.meta.url)
  : [new URL('../experiment/worker-bundle.js', import.meta.url), new URL('../experiment/worker.js', import.meta.url)].find((url) => existsSync(url))!;

/**
 * Worker threads waiting for an experiment: started ahead of one (`prestartWorkers`), or done with the last one
 * (`releaseWorker`), each with the timer that stops it if no experiment comes. They do not keep the process alive.
 */
const idle = new Map<Worker, NodeJS.Timeout>();

/**
 * How long a worker waits for an experiment before it is stopped: long enough for a report's next scenario to load,
 * short enough that a program which ran one experiment does not keep a thread and its heap (some tens of MB) for good.
 */
const IDLE_MS = 10_000;

/** Leaves a worker waiting, unreferenced; one that fails while waiting is stopped, and `startWorker` passes it over. */
function wait(worker: Worker): void {
  worker.unref();
  // its error is not this process's to report: a new worker takes its place, and that one's errors are reported
  worker.on('error', () => {});
  const timer = setTimeout(() => {
    idle.delete(worker); // first, so that no experiment takes a worker being stopped
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  idle.set(worker, timer);
}

/** A waiting worker still running, taken off the waiting list, if there is one. */
function takeIdle(): Worker | undefined {
  for (const [worker, timer] of idle) {
    clearTimeout(timer);
    idle.delete(worker);
    if (worker.threadId >= 0) return worker; // else it failed while waiting: not usable
  }
  return undefined;
}

/**
 * Starts worker threads for the next experiment of `workers` threads (`RunOptions.workers`) to take: a worker thread
 * takes 60-80 ms to start, which the command line spends loading and checking the experiment meanwhile. They do not
 * keep the process alive (a command that fails to load its experiment exits as if they were not there), and sit idle
 * until an experiment takes them.
 */
export function prestartWorkers(workers: number, cores?: number): void {
  while (idle.size < workerThreads(workers, cores)) wait(new Worker(WORKER_URL));
}

/** A worker thread for an experiment: a waiting one if there is one still running, else a new one. */
function startWorker(message: WorkerInit): Worker {
  let worker = takeIdle();
  if (worker) forget(worker);
  else worker = new Worker(WORKER_URL);
  worker.ref();
  worker.postMessage(message);
  return worker;
}

/**
 * Keeps a worker that has answered its experiment's flush for the next experiment of this process (a what-if report
 * runs one per scenario): it is already started, and its code compiled and optimised. A report of three scenarios of
 * 100 runs took 1.55-1.65 s with a new worker for each, 1.45-1.56 s so.
 */
function releaseWorker(worker: Worker): void {
  forget(worker);
  wait(worker);
}

/** Removes the listeners an experiment or the wait put on a worker (not all: the worker's own keep its port working). */
function forget(worker: Worker): void {
  for (const event of ['message', 'error', 'exit']) worker.removeAllListeners(event);
}

/**
 * Worker threads for `--workers K`: K threads compute runs; for K > 1 these are K - 1 worker threads and the main
 * thread (which computes only in experiments of MAIN_COMPUTES_FROM runs or more), for K = 1 one worker thread while the
 * main thread aggregates, on another core. On a single core (`cores` 1: an array task given one CPU, a container
 * limited to one) K = 1 is the main thread alone, computing and aggregating: a worker thread there only takes turns
 * with it, and costs its start, its heap and the messages. Confined to one core of the development machine, a 1,000-run
 * ensemble finished 7-17% sooner so, start to exit, peaking at 95 MB instead of 111 (20,000 runs: within the machine's
 * drift, 98 MB instead of 125).
 */
export function workerThreads(workers: number, cores = Infinity): number {
  return workers > 1 ? workers - 1 : cores > 1 ? 1 : 0;
}

/** What passes between the pool and its caller. */
interface PoolExchange {
  /**
   * A batch of records, their runs.csv rows and summaries of its points and blocks, as batches finish; `byMain`: the
   * main thread computed it, with nothing done beyond the runs (as for one worker).
   */
  onBatch: (from: number, to: number, records: Uint8Array, rows: Uint8Array, summaries: PointSummary[], blocks: RunBlock[], byMain: boolean) => void;
  /** Workers' histograms (with their batches, and at the end, when each worker is told to flush). */
  onHistograms: (h: PointHistograms[]) => void;
  /**
   * Record buffers the caller is done with: the workers' (shared), which the pool hands back to workers to fill again,
   * and the main thread's own (see `ComputeOptions.batchRuns`).
   */
  spare: RecordBuffer[];
  mainSpare: SpareBuffers;
}

/**
 * From this many worker threads on (`--workers 5`: four and the main thread), workers sum whole blocks of runs for the
 * means (series-stats.ts) and the main thread adds the blocks. Below, the main thread has time to add every run's
 * values itself, and does: on two cores, moving the sums into the two workers made an ensemble 5% slower (6,225
 * against 5,913 runs/s, medians of six). The outputs are the same either way.
 */
const BLOCK_SUM_WORKERS = 4;

/**
 * How far ahead of a worker the pool hands out batches. Its queue has to outlast the main thread's longest pause, or
 * the worker waits: at the start the main thread aggregates in code not yet optimised (its first batch took 65 ms, its
 * first count of staged histograms 90-100 ms, while four batches of 64 runs are 30 ms of a worker's work). So each
 * worker has at least MIN_IN_FLIGHT batches and up to MAX_RUNS_IN_FLIGHT runs queued, within IN_FLIGHT_BYTES of records
 * shared by all workers (their records wait in memory until aggregated). Measured on one worker, 20,000 runs: the
 * worker waited 110-190 ms in all with four batches, 60-75 ms with 1,024 runs (most of it at the end, for the main
 * thread's last point), and ran 1-2% faster, alternating five times.
 */
const MIN_IN_FLIGHT = 4, MAX_RUNS_IN_FLIGHT = 1024, IN_FLIGHT_BYTES = 64 << 20;

/**
 * The most records one worker holds queued, whatever the number of workers: the queue is there to outlast a pause of
 * the main thread (some 100 ms), and 1,024 of the baseline's runs (9.6 MB) do. Within IN_FLIGHT_BYTES alone, one worker
 * held 64 MB of monthly runs to 2100 (478 runs, a second of its work), and beside it the main thread computed as much
 * again, waiting to be aggregated after the worker's: 24,000 such runs on two threads peaked at 509 MB, 6,000 at 451.
 */
const WORKER_QUEUE_BYTES = 16 << 20;

/** The number of runs each worker holds queued at most, for `workers` worker threads and records of `recordBytes`. */
export function queuedRuns(workers: number, recordBytes: number): number {
  return Math.min(MAX_RUNS_IN_FLIGHT, Math.floor(Math.min(IN_FLIGHT_BYTES / workers, WORKER_QUEUE_BYTES) / recordBytes));
}

/**
 * With `--workers` above 1, the main thread computes runs too only when an experiment has this many runs to compute.
 * Before its runs pay, it compiles the engine a second time (some 0.3 s of optimising compilation, on background
 * threads that take the cores the workers use) and runs it unoptimised. From the command line on the development
 * machine's two cores, a worker thread alone (the main thread aggregating) ran experiments of 100 runs in 0.19-0.23 s
 * against 0.26-0.28 with the main thread computing, 1,000 runs in 0.36-0.41 s against 0.41-0.49, 5,000 in the same
 * time; 8,000 runs went 10% faster with it, 20,000 some 30%. Outputs are the same either way. A machine of other
 * speeds may want another figure: `RunOptions.mainComputesFrom`, from the command line SPILLOVER_MAIN_COMPUTES_FROM.
 */
export const MAIN_COMPUTES_FROM = 5000;

/**
 * How long the main thread computes at a time between the messages it handles (`runPool`): a whole batch if it takes
 * at most MAIN_TAKE_MS, else a slice of MAIN_SLICE_MS; and what a run is taken to cost before it has run any, about
 * what the first, unoptimised runs cost.
 */
const MAIN_TAKE_MS = 25, MAIN_SLICE_MS = 8, COLD_MS_PER_RUN = 2;

/** Points of this many runs or fewer are handed out whole, to be summarised by their worker (point-summary.ts). */
const SUMMARISED_POINT_RUNS = 1024;

/**
 * A batch's records take no more than BATCH_BYTES, and a point summarised whole by its worker no more than
 * SUMMARISED_POINT_BYTES: each worker holds at least MIN_IN_FLIGHT batches, so batches of 64 runs whatever a run's size
 * held 152 MB a worker for weekly runs to 2100 (593 KB a run), 2.3 GB on sixteen cores, and a summarised point of 1,024
 * such runs 600 MB. Runs that long cost far more than their messages and rows, which is what large batches and whole
 * points save. The baseline's runs (10 KB) are unaffected: 64 to a batch, points of up to 1,024 runs summarised.
 */
const BATCH_BYTES = 4 << 20, SUMMARISED_POINT_BYTES = 16 << 20;

/** The most runs a batch holds, for records of `recordBytes` (see BATCH_BYTES). */
export function batchRunsFor(recordBytes: number): number {
  return Math.max(1, Math.min(64, Math.floor(BATCH_BYTES / recordBytes)));
}

/**
 * The runs `ids` (ascending) in batches of contiguous ids: small enough to balance the workers and to hold no more
 * than `most` runs (`batchRunsFor`), large enough to keep messages rare, and ending where a block of runs for the sums ends (series-stats.ts), so that a worker holds whole
 * blocks. With `summarise`, the points whose runs are all to be computed go whole, one or more to a batch, to be
 * summarised by their worker; the others' runs (a point partly done before a resume) go in plain batches.
 */
export function planBatches(ids: ArrayLike<number>, replicates: number, workers: number, summarise: boolean, most = 64): Batch[] {
  const size = Math.max(1, Math.min(most, Math.ceil(ids.length / (workers * 8))));
  // whether ids[j] starts a point all of whose runs are to be computed (ids ascend, so its last run settles it)
  const wholeAt = (j: number) => ids[j] % replicates === 0 && ids[j + replicates - 1] === ids[j] + replicates - 1;
  const batches: Batch[] = [];
  for (let k = 0; k < ids.length; ) {
    const whole = summarise && wholeAt(k);
    let end = k + 1;
    if (whole) {
      // whole points while the batch stays within `size` runs (a point larger than that goes alone)
      end = k + replicates;
      while (end - k + replicates <= size && ids[end] === ids[end - 1] + 1 && wholeAt(end)) end += replicates;
    } else {
      // contiguous runs within `size`, across the start of a block only when the whole block fits (so that a worker
      // holds whole blocks, and a batch of small points several points: ending a batch at every block's start made
      // a batch a point, and a sweep of one-run points sent a message a run), and never into a point that can go whole
      while (end < ids.length && end - k < size && ids[end] === ids[end - 1] + 1) {
        const r = ids[end] % replicates;
        if (r % BLOCK !== 0) {
          end++;
          continue;
        }
        const blockEnd = end + Math.min(BLOCK, replicates - r);
        if ((summarise && r === 0 && wholeAt(end)) || blockEnd - k > size || ids[blockEnd - 1] !== ids[end] + (blockEnd - end - 1)) break;
        end = blockEnd;
      }
    }
    batches.push(whole ? { from: ids[k], to: ids[end - 1] + 1, summarise: true } : { from: ids[k], to: ids[end - 1] + 1 });
    k = end;
  }
  return batches;
}

/**
 * An error thrown in a worker thread, as the main thread receives it: an Error with the thrower's own fields. An input
 * error (a formula that gave NaN in a run, with the run it was) becomes one again, so that the command reports it as
 * bad input (exit 2).
 */
function inputErrorAgain(e: Error & Partial<RunInputError>): Error {
  if (e.name !== 'InputError' || typeof e.file !== 'string' || typeof e.path !== 'string' || typeof e.detail !== 'string') return e;
  if (typeof e.reached !== 'string' || typeof e.expected !== 'string') return new InputError(e.file, e.path, e.detail);
  const again = new RunInputError(e.file, e.path, e.reached, e.expected);
  if (typeof e.where === 'string') again.where = e.where;
  return again;
}

/**
 * Computes `batches` of runs with `workers` threads and, when given `main` (a computer on this thread), with the main
 * thread too: between the messages it handles, it takes the next batch itself. With no worker threads the main thread
 * computes them all, one batch a callback as well, so that progress is reported as they finish.
 */
async function runPool(init: WorkerInit, batches: Batch[], workers: number, main: BatchComputer | undefined, { onBatch, onHistograms, spare, mainSpare }: PoolExchange): Promise<void> {
  if (batches.length === 0) return;
  const recordBytes = recordLayout(init.meta).bytes;
  const maxRunsInFlight = queuedRuns(workers, recordBytes);
  let next = 0;
  const deliver = (m: BatchResult, byMain: boolean) => {
    if (m.histograms.length) onHistograms(m.histograms);
    if (m.to > m.from) onBatch(m.from, m.to, new Uint8Array(m.records, 0, (m.to - m.from) * recordBytes), m.rows, m.summaries, m.blocks, byMain);
  };
  // One batch at a time, each from a callback of its own (setImmediate), so that the worker messages which came in
  // meanwhile are handled first: the main thread's own work (aggregating, writing) comes before computing runs, and
  // computes only in the time that work leaves. It starts at once, while the workers are still starting up.
  // A batch that would take the main thread more than MAIN_TAKE_MS at its latest speed is cut to MAIN_SLICE_MS of runs:
  // a worker's message waits for the take under way, and the first runs, in code not yet optimised, take some 1.5 ms
  // each (a batch of 64 of them kept a worker that had started idle and unfed for 100 ms or more, in a 1,000-run
  // ensemble). Once the code is fast, a take is a whole batch (cutting every batch to 8 ms made 20,000 runs 4% slower).
  let stopped = false; // the pool failed: no more batches here (the run store may be closed already)
  const mainShare = new Promise<void>((resolve, reject) => {
    if (!main) return resolve();
    let msPerRun = COLD_MS_PER_RUN;
    const take = () => {
      if (stopped || next >= batches.length) return resolve();
      try {
        const batch = batches[next];
        const size = batch.to - batch.from;
        // a batch of whole points goes whole (its worker summarises them)
        const runs = batch.summarise || msPerRun * size <= MAIN_TAKE_MS ? size : Math.max(1, Math.floor(MAIN_SLICE_MS / msPerRun));
        let mine: Batch = batch;
        if (runs < size) {
          mine = { from: batch.from, to: batch.from + runs };
          batches[next] = { from: batch.from + runs, to: batch.to };
        } else next++;
        const buffer = mainSpare.pop();
        const t = performance.now();
        const result = main.compute(buffer ? { ...mine, buffer } : mine);
        msPerRun = (performance.now() - t) / runs;
        deliver(result, true);
      } catch (e) {
        return reject(e);
      }
      setImmediate(take);
    };
    setImmediate(take);
  });
  const pool = Array.from({ length: Math.min(workers, batches.length) }, () => startWorker(init));
  // a worker whose last answer (its flush) is in goes back to wait for the next experiment; the others, if the pool
  // fails, are stopped
  const released = new Set<Worker>();
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0, runsInFlight = 0, flushed = false;
            const feed = () => {
              while (next < batches.length) {
                const runs = batches[next].to - batches[next].from;
                if (inFlight >= MIN_IN_FLIGHT && runsInFlight + runs > maxRunsInFlight) break;
                const buffer = spare.pop();
                runsInFlight += runs;
                // shared, not transferred (see `RecordBuffer`)
                worker.postMessage(buffer ? { ...batches[next++], buffer } : batches[next++]);
                inFlight++;
              }
              if (inFlight === 0 && !flushed) {
                worker.postMessage({ from: 0, to: 0, flush: true });
                inFlight++;
                flushed = true;
              } else if (inFlight === 0) resolve();
            };
            worker.on('message', (m: BatchResult | { ready: true }) => {
              if ('ready' in m) return feed();
              inFlight--;
              runsInFlight -= m.to - m.from;
              if (flushed && inFlight === 0) {
                releaseWorker(worker);
                released.add(worker);
              }
              try {
                deliver(m, false);
              } catch (e) {
                reject(e);
                return;
              }
              // the histograms' shared pages are added up (`deliver` merges them at once): back to the worker's stores
              const lent = m.histograms.flatMap((h) => (h.pages.lent === undefined ? [] : [h.pages.lent]));
              if (lent.length) worker.postMessage({ returned: lent });
              feed();
            });
            worker.on('error', (e) => reject(inputErrorAgain(e)));
            worker.on('exit', (code) => { if (code !== 0 && (inFlight > 0 || next < batches.length)) reject(new Error(`a worker stopped with code ${code}`)); });
          }),
      ).concat(mainShare),
    );
  } finally {
    stopped = true;
    await Promise.all(pool.filter((w) => !released.has(w)).map((w) => w.terminate()));
  }
}

/** Every file an experiment keeps in its folder: its records and metadata, and its outputs. */
export const EXPERIMENT_FILES = ['runs.bin', 'experiment.json', ...OUTPUTS];

/**
 * A temporary folder inside `folder` for outputs being written. Stale ones, left by killed runs, are removed, and so
 * is an experiment.json a killed run left half-written beside the real one (`partialMetaFile`): only what is named as
 * these are (a process id in the name) and whose process is gone, so that neither a file of the user's nor what a run
 * still writing here writes is touched.
 */
function temporaryFolder(folder: string): string {
  removeLeftBehind(folder, (name) => (/^\.tmp-(\d+)$/.exec(name) ?? PARTIAL_META.exec(name))?.[1]);
  const temporary = join(folder, `.tmp-${process.pid}`);
  makeFolder(temporary);
  return temporary;
}

/**
 * Moves the finished outputs from the temporary folder into place, then removes it. In a folder that held another
 * experiment before (`otherExperiment`), an output this one does not make is removed: an ensemble written where a
 * sweep was left that sweep's `points.csv` beside its own `runs.csv`, and a shard of another experiment that one's
 * `runs.csv` and `quantiles.csv` beside its records. The same experiment's outputs stay (a shard resumed in the folder
 * its merge wrote to), and in a folder of the user's (`--out .`) a file of the same name is the user's.
 */
function publish(folder: string, temporary: string, otherExperiment: boolean): void {
  for (const name of OUTPUTS) {
    if (existsSync(join(temporary, name))) renameSync(join(temporary, name), join(folder, name));
    else if (otherExperiment) rmSync(join(folder, name), { force: true });
  }
  rmSync(temporary, { recursive: true, force: true });
}

/** Whether `folder` held an experiment other than the one of hash `hash` (see `publish`). */
function holdsOtherExperiment(folder: string, hash: string): boolean {
  const earlier = metaFileHash(folder);
  return earlier !== undefined && earlier !== hash;
}

/** Whether two paths name one folder (through links too, when both exist). */
function sameFolder(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false; // one is not there
  }
}

export async function runExperiment(x: ResolvedExperiment, options: RunOptions): Promise<RunStats> {
  const o = settle(options);
  const meta = experimentMeta(x);
  // opened before anything is written, and never the output folder: its store would be made again under it
  const sources: ReuseSource[] = [];
  try {
    for (const folder of o.reuse) {
      if (sameFolder(folder, o.out)) throw new InputError(folder, '', 'is the output folder; expected an earlier output folder to reuse runs from, other than --out');
      sources.push(openReuse(folder, meta));
    }
  } catch (e) {
    sources.forEach((r) => r.store.close());
    throw e;
  }
  const { first, end } = shardOf(meta, o.shard, sources);
  let lock: FolderLock;
  try {
    refuseForeignOutputs(o.out, outputsOf(meta.parameters.length, o.shard.count === 1));
    makeFolder(o.out);
    lock = lockFolder(o.out, String(o.manifest.command ?? 'spillover'));
  } catch (e) {
    sources.forEach((r) => r.store.close());
    throw e;
  }
  try {
    return await runLocked(x, o, meta, first, end, sources);
  } finally {
    lock.release();
  }
}

/** The runs [first, end) of `shard`: with runs to reuse, a block of equal cost (see `shardRange`). */
function shardOf(meta: ExperimentMeta, shard: Shard, sources: ReuseSource[]): { first: number; end: number } {
  if (shard.count === 1 || sources.length === 0) return shardRange(meta.runs, shard.index, shard.count);
  return shardRange(meta.runs, shard.index, shard.count, copiedRuns(sources, meta));
}

/**
 * Refuses to start again over a store of this experiment that holds finished runs it would lose:
 * - some of its runs [first, end) finished but not all: a run stopped by Ctrl-C, a crash or a time limit. Run again
 *   without --resume, the command made a new store, and hours of a large study's runs were gone, though --resume keeps
 *   them and gives the same outputs. A store whose runs are all finished is made again as before: the same runs, the
 *   same bytes.
 * - runs of another block: another shard's (shards given one --out, as an Indexed Job's tasks or a loop of a script
 *   are, each made the folder again over the last one's, and merge found one shard left), or the whole experiment's.
 */
function refuseToDiscard(storeFile: string, meta: ExperimentMeta, first: number, end: number, sharded: boolean): void {
  const store = RunStore.open(storeFile, meta, true);
  if (!store) return;
  let finished = 0;
  let h: StoreHeader;
  try {
    h = store.header;
    if (h.hash !== meta.hash) return;
    finished = store.finishedRuns();
  } finally {
    store.close();
  }
  if (finished === 0) return;
  if (h.first !== first || h.end !== end) {
    const held = h.end - h.first === meta.runs ? 'the whole of this experiment' : `another shard of this experiment (runs ${h.first}-${h.end - 1})`;
    const instead = sharded
      ? `this shard (runs ${first}-${end - 1}) would replace; expected a folder of its own for each shard (--out; by default output/<name>/shard-I)`
      : 'the whole experiment would replace; expected another --out (where --reuse copies the runs this folder holds instead of running them again)';
    throw new InputError(storeFile, '', `holds ${finished} finished runs of ${held}, which ${instead}, or remove the folder to start again`);
  }
  if (finished < end - first)
    throw new InputError(storeFile, '', `holds ${finished} of this ${sharded ? 'shard' : 'experiment'}'s ${end - first} runs, finished before it was stopped; expected --resume, which keeps them and runs the rest (or remove the folder to start again)`);
}

/** `runExperiment` once its output folder is made and locked and its sources to reuse are open. */
async function runLocked(x: ResolvedExperiment, o: Settled, meta: ExperimentMeta, first: number, end: number, sources: ReuseSource[]): Promise<RunStats> {
  const otherExperiment = holdsOtherExperiment(o.out, meta.hash);
  const storeFile = join(o.out, 'runs.bin');
  let store = o.resume ? RunStore.open(storeFile, meta) : undefined;
  // a store of another experiment, shard or version is never overwritten by --resume (nor used); one of this
  // experiment that `open` passed over was cut short while being made, before any run, and is made again below
  const found = store?.header ?? (o.resume ? RunStore.header(storeFile) : undefined);
  if (found && !(found.magic === STORE_MAGIC && found.hash === meta.hash && found.first === first && found.end === end)) {
    store?.close();
    sources.forEach((r) => r.store.close());
    // runs of another model version are other runs, which no option carries over (the version is in the hash)
    const model = found.magic === STORE_MAGIC && found.hash !== meta.hash ? readMetaFile(o.out)?.modelVersion : undefined;
    const otherModel = model !== undefined && model !== meta.modelVersion;
    const maker = found.magic !== STORE_MAGIC ? `another version of spillover (${JSON.stringify(found.magic)})` : otherModel ? `model ${model}, whose runs differ from model ${meta.modelVersion}'s` : found.hash !== meta.hash ? 'another experiment' : `another shard (runs ${found.first}-${found.end - 1})`;
    // a shard's block depends on the folders it reuses (see `shardOf`): the likeliest other shard is this one, given others
    // another experiment's runs (an ensemble grown from 50 runs to 80, a sweep given a point more) are not lost to it:
    // --reuse copies those the two share, where --resume cannot and starting over throws them away
    const folders = found.magic !== STORE_MAGIC || otherModel ? '' : found.hash !== meta.hash ? `to keep the runs the two share, give it to --reuse with another --out; or ` : o.shard.count > 1 ? 'give the --reuse folders it began with, ' : '';
    throw new InputError(storeFile, '', `was made by ${maker}; expected runs ${first}-${end - 1} of experiment ${meta.hash.slice(0, 12)} (${folders}remove the folder, or run without --resume)`);
  }
  if (!o.resume) {
    try {
      refuseToDiscard(storeFile, meta, first, end, o.shard.count > 1);
    } catch (e) {
      sources.forEach((r) => r.store.close());
      throw e;
    }
  }
  // told here, once nothing is left to refuse: a folder that could not be made had its notes on the room it would lack
  // printed before the line saying so
  o.onShard?.(first, end, meta);
  const done = store ? store.sealed() : new Uint8Array(end - first);
  store ??= RunStore.create(storeFile, meta, first, end);
  writeMetaFile(join(o.out, 'experiment.json'), meta);
  const reusedFrom = sources.map((source, k) => {
    const runs = reuseRuns(source, meta, store, done, first, end);
    source.store.close();
    return { folder: o.reuse[k], runs };
  });
  const reused = reusedFrom.reduce((sum, r) => sum + r.runs, 0);

  // typed, 4 bytes a run: an array of numbers took 8, 80 MB at the most runs an experiment may hold
  let left = 0;
  for (let k = 0; k < end - first; k++) if (!done[k]) left++;
  const todo = new Int32Array(left);
  for (let id = first, j = 0; id < end; id++) if (!done[id - first]) todo[j++] = id;
  const skipped = end - first - todo.length;
  const complete = o.shard.count === 1;
  const temporary = temporaryFolder(o.out);
  const t0 = performance.now();
  let finished = skipped, onMain = 0, computing = 0;
  const s = store;
  // The whole experiment is aggregated while it runs: records are fed in run-id order as soon as they are sealed.
  // A batch that arrives before an earlier one waits in memory (the workers' few batches in flight bound this),
  // so only runs finished before a resume are read back from the store.
  const agg = complete ? new Aggregator(meta, temporary) : undefined;
  // Who computes: `o.workers` threads. One is a worker thread while the main thread aggregates (on a single core, the
  // main thread alone: see `workerThreads`). More are that many minus one worker threads and the main thread, which
  // computes batches in the time its other work leaves (in experiments of MAIN_COMPUTES_FROM runs or more): with a
  // worker thread for every core, three threads on two cores ran slower than one worker up to some 8,000 runs.
  const threads = workerThreads(o.workers, o.cores);
  // Who counts histograms, seals and stores records and formats runs.csv rows: with one worker thread the main thread
  // does it as records arrive, which takes that work off the worker; with more, the main thread would be the
  // bottleneck, so each worker does it for its own runs (and the main thread for its own). Neither counts, checksums
  // nor rows depend on who makes them, so the outputs are the same.
  const parallel = threads > 1;
  // ... and with several workers and enough design points to share among them, a point small enough goes whole to
  // one worker, which summarises it (writing its quantiles.csv rows costs the main thread as much as a point's runs
  // cost a worker when points are small)
  const recordBytes = recordLayout(meta).bytes;
  const summarise = complete && parallel && meta.replicates <= SUMMARISED_POINT_RUNS && meta.replicates * recordBytes <= SUMMARISED_POINT_BYTES && meta.points.count >= 4 * threads;
  const counting = complete && needsHistograms(meta) && parallel && !summarise;
  const pending = new Map<number, { to: number; records: Uint8Array; rows: Uint8Array; summaries: PointSummary[]; blocks: RunBlock[]; counted: boolean }>();
  // buffers of batches already written and fed, to be filled again: all the workers', since a shared one dropped is
  // not reliably freed (see `ComputeOptions.batchRuns`), and there are never more than were in use at once; the main
  // thread's, up to MAIN_SPARE_BYTES
  const spare: RecordBuffer[] = [], mainSpare = new SpareBuffers();
  const recycle = (records: Uint8Array) => {
    if (records.buffer instanceof SharedArrayBuffer) spare.push(records.buffer);
    else mainSpare.push(records.buffer);
  };
  const advance = () => {
    if (!agg) return;
    while (agg.expected < end) {
      const id = agg.expected;
      const batch = pending.get(id);
      if (batch) {
        pending.delete(id);
        agg.feed(id, batch.records, 0, batch.to - id, { rows: batch.rows, counted: batch.counted, summaries: batch.summaries, blocks: batch.blocks });
        recycle(batch.records);
        continue;
      }
      if (!done[id - first]) break;
      let n = 1;
      while (id + n < end && done[id + n - first] && !pending.has(id + n)) n++;
      feedFromStore(agg, s, id, n);
    }
  };
  try {
    advance();
    const batches = planBatches(todo, meta.replicates, o.workers, summarise, batchRunsFor(recordBytes));
    const batchRuns = batches.reduce((most, b) => Math.max(most, b.to - b.from), 0);
    const init = { scenario: x.loaded.scenario, formulaAt: utilityOrigin(x.loaded.origins), meta, cells: x.cells, histograms: counting, seal: parallel, rows: complete && parallel, blocks: complete && threads >= BLOCK_SUM_WORKERS, store: parallel ? storeFile : undefined, batchRuns };
    // the main thread's computer does nothing beyond the runs: what one worker thread's does; beside worker threads it
    // computes only when there are enough runs to repay its start (see MAIN_COMPUTES_FROM), and alone always
    const main = threads === 0 || (o.workers > 1 && todo.length >= (o.mainComputesFrom ?? MAIN_COMPUTES_FROM)) ? new BatchComputer(x.loaded, { meta, cells: x.cells, histograms: false, seal: false, rows: false, blocks: false }) : undefined;
    // the worker threads, and the main thread when it computes (always, when there are none)
    computing = Math.min(batches.length, threads + (main ? 1 : 0));
    await runPool(init, batches, threads, main, {
      onBatch: (from, to, records, rows, summaries, blocks, byMain) => {
        if (byMain) onMain += to - from;
        const made = parallel && !byMain; // sealed, stored and counted where it was computed
        if (!made) {
          sealRecords(records, s.layout, from);
          s.writeRecords(from, records);
        }
        for (let id = from; id < to; id++) done[id - first] = 1;
        finished += to - from;
        if (agg) pending.set(from, { to, records, rows, summaries, blocks, counted: counting && made });
        else recycle(records);
        advance();
        o.onProgress?.({ done: finished, total: end - first, kept: skipped, seconds: (performance.now() - t0) / 1000 });
      },
      onHistograms: (histograms) => {
        for (const h of histograms) agg?.addHistograms(h.point, h.pages);
      },
      spare,
      mainSpare,
    });
    agg?.finish();
  } catch (e) {
    s.close();
    rmSync(temporary, { recursive: true, force: true });
    throw runFailureAsInput(e, x.source, x.loaded.set);
  }
  const seconds = (performance.now() - t0) / 1000;
  const manifest = {
    ...o.manifest,
    experiment: x.experiment,
    scenario: { file: x.loaded.chain[x.loaded.chain.length - 1], sha256: x.loaded.sha256, ...(x.loaded.set ? { set: x.loaded.set } : {}) },
    hash: meta.hash,
    runs: meta.runs,
    designPoints: meta.points.count,
    shard: o.shard.count > 1 ? { ...o.shard, firstRun: first, lastRun: end - 1 } : undefined,
    workers: o.workers,
    ranNow: todo.length,
    reused,
    ...(reusedFrom.length ? { reusedFrom } : {}),
    // how many of them the main thread computed (see MAIN_COMPUTES_FROM): it varies from one run of the command to
    // the next, as the wall time does, and the outputs do not
    runsOnMainThread: onMain,
    resumedFrom: skipped - reused,
    wallSeconds: Number(seconds.toFixed(3)),
    runsPerSecond: seconds > 0 ? Number((todo.length / seconds).toFixed(1)) : null,
  };
  writeFileSync(join(temporary, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  publish(o.out, temporary, otherExperiment);
  s.close();
  return { meta, ran: todo.length, skipped, reused, reusedFrom, seconds, threads: computing, complete };
}

/** What `mergeShards` tells its caller as it goes. */
export interface MergeWatch {
  /**
   * Told the experiment, and how many shards' folders hold it (a merge's folder counts as its shards), once every shard
   * is found whole and the output folder is made, before any output is written (the command's notes and closing line).
   */
  checked?: (meta: ExperimentMeta, shards: number) => void;
  /** Told the runs aggregated so far, every few thousand runs (`kept` is 0). */
  onProgress?: (p: Progress) => void;
}

/**
 * Combines shard folders (or a merge's folder, through its shards': see `openShards`) into the outputs of the whole
 * experiment. `manifest` adds fields to manifest.json (tool, versions, command; default none).
 */
export function mergeShards(folders: string[], out: string, manifest: Record<string, unknown> = {}, watch: MergeWatch = {}): ExperimentMeta {
  const t0 = performance.now();
  // a merge's folder given stands for its shards' (`openShards`), which the new manifest names: the records are there
  const { meta, shards, folders: read, close } = openShards(folders);
  try {
    let expected = 0;
    for (const { store, folder } of shards) {
      if (store.header.first !== expected)
        throw new InputError(folder, '', store.header.first > expected ? `starts at run ${store.header.first}; ${runsNotGiven(expected, store.header.first - 1)} in no folder given` : `overlaps another shard at run ${store.header.first}`);
      const runs = store.header.end - store.header.first;
      const missing = runs - store.finishedRuns();
      store.release();
      if (missing > 0) throw new InputError(folder, '', `${missing} of its ${runs} runs are not finished; ${unfinishedAdvice(folder, 'a finished shard', 'run it again with --resume')}`);
      expected = store.header.end;
    }
    if (expected !== meta.runs) {
      // named by the last shard that holds runs; a shard of more shards than runs holds none (it said "ends at run -1")
      const last = [...shards].reverse().find((s) => s.store.header.end > s.store.header.first);
      const where = last ? `ends at run ${expected - 1}` : 'holds no runs (a shard of more shards than runs)';
      throw new InputError((last ?? shards[shards.length - 1]).folder, '', `${where}; ${runsNotGiven(expected, meta.runs - 1)} in no folder given`);
    }
    refuseForeignOutputs(out, outputsOf(meta.parameters.length, true));
    makeFolder(out);
    const lock = lockFolder(out, String(manifest.command ?? 'spillover merge'));
    try {
      // after the folder is made: an --out that cannot be made got a note on the room it lacked before its error
      watch.checked?.(meta, shards.length);
      const otherExperiment = holdsOtherExperiment(out, meta.hash);
      const temporary = temporaryFolder(out);
      try {
        const onProgress = watch.onProgress;
        aggregate(meta, shards.map((s) => s.store), temporary, onProgress && ((done) => onProgress({ done, total: meta.runs, kept: 0, seconds: (performance.now() - t0) / 1000 })));
        const listed = shards.map((s) => ({ folder: s.folder, first: s.store.header.first, end: s.store.header.end }));
        const merged = mergedManifest(manifest, meta, read, listed, (performance.now() - t0) / 1000);
        writeFileSync(join(temporary, 'manifest.json'), `${JSON.stringify(merged, null, 2)}\n`);
        publish(out, temporary, otherExperiment);
      } catch (e) {
        rmSync(temporary, { recursive: true, force: true });
        throw e;
      }
      writeMetaFile(join(out, 'experiment.json'), meta);
    } finally {
      lock.release();
    }
  } finally {
    close();
  }
  return meta;
}
