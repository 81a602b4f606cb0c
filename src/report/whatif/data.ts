/**
 * What a what-if report reads from an ensemble's output folder: quantiles per step, each run's outcomes, and
 * each run's kept series (from the run store) for paired comparisons between scenarios run on the same seeds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../scenario/csv.js';
import type { ExperimentMeta } from '../../experiment/layout.js';
import { RunStore } from '../../experiment/store.js';
import { readMetaFile } from '../../experiment/meta-file.js';

export interface EnsembleData {
  meta: ExperimentMeta;
  /** key `entity|variable` -> per step: [mean, q05, q25, q50, q75, q95] */
  quantiles: Map<string, Float64Array[]>;
  /** runs.csv columns by name, one number per run (NaN for NA). */
  outcomes: Map<string, Float64Array>;
  /**
   * Value of cell `c` (`cellIndex`) at step `k` in run `r`: series[r][k * width + c]; only the cells a report reads run
   * by run (`readEnsemble`'s `runByRun`).
   */
  series: Float32Array[];
  /** Cells a step in `series`. */
  width: number;
  cellIndex: Map<string, number>;
}

/**
 * An ensemble's outputs, and of its runs' kept series the cells `runByRun` wants (all by default), read a block of
 * records at a time: a report holds every run's values of those cells in memory, and all of them, its whole
 * `runs.bin`, made two scenarios of 20,000 runs peak at 1.0 GB.
 */
export function readEnsemble(folder: string, runByRun: (cell: { entity: string; variable: string }) => boolean = () => true): EnsembleData {
  const meta = readMetaFile(folder);
  if (!meta) throw new Error(`readEnsemble: ${folder} has no experiment.json`);
  const quantiles = new Map<string, Float64Array[]>();
  for (const { values } of parseCsv(readFileSync(join(folder, 'quantiles.csv'), 'utf8')).rows) {
    const key = `${values.entity}|${values.variable}`;
    let steps = quantiles.get(key);
    if (!steps) quantiles.set(key, (steps = []));
    steps[Number(values.step)] = Float64Array.from(['mean', 'q05', 'q25', 'q50', 'q75', 'q95'], (c) => (values[c] === 'NA' ? Number.NaN : Number(values[c])));
  }
  const runs = parseCsv(readFileSync(join(folder, 'runs.csv'), 'utf8'));
  const outcomes = new Map(runs.header.map((h) => [h, Float64Array.from(runs.rows, (r) => (r.values[h] === 'NA' ? Number.NaN : Number(r.values[h])))]));
  const store = RunStore.open(join(folder, 'runs.bin'), meta, true)!;
  const { bytes, seriesOffset } = store.layout;
  const cells = meta.cells.length, steps = meta.times.length;
  const kept = meta.cells.flatMap((c, k) => (runByRun(c) ? [k] : []));
  const width = kept.length;
  const series = Array.from({ length: meta.runs }, () => new Float32Array(steps * width));
  const block = Math.max(1, Math.floor((4 << 20) / bytes));
  const buffer = new Uint8Array(Math.min(block, meta.runs) * bytes);
  for (let first = 0; first < meta.runs; first += block) {
    const n = Math.min(block, meta.runs - first);
    store.read(first, n, buffer);
    for (let r = 0; r < n; r++) {
      const all = new Float32Array(buffer.buffer, r * bytes + seriesOffset, steps * cells);
      const mine = series[first + r];
      for (let k = 0; k < steps; k++) for (let j = 0; j < width; j++) mine[k * width + j] = all[k * cells + kept[j]];
    }
  }
  store.close();
  const cellIndex = new Map(kept.map((c, j) => [`${meta.cells[c].entity}|${meta.cells[c].variable}`, j]));
  return { meta, quantiles, outcomes, series, width, cellIndex };
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
  return Float64Array.from(d.series, (s) => s[step * d.width + c]);
}
