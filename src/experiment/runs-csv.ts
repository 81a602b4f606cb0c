/**
 * Rows of `runs.csv`: run id, design point, replicate, seed, parameter values, outcomes. Workers format their runs'
 * rows (number formatting is the costliest part of a row), and the main thread formats rows of records it reads
 * back from a store (resume, merge) with the same function, so a row is the same text either way.
 */
import { csvField, formatNumber } from '../collect/format.js';
import type { ExperimentMeta } from './layout.js';
import { runSeed } from './seeds.js';

export function runsHeader(meta: ExperimentMeta): string {
  return ['run', 'point', 'replicate', 'seed', ...meta.parameters, ...meta.outcomes].map(csvField).join(',');
}

export function runsRow(meta: ExperimentMeta, runId: number, outcomes: Float64Array): string {
  const point = Math.floor(runId / meta.replicates);
  const replicate = runId % meta.replicates;
  const p = meta.points[point];
  let row = `${runId},${point},${replicate},${runSeed(meta.seed, p, replicate)}`;
  for (const name of meta.parameters) row += `,${formatNumber(p[name])}`;
  for (let k = 0; k < outcomes.length; k++) row += `,${formatNumber(outcomes[k])}`;
  return row;
}
