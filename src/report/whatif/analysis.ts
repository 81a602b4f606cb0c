/**
 * The findings of a what-if report, computed from ensembles run on the same seeds (common random numbers): each
 * variant run is paired with the baseline run of the same seed, so differences are the variant's effect and
 * their spread is the uncertainty about it.
 */
import { STAGE_NAMES } from '../../collect/summary.js';
import { stepAt, valuesAt, type EnsembleData } from './data.js';
import { median, quantiles, share } from './stats.js';

export interface Indicator {
  label: string;
  entity: string;
  variable: string;
}

export const INDICATORS: Indicator[] = [
  { label: 'regional water cooperation', entity: 'region', variable: 'cooperation.water' },
  { label: 'regional customs cooperation', entity: 'region', variable: 'cooperation.customs' },
  { label: 'regional transport cooperation', entity: 'region', variable: 'cooperation.transport' },
  { label: 'intra-regional trade', entity: 'region', variable: 'trade_usd' },
  { label: 'the integration index', entity: 'region', variable: 'integration_index' },
];

export interface Change {
  indicator: Indicator;
  year: number;
  /** Median over runs of the paired relative change, and its 5th and 95th percentiles (fractions). */
  median: number;
  low: number;
  high: number;
  baseMedian: number;
  variantMedian: number;
  /** Runs whose baseline is 0 and whose variant is not: no relative change, left out of the quantiles. */
  fromZero: number;
  runs: number;
}

/** Paired relative changes of one indicator at a year. */
export function pairedChange(base: EnsembleData, variant: EnsembleData, indicator: Indicator, year: number): Change {
  const k = stepAt(base.meta, year);
  const b = valuesAt(base, indicator.entity, indicator.variable, k);
  const v = valuesAt(variant, indicator.entity, indicator.variable, k);
  // 0 in both is no change; from 0 to anything has no relative change, and is counted, not dropped without a word
  let fromZero = 0;
  const rel = Float64Array.from(b, (x, r) => {
    if (x !== 0) return (v[r] - x) / Math.abs(x);
    if (v[r] === 0) return 0;
    fromZero++;
    return Number.NaN;
  });
  const [low, mid, high] = quantiles(rel, [0.05, 0.5, 0.95]);
  return { indicator, year: base.meta.times[k], median: mid, low, high, baseMedian: median(b), variantMedian: median(v), fromZero, runs: b.length };
}

/** Share of runs that have reached each stage (1..6) by each calendar year. */
export function stageProbabilities(d: EnsembleData): { years: number[]; byStage: number[][] } {
  const first = Math.ceil(d.meta.times[0]);
  const last = Math.floor(d.meta.times[d.meta.times.length - 1]);
  const years = Array.from({ length: last - first + 1 }, (_, k) => first + k);
  const byStage = [1, 2, 3, 4, 5, 6].map((s) => {
    const reached = d.outcomes.get(`stage${s}_year`)!;
    return years.map((y) => share(reached, (t) => !Number.isNaN(t) && t <= y + 1e-9));
  });
  return { years, byStage };
}

/**
 * The median year a stage is first reached, or undefined when half the runs or fewer reach it: with half exactly, the
 * median lies between a run that reaches it and one that never does (runs never reaching it count as reaching it at
 * infinity), and it said "reaches a free trade area in Infinity QNaN".
 */
export function medianStageYear(d: EnsembleData, stage: number): number | undefined {
  const years = d.outcomes.get(`stage${stage}_year`)!;
  const reached = share(years, (t) => !Number.isNaN(t));
  if (reached <= 0.5) return undefined;
  return median(Float64Array.from(years, (t) => (Number.isNaN(t) ? Infinity : t)));
}

export interface Gain {
  state: string;
  /** Median paired change of the state's regional trade at the end, USD, and relative. */
  tradeUsd: number;
  tradeRelative: number;
  /** Median paired change of GDP at the end, as a fraction of the baseline's GDP. */
  gdpRelative: number;
}

/** Per-state gains at a year (the step at or after it), paired run by run. */
export function gains(base: EnsembleData, variant: EnsembleData, states: string[], year: number): { gains: Gain[]; spread: number } {
  const k = stepAt(base.meta, year);
  const list = states.map((state) => {
    const bt = valuesAt(base, state, 'trade_usd', k), vt = valuesAt(variant, state, 'trade_usd', k);
    const bg = valuesAt(base, state, 'gdp_usd', k), vg = valuesAt(variant, state, 'gdp_usd', k);
    return {
      state,
      tradeUsd: median(Float64Array.from(bt, (x, r) => vt[r] - x)),
      tradeRelative: median(Float64Array.from(bt, (x, r) => (vt[r] - x) / x)),
      gdpRelative: median(Float64Array.from(bg, (x, r) => (vg[r] - x) / x)),
    };
  });
  const rel = list.map((g) => g.tradeRelative);
  return { gains: list, spread: Math.max(...rel) - Math.min(...rel) };
}

/** Mean change of a sector's cooperation over the run, by channel (the mean of sums is the sum of means). */
export function attribution(d: EnsembleData, sector: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const ch of ['own', 'functional', 'political', 'cultivated', 'shock', 'noise']) {
    const steps = d.quantiles.get(`region|attribution.${sector}.${ch}`) ?? [];
    out[ch] = steps.reduce((s, q) => s + q[0], 0);
  }
  return out;
}

/** Mean trust per dyad at a year (the step at or after it). */
export function trustAt(d: EnsembleData, year: number): Map<string, number> {
  const k = stepAt(d.meta, year);
  const out = new Map<string, number>();
  for (const [key, steps] of d.quantiles) {
    const [entity, variable] = key.split('|');
    if (variable === 'trust') out.set(entity, steps[k][0]);
  }
  return out;
}

const pct = (x: number) => `${Math.abs(100 * x).toFixed(0)}%`;
const direction = (x: number) => (x >= 0 ? 'higher' : 'lower');

/** An indicator's value as findings print it: three significant digits, trade in USD bn. */
export function level(indicator: Indicator, value: number): string {
  if (!Number.isFinite(value)) return 'NA';
  const usd = indicator.variable.endsWith('_usd');
  return `${Number((usd ? value / 1e9 : value).toPrecision(3))}${usd ? ' USD bn' : ''}`;
}

/** One finding in plain words, with its uncertainty. */
export function describeChange(c: Change, variant: string): string {
  const runs = `${c.fromZero} of ${c.runs} run${c.runs === 1 ? '' : 's'}`;
  if (!Number.isFinite(c.median))
    return `Under ${variant}, ${c.indicator.label} in ${c.year} is ${level(c.indicator, c.variantMedian)} in the median run, where the baseline's is 0 in ${runs}: no relative change to give.`;
  const left = c.fromZero ? ` Left out: ${runs}, where the baseline's is 0 and ${variant}'s is not.` : '';
  if (Math.abs(c.median) < 0.005 && Math.abs(c.low) < 0.01 && Math.abs(c.high) < 0.01)
    return `Under ${variant}, ${c.indicator.label} in ${c.year} is about the same as in the baseline.${left}`;
  const same = Math.sign(c.low) === Math.sign(c.high);
  const [a, b] = [pct(Math.min(Math.abs(c.low), Math.abs(c.high))), pct(Math.max(Math.abs(c.low), Math.abs(c.high)))];
  const range = !same
    ? `90% of runs: from ${pct(c.low)} ${direction(c.low)} to ${pct(c.high)} ${direction(c.high)}`
    : a === b
      ? `90% of runs: about ${a} ${direction(c.median)}`
      : `90% of runs: ${a}–${b} ${direction(c.median)}`;
  // the levels, so that a large change from a small baseline reads as what it is (a median of paired changes need not
  // be the ratio of the two medians, which are each scenario's own)
  const levels = `median ${level(c.indicator, c.variantMedian)} against ${level(c.indicator, c.baseMedian)}`;
  return `Under ${variant}, ${c.indicator.label} in ${c.year} is ${pct(c.median)} ${direction(c.median)} than in the baseline (${levels}; ${range}).${left}`;
}

/** A decimal year as a calendar quarter: 2037.75 -> "2037 Q4". */
export function quarter(t: number): string {
  const year = Math.floor(t + 1e-9);
  return `${year} Q${Math.min(4, Math.floor((t - year) * 4 + 1e-6) + 1)}`;
}

/** The stages a finding speaks of, in the order asked: a customs union, failing that a free trade area, a common market. */
const STAGES_IN_FINDINGS = [3, 2, 4] as const;

/** The last year a run covers, as findings name it. */
const endYear = (d: EnsembleData) => Math.round(d.meta.times[d.meta.times.length - 1]);

/**
 * When one scenario's median run reaches a customs union (failing that, a free trade area; failing that, a common
 * market, as `describeStage` asks), in plain words: an outlook's finding, where there is no baseline to compare with.
 */
export function describeStageAlone(d: EnsembleData, name: string): string {
  for (const stage of STAGES_IN_FINDINGS) {
    const t = medianStageYear(d, stage);
    if (t !== undefined) return `Under ${name}, the median run reaches a ${STAGE_NAMES[stage]} in ${quarter(t)}.`;
  }
  return `Under ${name}, the median run reaches no free trade area by ${endYear(d)}.`;
}

/** How the median run's stage years differ between a baseline and a variant, in plain words. */
export function describeStage(base: EnsembleData, variant: EnsembleData, variantName: string): string {
  const end = endYear(base);
  for (const stage of STAGES_IN_FINDINGS) {
    const b = medianStageYear(base, stage), v = medianStageYear(variant, stage);
    if (b === undefined && v === undefined) continue;
    const name = STAGE_NAMES[stage];
    if (b === v) return `Under ${variantName}, the median run reaches a ${name} in ${quarter(v!)}, as in the baseline.`;
    if (b === undefined) return `Under ${variantName}, the median run reaches a ${name} in ${quarter(v!)}; the baseline's median run does not reach one by ${end}.`;
    if (v === undefined) return `Under ${variantName}, the median run does not reach a ${name} by ${end}; the baseline's median run reaches one in ${quarter(b)}.`;
    return `Under ${variantName}, the median run reaches a ${name} in ${quarter(v)} instead of ${quarter(b)}.`;
  }
  return `Neither the baseline nor ${variantName} reaches a free trade area in most runs.`;
}
