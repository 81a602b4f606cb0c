/**
 * From records to tidy outputs: `runs.csv` (one row per run, by run id), `points.csv` (the design points) and
 * `quantiles.csv` (mean and quantiles per step, entity, variable and design point). Records are read in run-id
 * order, one design point at a time, so memory is bounded by one point's digests and the output is the same
 * however the runs were computed: by one worker or many, in one go or resumed, in one job or in shards.
 */
import { join } from 'node:path';
import { csvField, formatNumber, formatTime } from '../collect/format.js';
import { TDigest } from './digest.js';
import type { ExperimentMeta } from './layout.js';
import { runSeed } from './seeds.js';
import type { RunStore } from './store.js';
import { TextWriter } from './text-writer.js';

export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;

/** Seven significant digits: what a Float32 record holds. */
const format7 = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(7))) : 'NA');

export function aggregate(meta: ExperimentMeta, stores: RunStore[], folder: string): void {
  const ordered = [...stores].sort((a, b) => a.header.first - b.header.first);
  const layout = ordered[0].layout;
  const steps = meta.times.length;
  const cells = meta.cells.length;
  const swept = meta.parameters.length > 0;

  const runsCsv = new TextWriter(join(folder, 'runs.csv'));
  runsCsv.line(['run', 'point', 'replicate', 'seed', ...meta.parameters, ...meta.outcomes].map(csvField).join(','));
  const quantiles = new TextWriter(join(folder, 'quantiles.csv'));
  quantiles.line(`step,time,entity,variable,${swept ? 'point,' : ''}mean,q05,q25,q50,q75,q95`);
  if (swept) {
    const points = new TextWriter(join(folder, 'points.csv'));
    points.line(['point', ...meta.parameters].map(csvField).join(','));
    meta.points.forEach((p, k) => points.line([k, ...meta.parameters.map((name) => formatNumber(p[name]))].join(',')));
    points.close();
  }
  const cellKeys = meta.cells.map((c) => `${csvField(c.entity)},${csvField(c.variable)}`);
  const times = meta.times.map(formatTime);

  let digests: TDigest[] = [];
  const emitPoint = (point: number) => {
    for (let k = 0; k < steps; k++)
      for (let c = 0; c < cells; c++) {
        const d = digests[k * cells + c];
        const values = QUANTILES.map((q) => format7(d.quantile(q)));
        quantiles.line(`${k},${times[k]},${cellKeys[c]},${swept ? `${point},` : ''}${format7(d.mean())},${values.join(',')}`);
      }
  };

  const block = Math.max(1, Math.floor((4 << 20) / layout.bytes));
  const buffer = new Uint8Array(block * layout.bytes);
  let currentPoint = -1;
  for (const store of ordered)
    for (let id = store.header.first; id < store.header.end; id += block) {
      const count = Math.min(block, store.header.end - id);
      store.read(id, count, buffer);
      for (let r = 0; r < count; r++) {
        const runId = id + r;
        const point = Math.floor(runId / meta.replicates);
        const replicate = runId % meta.replicates;
        if (point !== currentPoint) {
          if (currentPoint >= 0) emitPoint(currentPoint);
          currentPoint = point;
          digests = Array.from({ length: steps * cells }, () => new TDigest());
        }
        const base = r * layout.bytes;
        const outcomes = new Float64Array(buffer.buffer, base, layout.outcomes);
        const series = new Float32Array(buffer.buffer, base + layout.seriesOffset, layout.series);
        const p = meta.points[point];
        runsCsv.line([runId, point, replicate, runSeed(meta.seed, p, replicate), ...meta.parameters.map((name) => formatNumber(p[name])), ...Array.from(outcomes, formatNumber)].join(','));
        for (let v = 0; v < layout.series; v++) digests[v].add(series[v]);
      }
    }
  if (currentPoint >= 0) emitPoint(currentPoint);
  runsCsv.close();
  quantiles.close();
}
