/** The metadata of a resolved experiment, and the reporter columns its workers record. */
import { outcomeNames } from '../collect/outcomes.js';
import { reporterTable } from '../engine/record.js';
import { buildWorld, type World } from '../engine/world.js';
import { MODEL_VERSION } from '../engine/version.js';
import type { ExperimentMeta } from './layout.js';
import type { ResolvedExperiment } from './load.js';

export function experimentMeta(x: ResolvedExperiment): ExperimentMeta {
  const world = buildWorld(x.loaded);
  const table = reporterTable(world).reporters;
  return {
    format: 'spillover-experiment/1',
    name: x.experiment.name,
    hash: x.hash,
    runs: x.runs,
    replicates: x.experiment.replicates,
    seed: x.experiment.seed,
    ...(x.experiment.pairedSeeds ? { pairedSeeds: true } : {}),
    design: x.experiment.design.type,
    parameters: x.parameters,
    points: x.points,
    cells: x.cells.map((c) => ({ entity: table[c].entity, variable: table[c].variable })),
    times: Array.from({ length: world.steps + 1 }, (_, k) => world.start + k / world.stepsPerYear),
    outcomes: outcomeNames(world),
    modelVersion: MODEL_VERSION,
    scenarioSha256: x.loaded.sha256,
  };
}

/**
 * Reporters a worker records: the kept cells first, in their order (so that a step's kept values are one contiguous
 * block), then the other columns the run outcomes read, in table order.
 */
export function recordedColumns(world: World, cells: readonly number[]): number[] {
  const table = reporterTable(world).reporters;
  const kept = new Set(cells);
  const wanted = new Set([
    'region balassa_stage', 'region trade_usd', 'region integration_index', 'region negative_integration', 'region positive_integration', 'region institutions',
    ...world.sectors.flatMap((s) => [`region cooperation.${s}`, `region agreement.${s}`]),
    ...world.codes.map((c) => `${c} trade_usd`),
  ]);
  const extra = table.flatMap((r, k) => (wanted.has(`${r.entity} ${r.variable}`) && !kept.has(k) ? [k] : []));
  return [...cells, ...extra];
}
