/**
 * What a what-if report reads from an ensemble's output folder: quantiles per step, each run's outcomes, and
 * each run's kept series (from the run store) for paired comparisons between scenarios run on the same seeds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../scenario/csv.js';
import type { ExperimentMeta } from '../../experiment/layout.js';
import { RunStore } from '../../experiment/store.js';

export interface EnsembleData {
  meta: ExperimentMeta;
  /** key `entity|variable` -> per step: [mean, q05, q25, q50, q75, q95] */
  quantiles: Map<string, Float64Array[]>;
  /** runs.csv columns by name, one number per run (NaN for NA). */
  outcomes: Map<string, Float64Array>;
  /** Value of cell `c` at step `k` in run `r`: series[r][k * cells + c]. */
  series: Float32Array[];
  cellIndex: Map<string, number>;
}

export function readEnsemble(folder: string): EnsembleData {
  const meta = JSON.parse(readFileSync(join(folder, 'experiment.json'), 'utf8')) as ExperimentMeta;
  const quantiles = new Map<string, Float64Array[]>();
  for (const { values } of parseCsv(readFileSync(join(folder, 'quantiles.csv'), 'utf8')).rows) {
    const key = `${values.entity}|${values.variable}`;
    let steps = quantiles.get(key);
    if (!steps) quantiles.set(key, (steps = []));
    steps[Number(values.step)] = Float64Array.from(['mean', 'q05', 'q25', 'q50', 'q75', 'q95'], (c) => (values[c] === 'NA' ? Number.NaN : Number(values[c])));
  }
  const runs = parseCsv(readFileSync(join(folder, 'runs.csv'), 'utf8'));
  const outcomes = new Map(runs.header.map((h) => [h, Float64Array.from(runs.rows, (r) => (r.values[h] === 'NA' ? Number.NaN : Number(r.values[h])))]));
  const store = RunStore.open(join(folder, 'runs.bin'), meta)!;
  const { bytes, seriesOffset, series: length } = store.layout;
  const buffer = new Uint8Array(meta.runs * bytes);
  store.read(0, meta.runs, buffer);
  store.close();
  const series = Array.from({ length: meta.runs }, (_, r) => new Float32Array(buffer.buffer, r * bytes + seriesOffset, length));
  const cellIndex = new Map(meta.cells.map((c, k) => [`${c.entity}|${c.variable}`, k]));
  return { meta, quantiles, outcomes, series, cellIndex };
}

/** The step index at or after a decimal year. */
export function stepAt(meta: ExperimentMeta, year: number): number {
  const k = meta.times.findIndex((t) => t >= year - 1e-9);
  return k < 0 ? meta.times.length - 1 : k;
}

/** One variable's value in every run at a step. */
export function valuesAt(d: EnsembleData, entity: string, variable: string, step: number): Float64Array {
  const c = d.cellIndex.get(`${entity}|${variable}`);
  if (c === undefined) return new Float64Array(0);
  const cells = d.meta.cells.length;
  return Float64Array.from(d.series, (s) => s[step * cells + c]);
}
