/**
 * spillover as a library (`import { loadScenario, simulate } from 'spillover'`): the public API, re-exported from
 * the layers that define it, top to bottom as the code is layered. Nothing is defined here. This entry is for Node (it
 * loads the worker pool and the file system); the engine under it (src/engine) is pure and is what a browser page
 * bundles.
 */
export { loadScenario } from './scenario/load.js';
export type { LoadedScenario } from './scenario/loaded.js';
export type { Scenario } from './scenario/schema.js';
export { InputError } from './scenario/errors.js';
export { MODEL_VERSION } from './engine/version.js';
export { buildWorld, type World } from './engine/world.js';
export { Runner, series, simulate, type RunResult } from './engine/simulate.js';
export { deriveSeed } from './engine/rng.js';
export { STAGE_NAMES, summarise, type RunSummary } from './collect/summary.js';
export { eventsCsv, timeseriesCsv } from './collect/tidy.js';
export { ensembleExperiment, loadExperiment, type ResolvedExperiment } from './experiment/load.js';
export { mergeShards, runExperiment, type MergeWatch, type Progress, type RunOptions, type RunStats, type Shard } from './experiment/runner.js';
export { openShards, type OpenShards, type ShardStore } from './experiment/shards.js';
export { selectCells, seriesBytes, seriesHeader, writeSeries } from './experiment/series-export.js';
export { pointAt, type DesignPoint, type DesignPoints } from './experiment/design.js';
export { runSeed } from './experiment/seeds.js';
export { calibrationInputs } from './calibrate/targets.js';
export { fit, type FitResult } from './calibrate/fit.js';
