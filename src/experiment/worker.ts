/**
 * A worker thread of the pool: takes the experiment (its first message), loads the scenario once and answers each
 * batch of run ids with what its batch computer makes of it (batch-computer.ts). Nothing is transferred (see
 * `RecordBuffer`): the records are in shared memory, the rest is copied.
 */
import { parentPort } from 'node:worker_threads';
import { compileFormulas } from '../scenario/formulas.js';
import type { Scenario } from '../scenario/schema.js';
import { BatchComputer, type Batch, type ComputeOptions } from './batch-computer.js';

export interface WorkerInit extends ComputeOptions {
  /**
   * The resolved scenario the main thread loaded, checked and hashed: workers neither read its files again (which
   * may have changed since) nor load the validator.
   */
  scenario: Scenario;
}

// the experiment comes as the first message, not as workerData, so that a worker can start before it is known (see
// `prestartWorkers` in runner.ts)
const init = await new Promise<WorkerInit>((resolve) => parentPort!.once('message', resolve));
const computer = new BatchComputer({ scenario: init.scenario, formulas: await compileFormulas(init.scenario) }, init);

parentPort!.on('message', (batch: Batch) => parentPort!.postMessage(computer.compute(batch)));
parentPort!.postMessage({ ready: true });
