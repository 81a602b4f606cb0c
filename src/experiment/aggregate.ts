/**
 * From records to tidy outputs: `runs.csv` (one row per run, by run id), `points.csv` (the design points) and
 * `quantiles.csv` (mean and quantiles per step, entity, variable and design point). Records must be fed in
 * run-id order, one design point after another, so memory is bounded by one point's sketches and the output is
 * the same however the runs were computed: by one worker or many, in one go or resumed, in one job or in shards.
 * Quantiles are exact (Hazen) up to 64 runs a point; beyond, 0-1 series are resolved to 1/4096, money to 0.3%,
 * the stage exactly, other series by t-digest (see sketch.ts).
 */
import { join } from 'node:path';
import { csvField, formatNumber, formatTime } from '../collect/format.js';
import { sketchFor, type Sketch } from './sketch.js';
import { recordLayout, type ExperimentMeta, type RecordLayout } from './layout.js';
import { runSeed } from './seeds.js';
import type { RunStore } from './store.js';
import { TextWriter } from './text-writer.js';

export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;
/** Runs buffered before their values go into the sketches. */
const BLOCK = 256;

/** Seven significant digits: what a Float32 record holds. */
const format7 = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(7))) : 'NA');

export class Aggregator {
  private readonly meta: ExperimentMeta;
  private readonly layout: RecordLayout;
  private readonly runsCsv: TextWriter;
  private readonly quantiles: TextWriter;
  private readonly swept: boolean;
  private readonly cellKeys: string[];
  private readonly times: string[];
  private digests: Sketch[] = [];
  /** Series of up to BLOCK runs of the current point, cell-major, added to the sketches a cell at a time. */
  private readonly block: Float32Array;
  private buffered = 0;
  /** One sketch factory per kept series, step-major like the records. */
  private readonly factories: Array<() => Sketch>;
  private currentPoint = -1;
  private next = 0;

  constructor(meta: ExperimentMeta, folder: string) {
    this.meta = meta;
    this.layout = recordLayout(meta);
    this.swept = meta.parameters.length > 0;
    this.runsCsv = new TextWriter(join(folder, 'runs.csv'));
    this.runsCsv.line(['run', 'point', 'replicate', 'seed', ...meta.parameters, ...meta.outcomes].map(csvField).join(','));
    this.quantiles = new TextWriter(join(folder, 'quantiles.csv'));
    this.quantiles.line(`step,time,entity,variable,${this.swept ? 'point,' : ''}mean,q05,q25,q50,q75,q95`);
    if (this.swept) {
      const points = new TextWriter(join(folder, 'points.csv'));
      points.line(['point', ...meta.parameters].map(csvField).join(','));
      meta.points.forEach((p, k) => points.line([k, ...meta.parameters.map((name) => formatNumber(p[name]))].join(',')));
      points.close();
    }
    this.cellKeys = meta.cells.map((c) => `${csvField(c.entity)},${csvField(c.variable)}`);
    this.block = new Float32Array(BLOCK * this.layout.series);
    const perCell = meta.cells.map((c) => sketchFor(c.variable));
    this.factories = Array.from({ length: this.layout.series }, (_, v) => perCell[v % meta.cells.length]);
    this.times = meta.times.map(formatTime);
  }

  /** The run id the aggregator expects next. */
  get expected(): number {
    return this.next;
  }

  /** Adds the record of run `runId` (which must be the expected one), found at `offset` in `bytes`. */
  feed(runId: number, bytes: Uint8Array, offset: number): void {
    if (runId !== this.next) throw new Error(`aggregate: run ${runId} fed, ${this.next} expected`);
    this.next++;
    const { meta, layout } = this;
    const point = Math.floor(runId / meta.replicates);
    const replicate = runId % meta.replicates;
    if (point !== this.currentPoint) {
      if (this.currentPoint >= 0) {
        this.flushBlock();
        this.emitPoint();
      }
      this.currentPoint = point;
      this.digests = this.factories.map((make) => make());
    }
    const base = bytes.byteOffset + offset;
    const outcomes = new Float64Array(bytes.buffer, base, layout.outcomes);
    const series = new Float32Array(bytes.buffer, base + layout.seriesOffset, layout.series);
    const p = meta.points[point];
    this.runsCsv.line([runId, point, replicate, runSeed(meta.seed, p, replicate), ...meta.parameters.map((name) => formatNumber(p[name])), ...Array.from(outcomes, formatNumber)].join(','));
    const r = this.buffered++;
    for (let v = 0; v < layout.series; v++) this.block[v * BLOCK + r] = series[v];
    if (this.buffered === BLOCK) this.flushBlock();
  }

  /**
   * Adds the buffered runs to the sketches one series at a time: each sketch is touched BLOCK times in a row
   * instead of once per run, which keeps it in cache. Every sketch still receives its values in run-id order.
   */
  private flushBlock(): void {
    const n = this.buffered;
    for (let v = 0; v < this.layout.series; v++) {
      const sketch = this.digests[v];
      const base = v * BLOCK;
      for (let r = 0; r < n; r++) sketch.add(this.block[base + r]);
    }
    this.buffered = 0;
  }

  private emitPoint(): void {
    const cells = this.meta.cells.length;
    const prefix = this.swept ? `${this.currentPoint},` : '';
    for (let k = 0; k < this.meta.times.length; k++)
      for (let c = 0; c < cells; c++) {
        const d = this.digests[k * cells + c];
        const values = QUANTILES.map((q) => format7(d.quantile(q)));
        this.quantiles.line(`${k},${this.times[k]},${this.cellKeys[c]},${prefix}${format7(d.mean())},${values.join(',')}`);
      }
  }

  /** Writes the last point and closes the files; every run must have been fed. */
  finish(): void {
    if (this.next !== this.meta.runs) throw new Error(`aggregate: ${this.next} of ${this.meta.runs} runs fed`);
    if (this.currentPoint >= 0) {
      this.flushBlock();
      this.emitPoint();
    }
    this.runsCsv.close();
    this.quantiles.close();
  }
}

/** Feeds `count` records from `store`, starting at run `from`, reading in blocks. */
export function feedFromStore(agg: Aggregator, store: RunStore, from: number, count: number): void {
  const size = store.layout.bytes;
  const block = Math.max(1, Math.floor((4 << 20) / size));
  const buffer = new Uint8Array(Math.min(block, count) * size);
  for (let k = 0; k < count; k += block) {
    const n = Math.min(block, count - k);
    store.read(from + k, n, buffer);
    for (let r = 0; r < n; r++) agg.feed(from + k + r, buffer, r * size);
  }
}

/** Aggregates whole stores (in run-id order) into `folder`. */
export function aggregate(meta: ExperimentMeta, stores: RunStore[], folder: string): void {
  const agg = new Aggregator(meta, folder);
  for (const store of [...stores].sort((a, b) => a.header.first - b.header.first))
    feedFromStore(agg, store, store.header.first, store.header.end - store.header.first);
  agg.finish();
}
