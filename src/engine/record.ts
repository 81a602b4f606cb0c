/**
 * The reporter table (after Mesa's DataCollector): what a run records at every step, as data, not code.
 * Each reporter names an entity and a variable and points at one slot of one of the state's arrays (times a
 * scale), so recording a step is one tight loop over typed arrays. Model logic never writes output; it only
 * leaves state the reporters can see. Entities: `region`, a state code, or a dyad `AAA-BBB` (codes in
 * alphabetical order).
 */
import { CHANNELS, type State } from './state.js';
import type { World } from './world.js';

/** The arrays of a state that reporters read, in a fixed order. */
export const SOURCES = [
  'regionCoop', 'agreement', 'scalars', 'spill', 'channels', 'coop', 'security', 'waterStress', 'support',
  'openness', 'gdp', 'tradeOf', 'trust', 'trade', 'border',
] as const;
type Source = (typeof SOURCES)[number];

/** Region-level scalars, copied into `State.scalars` before each recording. */
export const SCALARS = ['tradeTotal', 'integrationIndex', 'stage', 'negativeIndex', 'positiveIndex', 'institutions', 'deals'] as const;

export interface Reporter {
  entity: string;
  variable: string;
  source: number;
  index: number;
  scale: number;
}

/** A world's reporter table in struct-of-arrays form, for the recording loop. */
export interface ReporterTable {
  reporters: Reporter[];
  source: Int32Array;
  index: Int32Array;
  scale: Float64Array;
}

const BN = 1e9;

function build(w: World): ReporterTable {
  const out: Reporter[] = [];
  const add = (entity: string, variable: string, source: Source, index: number, scale = 1) =>
    out.push({ entity, variable, source: SOURCES.indexOf(source), index, scale });
  const scalar = (name: (typeof SCALARS)[number]) => SCALARS.indexOf(name);
  const { n, nSectors: ns, sectors, codes } = w;

  sectors.forEach((name, s) => add('region', `cooperation.${name}`, 'regionCoop', s));
  sectors.forEach((name, s) => add('region', `agreement.${name}`, 'agreement', s));
  add('region', 'trade_usd', 'scalars', scalar('tradeTotal'), BN);
  add('region', 'integration_index', 'scalars', scalar('integrationIndex'));
  add('region', 'balassa_stage', 'scalars', scalar('stage'));
  add('region', 'negative_integration', 'scalars', scalar('negativeIndex'));
  add('region', 'positive_integration', 'scalars', scalar('positiveIndex'));
  add('region', 'institutions', 'scalars', scalar('institutions'));
  add('region', 'agreements_made', 'scalars', scalar('deals'));
  sectors.forEach((from, f) =>
    sectors.forEach((to, t) => {
      if (f !== t) add('region', `spillover.${from}.${to}`, 'spill', f * ns + t);
    }),
  );
  sectors.forEach((name, s) => CHANNELS.forEach((ch, c) => add('region', `attribution.${name}.${ch}`, 'channels', c * ns + s)));

  codes.forEach((code, i) => {
    sectors.forEach((name, s) => add(code, `cooperation.${name}`, 'coop', i * ns + s));
    add(code, 'security', 'security', i);
    add(code, 'water_stress', 'waterStress', i);
    add(code, 'support', 'support', i);
    add(code, 'openness', 'openness', i);
    add(code, 'gdp_usd', 'gdp', i, BN);
    add(code, 'trade_usd', 'tradeOf', i, BN);
  });

  const order = codes.map((c, i) => [c, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      const [ca, i] = order[a];
      const [cb, j] = order[b];
      const dyad = `${ca}-${cb}`;
      add(dyad, 'trust', 'trust', i * n + j);
      add(dyad, 'trade_usd', 'trade', i * n + j, BN);
      add(dyad, 'border', 'border', i * n + j);
    }
  return {
    reporters: out,
    source: Int32Array.from(out, (r) => r.source),
    index: Int32Array.from(out, (r) => r.index),
    scale: Float64Array.from(out, (r) => r.scale),
  };
}

/** A structure's reporter table, and its subsets by columns (by their list, and by the list's text). */
interface Tables {
  table: ReporterTable;
  subsets: Map<string, ReporterTable>;
  byColumns: WeakMap<readonly number[], ReporterTable>;
}
/**
 * Tables by structure: the states and sectors, all a table depends on. The worlds of a sweep's design points differ in
 * values only, and building their tables again took a third of a world's setup (a sweep of one-run points builds a
 * world a run).
 */
const byStructure = new Map<string, Tables>();
/**
 * Tables by a world's list of states, with its list of sectors: the worlds of a sweep's design points share both lists
 * (`buildWorld`'s `varied`), which spares each point the structure's key, some 5 us of a one-run point.
 */
const byCodes = new WeakMap<readonly string[], { sectors: readonly string[]; tables: Tables }>();

function tablesOf(w: World): Tables {
  const known = byCodes.get(w.codes);
  if (known?.sectors === w.sectors) return known.tables;
  const key = `${w.codes.join(',')}|${w.sectors.join(',')}`;
  let t = byStructure.get(key);
  if (!t) byStructure.set(key, (t = { table: build(w), subsets: new Map(), byColumns: new WeakMap() }));
  byCodes.set(w.codes, { sectors: w.sectors, tables: t });
  return t;
}

/**
 * The reporter table of a world, built once per structure (see `byStructure`); with `columns`, only those reporters,
 * in that order.
 */
export function reporterTable(w: World, columns?: readonly number[]): ReporterTable {
  const { table, subsets, byColumns } = tablesOf(w);
  if (!columns) return table;
  const same = byColumns.get(columns);
  if (same) return same;
  const key = columns.join(',');
  let subset = subsets.get(key);
  if (!subset) {
    const reporters = columns.map((c) => table.reporters[c]);
    subset = {
      reporters,
      source: Int32Array.from(reporters, (r) => r.source),
      index: Int32Array.from(reporters, (r) => r.index),
      scale: Float64Array.from(reporters, (r) => r.scale),
    };
    subsets.set(key, subset);
  }
  byColumns.set(columns, subset);
  return subset;
}

/**
 * Where each reporter of `table` reads in the state's slab (`State.slab`): one offset per reporter, so that recording
 * a step is a gather from one array. Offsets are the same for every state of a world.
 */
export function slabOffsets(state: State, table: ReporterTable): Int32Array {
  const start = state.slab.byteOffset;
  return Int32Array.from(table.reporters, (r) => {
    const array = state[SOURCES[r.source]];
    if (array.buffer !== state.slab.buffer) throw new Error(`recordStep: ${SOURCES[r.source]} is not in the state's slab`);
    return (array.byteOffset - start) / Float64Array.BYTES_PER_ELEMENT + r.index;
  });
}

/** Writes one step's values into `out` at `offset`; `at` comes from {@link slabOffsets}. */
export function recordStep(state: State, table: ReporterTable, at: Int32Array, out: Float64Array, offset: number): void {
  const sc = state.scalars;
  sc[0] = state.tradeTotal;
  sc[1] = state.integrationIndex;
  sc[2] = state.stage;
  sc[3] = state.negativeIndex;
  sc[4] = state.positiveIndex;
  sc[5] = state.institutions;
  sc[6] = state.deals;
  const slab = state.slab;
  const scale = table.scale;
  for (let r = 0; r < at.length; r++) out[offset + r] = slab[at[r]] * scale[r];
}
