/**
 * A worker thread of the pool: takes an experiment, loads its scenario once, answers `ready`, and answers each batch
 * of run ids with what its batch computer makes of it (batch-computer.ts), until a flush ends the experiment. Then it
 * waits for the next experiment of the same process, if any (see `releaseWorker` in runner.ts): its code stays
 * compiled and optimised. Nothing is transferred (see `RecordBuffer`): the records and histograms are in shared
 * memory, the rest is copied; the main thread hands back the histograms' pages once it has added them up.
 */
import { parentPort } from 'node:worker_threads';
import { compileFormulas } from '../scenario/formulas.js';
import type { Origin } from '../scenario/merge.js';
import type { Scenario } from '../scenario/schema.js';
import { BatchComputer, type Batch, type ComputeOptions } from './batch-computer.js';
import { SharedPages } from './histograms.js';

export interface WorkerInit extends ComputeOptions {
  /**
   * The resolved scenario the main thread loaded, checked and hashed: workers neither read its files again (which
   * may have changed since) nor load the validator.
   */
  scenario: Scenario;
  /** Where the scenario's `utility` formula is written, for an error found while it runs (see `utilityNaN`). */
  formulaAt: Origin;
}

// The experiment comes as a message, not as workerData, so that a worker can start before it is known (see
// `prestartWorkers` in runner.ts) and serve one experiment after another. The pool sends no batch before `ready`.
let computer: BatchComputer | undefined;
/** The pages this worker's histograms lend the main thread, kept from one experiment to the next (see `SharedPages`). */
const shared = new SharedPages();
parentPort!.on('message', async (m: WorkerInit | Batch | { returned: number[] }) => {
  if ('returned' in m) return shared.returned(m.returned);
  if ('scenario' in m) {
    computer = new BatchComputer({ scenario: m.scenario, formulas: await compileFormulas(m.scenario, m.formulaAt) }, m, shared);
    parentPort!.postMessage({ ready: true });
    return;
  }
  parentPort!.postMessage(computer!.compute(m));
  if (m.flush) computer = undefined; // the experiment is over: its buffers and worlds go
});
