/**
 * A what-if report from ensembles of a baseline and its variants: the findings in plain words, the settings that
 * differ, fan charts, stage probabilities, who gains, spillover attribution, trust, and provenance. Pure: returns
 * the page, the Markdown and the CSV files; the CLI writes them.
 */
import { canonicalJson } from '../../scenario/canonical.js';
import type { Scenario } from '../../scenario/schema.js';
import { csvField } from '../../collect/format.js';
import { STAGE_NAMES } from '../../collect/summary.js';
import { color } from '../palette.js';
import type { Figure } from '../figures.js';
import type { EnsembleData } from './data.js';
import { attribution, describeChange, describeStage, describeStageAlone, trustAt, gains, INDICATORS, level, medianStageYear, pairedChange, stageProbabilities } from './analysis.js';
import { quantiles } from './stats.js';

/** A kept cell of an ensemble. */
type Cell = { entity: string; variable: string };

export interface ScenarioEnsemble {
  name: string;
  file: string;
  sha256: string;
  scenario: Scenario;
  data: EnsembleData;
}

export interface ReportInput {
  scenarios: ScenarioEnsemble[];
  runs: number;
  seed: number;
  version: string;
  modelVersion: string;
  wallSeconds: number;
  /** Link to the ODD document, relative to the report. */
  oddLink: string;
  /** The year of the headline comparison. */
  year: number;
}

export interface ReportSection {
  id: string;
  title: string;
  caption: string;
  figure?: Figure;
  /** The data behind the chart, as a table (header, rows) and as a CSV file name. */
  table: { header: string[]; rows: Array<Array<string | number>> };
  csv: string;
}

export interface Report {
  title: string;
  summary: string[];
  /** The scenarios' names, the baseline first: the columns of `settings`. */
  scenarios: string[];
  settings: Array<{ path: string; values: string[] }>;
  sections: ReportSection[];
  provenance: Array<[string, string]>;
  csvFiles: Record<string, string>;
}

const FAN_VARIABLES: Array<{ id: string; title: string; unit: string; scale: number; cells: (kept: Cell[]) => string[] }> = [
  { id: 'cooperation-transport', title: 'Transport cooperation', unit: 'mean of members, 0-1', scale: 1, cells: () => ['region|cooperation.transport'] },
  { id: 'cooperation-customs', title: 'Customs cooperation', unit: 'mean of members, 0-1', scale: 1, cells: () => ['region|cooperation.customs'] },
  { id: 'cooperation-water', title: 'Water cooperation', unit: 'mean of members, 0-1', scale: 1, cells: () => ['region|cooperation.water'] },
  { id: 'trade', title: 'Intra-regional trade', unit: 'USD bn per year', scale: 1e9, cells: () => ['region|trade_usd'] },
  { id: 'integration', title: 'Integration index', unit: '0-1', scale: 1, cells: () => ['region|integration_index'] },
  { id: 'security', title: 'Security', unit: 'mean of members, 0-1', scale: 1, cells: (kept) => kept.filter((c) => c.variable === 'security').map((c) => `${c.entity}|security`) },
  { id: 'water-stress', title: 'Water stress', unit: 'mean of members, 0-1', scale: 1, cells: (kept) => kept.filter((c) => c.variable === 'water_stress').map((c) => `${c.entity}|water_stress`) },
];

/**
 * Whether a report reads a cell run by run (`readEnsemble`), the rest coming from quantiles.csv: the indicators' (paired
 * changes), the fan charts' (the region's, and every member's security and water stress) and the members' trade and
 * GDP (gains). A report keeps these of every run in memory: 25 of its 72 kept cells.
 */
export function readRunByRun(cell: Cell): boolean {
  const key = `${cell.entity}|${cell.variable}`;
  return (
    INDICATORS.some((i) => `${i.entity}|${i.variable}` === key) ||
    FAN_VARIABLES.some((f) => f.cells([cell]).includes(key)) ||
    // a member's, not a dyad's (KAZ-KGZ)
    ((cell.variable === 'trade_usd' || cell.variable === 'gdp_usd') && !cell.entity.includes('-'))
  );
}

const round = (v: number, digits = 4) => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : Number.NaN);
const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? String(round(v, digits)) : 'NA');

function toCsv(header: string[], rows: Array<Array<string | number>>): string {
  return `${[header, ...rows].map((r) => r.map((v) => csvField(typeof v === 'number' ? fmt(v, 7) : v)).join(',')).join('\n')}\n`;
}

/**
 * Per step, the quantiles of a variable (the mean of `cells` in each run) over the runs. Run by run, each run's series
 * read in order: step by step, a value from every run's series missed the cache at each (a report of two scenarios of
 * 20,000 runs took 14.1-14.5 s so, 12.0-12.1 this way).
 */
function fan(d: EnsembleData, cells: string[], scale: number): number[][] {
  const idx = cells.map((c) => d.cellIndex.get(c)!).filter((c) => c !== undefined);
  const width = d.width;
  const values = d.meta.times.map(() => new Float64Array(d.series.length));
  d.series.forEach((s, r) => {
    for (let k = 0; k < values.length; k++) {
      let sum = 0;
      for (const c of idx) sum += s[k * width + c];
      values[k][r] = sum / idx.length / scale;
    }
  });
  return values.map((v) => quantiles(v, [0.05, 0.25, 0.5, 0.75, 0.95]));
}

/**
 * Vertical markers for the time axis: every scenario's scheduled shocks (settlements and investment packages
 * among them), and the median year each scenario reaches a free trade area and a customs union.
 */
function shockMarkers(scenarios: ScenarioEnsemble[]): { shapes: unknown[]; annotations: unknown[] } {
  const seen = new Map<string, { at: number; label: string; k: number }>();
  scenarios.forEach((s, k) =>
    [2, 3].forEach((stage) => {
      const year = medianStageYear(s.data, stage);
      if (year !== undefined && year > s.data.meta.times[0]) seen.set(`stage${stage}|${s.name}`, { at: year, label: `${stage === 2 ? 'FTA' : 'customs union'}: ${s.name} (median)`, k });
    }),
  );
  scenarios.forEach((s, k) =>
    s.scenario.shocks.forEach((sh) => {
      if (sh.at === undefined) return;
      const key = `${sh.at}|${sh.label ?? sh.type}`;
      if (!seen.has(key)) seen.set(key, { at: sh.at, label: sh.label ?? sh.type, k });
    }),
  );
  const list = [...seen.values()];
  return {
    shapes: list.map((m) => ({ type: 'line', xref: 'x', yref: 'paper', x0: m.at, x1: m.at, y0: 0, y1: 1, line: { color: color(m.k), width: 1, dash: 'dot' } })),
    annotations: list.map((m, k) => ({ x: m.at, y: 1 - (k % 3) * 0.08, xref: 'x', yref: 'paper', text: m.label, showarrow: false, xanchor: 'left', font: { size: 10, color: '#555' } })),
  };
}

/**
 * A shock as the settings table shows it, every field but its name: two variants' droughts of one name that differ
 * in their duration or sector alone were shown as the same setting.
 */
export function shockSetting(sh: Scenario['shocks'][number]): string {
  const when = sh.at !== undefined ? `${sh.at}` : `p=${sh.probability}/yr`;
  const years = `${sh.duration} year${sh.duration === 1 ? '' : 's'}`;
  return [sh.type, when, years, `magnitude ${sh.magnitude}`, ...(sh.targets ? [sh.targets.join('-')] : []), ...(sh.sector ? [sh.sector] : [])].join(', ');
}

function settingsDiff(scenarios: ScenarioEnsemble[]): Array<{ path: string; values: string[] }> {
  const flat = (s: Scenario) => {
    const out = new Map<string, string>();
    const walk = (v: unknown, path: string) => {
      if (path === 'shocks') {
        // two shocks of one name in a scenario are two rows, the second "(2)", not one row losing the first
        const named = new Map<string, number>();
        for (const sh of v as Scenario['shocks']) {
          const name = sh.label ?? sh.type, n = (named.get(name) ?? 0) + 1;
          named.set(name, n);
          out.set(`shock: ${name}${n > 1 ? ` (${n})` : ''}`, shockSetting(sh));
        }
        return;
      }
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
      else out.set(path, canonicalJson(v));
    };
    walk(s, '');
    for (const skip of ['name', 'description', '$schema']) out.delete(skip);
    return out;
  };
  const flats = scenarios.map((s) => flat(s.scenario));
  const paths = [...new Set(flats.flatMap((f) => [...f.keys()]))].sort();
  return paths.filter((p) => new Set(flats.map((f) => f.get(p) ?? '—')).size > 1).map((path) => ({ path, values: flats.map((f) => f.get(path) ?? '—') }));
}

/**
 * Whether a file name is one a report writes into its `data/` (`Report.csvFiles`): what a report may replace there, an
 * earlier report's files of other charts included, and nothing else (a project's own `data/` of CSV files, under
 * `--out .`, is not the report's).
 */
export function isReportCsv(name: string): boolean {
  return /^(fan-[a-z0-9-]+|stage-probabilities|gains|attribution|trust|settings)\.csv$/.test(name);
}

export function buildReport(input: ReportInput): Report {
  const [base, ...variants] = input.scenarios;
  const names = input.scenarios.map((s) => s.name);
  const states = [...new Set(base.data.meta.cells.filter((c) => c.variable === 'gdp_usd').map((c) => c.entity))];
  const end = base.data.meta.times[base.data.meta.times.length - 1];
  const sections: ReportSection[] = [];
  const csvFiles: Record<string, string> = {};
  const markers = shockMarkers(input.scenarios);

  // the findings in words
  const summary: string[] = [];
  if (variants.length === 0) {
    const d = base.data;
    const k = d.meta.times.length - 1;
    for (const ind of INDICATORS.slice(0, 4)) {
      const c = d.cellIndex.get(`${ind.entity}|${ind.variable}`);
      if (c === undefined) continue;
      const scale = ind.variable === 'trade_usd' ? 1e9 : 1;
      const values = d.series.map((s) => s[k * d.width + c]);
      const [low, mid, high] = quantiles(values, [0.05, 0.5, 0.95]);
      summary.push(`Under ${base.name}, ${ind.label} in ${round(end)} is ${level(ind, mid)} in the median run (90% of runs: ${fmt(low / scale)}–${fmt(high / scale)}).`);
    }
    summary.push(describeStageAlone(base.data, base.name));
  } else {
    for (const v of variants) {
      const changes = INDICATORS.map((ind) => pairedChange(base.data, v.data, ind, input.year));
      const notable = changes.filter((c) => Math.abs(c.median) >= 0.01).sort((a, b) => Math.abs(b.median) - Math.abs(a.median));
      for (const c of (notable.length ? notable : changes).slice(0, 3)) summary.push(describeChange(c, v.name));
      summary.push(describeStage(base.data, v.data, v.name));
      const g = gains(base.data, v.data, states, input.year);
      const sorted = [...g.gains].sort((a, b) => b.tradeRelative - a.tradeRelative);
      const p = (x: number) => (Math.abs(x) < 0.0005 ? 'no change' : `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}%`);
      const hi = sorted[0], lo = sorted[sorted.length - 1];
      summary.push(Math.abs(hi.tradeRelative) < 0.0005 && Math.abs(lo.tradeRelative) < 0.0005
        ? `Under ${v.name}, no member's regional trade in ${input.year} differs from the baseline's by more than 0.05% in the median run.`
        : evenness(v.name, input.year, g.spread, lo, hi, p));
    }
  }

  // fan charts
  for (const f of FAN_VARIABLES) {
    const fans = input.scenarios.map((s) => fan(s.data, f.cells(s.data.meta.cells), f.scale));
    const x = base.data.meta.times.map((t) => round(t, 6));
    const data: Array<Record<string, unknown>> = [];
    input.scenarios.forEach((s, k) => {
      const c = color(k);
      const col = (q: number) => fans[k].map((r) => round(r[q]));
      data.push(
        { x, y: col(4), mode: 'lines', line: { width: 0, color: c }, showlegend: false, hoverinfo: 'skip', legendgroup: s.name },
        { x, y: col(0), mode: 'lines', line: { width: 0, color: c }, fill: 'tonexty', fillcolor: `${c}1a`, name: `${s.name} 5–95%`, legendgroup: s.name, hoverinfo: 'skip' },
        { x, y: col(3), mode: 'lines', line: { width: 0, color: c }, showlegend: false, hoverinfo: 'skip', legendgroup: s.name },
        { x, y: col(1), mode: 'lines', line: { width: 0, color: c }, fill: 'tonexty', fillcolor: `${c}40`, name: `${s.name} 25–75%`, legendgroup: s.name, hoverinfo: 'skip' },
        { x, y: col(2), mode: 'lines', line: { width: 2.5, color: c, dash: k === 0 ? 'solid' : 'dash' }, name: `${s.name} median`, legendgroup: s.name, hovertemplate: `${s.name}: %{y:.3~g} (%{x:.2f})<extra></extra>` },
      );
    });
    const rows: Array<Array<string | number>> = [];
    input.scenarios.forEach((s, k) => base.data.meta.times.forEach((t, step) => {
      if (step % base.data.meta.times.length === 0 || Math.abs(t - Math.round(t)) < 1e-9) rows.push([s.name, round(t, 6), ...fans[k][step].map((v) => round(v))]);
    }));
    const csv = `fan-${f.id}.csv`;
    csvFiles[csv] = toCsv(['scenario', 'time', 'q05', 'q25', 'q50', 'q75', 'q95'], rows);
    sections.push({
      id: f.id, title: f.title, csv,
      caption: `Median (line) and the middle 50% and 90% of runs (bands), ${f.unit}; dotted lines mark scheduled shocks and agreements, and the median year each scenario reaches a free trade area (FTA) and a customs union.`,
      figure: { id: f.id, title: f.title, caption: '', data, layout: { xaxis: { title: { text: 'year' }, hoverformat: '.2f', tickformat: 'd' }, yaxis: { title: { text: f.unit } }, legend: { orientation: 'h', y: -0.25 }, margin: { t: 30, r: 20, b: 70, l: 60 }, hovermode: 'x unified', ...markers } },
      table: { header: ['scenario', 'year', 'q05', 'q25', 'median', 'q75', 'q95'], rows },
    });
  }

  // stage probabilities
  {
    const data: Array<Record<string, unknown>> = [];
    const rows: Array<Array<string | number>> = [];
    input.scenarios.forEach((s, k) => {
      const p = stageProbabilities(s.data);
      [2, 3, 4].forEach((stage, j) => {
        data.push({ x: p.years, y: p.byStage[stage - 1].map((v) => round(v, 3)), mode: 'lines+markers', name: `${s.name}: ${STAGE_NAMES[stage]}`, line: { color: color(k), dash: ['solid', 'dash', 'dot'][j], width: 2 }, hovertemplate: `${s.name}, ${STAGE_NAMES[stage]} by %{x}: %{y:.0%}<extra></extra>` });
      });
      p.years.forEach((y, i) => rows.push([s.name, y, ...p.byStage.map((b) => round(b[i], 3))]));
    });
    csvFiles['stage-probabilities.csv'] = toCsv(['scenario', 'year', ...STAGE_NAMES.slice(1).map((n, k) => `p_stage${k + 1}_${n.replace(/ /g, '_')}`)], rows);
    sections.push({
      id: 'stages', title: 'Balassa stage: the chance of getting there', csv: 'stage-probabilities.csv',
      caption: 'Share of runs that have reached a free trade area (solid), a customs union (dashed) and a common market (dotted) by each year.',
      figure: { id: 'stages', title: '', caption: '', data, layout: { xaxis: { title: { text: 'year' }, dtick: 1 }, yaxis: { title: { text: 'share of runs' }, range: [0, 1.02], tickformat: '.0%' }, legend: { orientation: 'h', y: -0.25 }, margin: { t: 30, r: 20, b: 90, l: 60 }, hovermode: 'closest' } },
      table: { header: ['scenario', 'year', ...STAGE_NAMES.slice(1)], rows },
    });
  }

  if (variants.length > 0) {
    // who gains
    const rows: Array<Array<string | number>> = [];
    const data = variants.map((v, k) => {
      const g = gains(base.data, v.data, states, input.year);
      g.gains.forEach((x) => rows.push([v.name, x.state, round(x.tradeUsd / 1e9), round(100 * x.tradeRelative), round(100 * x.gdpRelative)]));
      return { type: 'bar', name: v.name, x: g.gains.map((x) => x.state), y: g.gains.map((x) => round(100 * x.tradeRelative)), marker: { color: color(k + 1) }, hovertemplate: `${v.name}, %{x}: %{y:.1f}%<extra></extra>` };
    });
    csvFiles['gains.csv'] = toCsv(['scenario', 'state', 'trade_change_usd_bn', 'trade_change_percent', 'gdp_change_percent'], rows);
    sections.push({
      id: 'gains', title: 'Who gains', csv: 'gains.csv',
      caption: `Median change against the baseline in each member's trade with the others in ${input.year}, % (paired runs on the same seeds); the table adds USD bn and GDP.`,
      figure: { id: 'gains', title: '', caption: '', data, layout: { barmode: 'group', yaxis: { title: { text: 'change in regional trade, %' } }, legend: { orientation: 'h', y: -0.2 }, margin: { t: 30, r: 20, b: 60, l: 60 } } },
      table: { header: ['scenario', 'state', 'trade change, USD bn', 'trade change, %', 'GDP change, %'], rows },
    });
  }

  // spillover attribution
  {
    const rows: Array<Array<string | number>> = [];
    const data: Array<Record<string, unknown>> = [];
    const channels = ['own', 'functional', 'political', 'cultivated', 'shock', 'noise'];
    input.scenarios.forEach((s, k) => {
      for (const sector of ['customs', 'water']) {
        const a = attribution(s.data, sector);
        rows.push([s.name, sector, ...channels.map((c) => round(a[c]))]);
      }
      data.push({ type: 'bar', name: s.name, x: channels.flatMap((c) => [`customs: ${c}`]), y: channels.map((c) => round(attribution(s.data, 'customs')[c])), marker: { color: color(k) }, legendgroup: s.name, hovertemplate: `${s.name}, %{x}: %{y:.3f}<extra></extra>` });
      data.push({ type: 'bar', name: `${s.name} (water)`, x: channels.map((c) => `water: ${c}`), y: channels.map((c) => round(attribution(s.data, 'water')[c])), marker: { color: color(k), pattern: { shape: '/' } }, legendgroup: s.name, showlegend: false, hovertemplate: `${s.name}, %{x}: %{y:.3f}<extra></extra>` });
    });
    csvFiles['attribution.csv'] = toCsv(['scenario', 'sector', ...channels], rows);
    sections.push({
      id: 'attribution', title: 'Where the change in customs and water cooperation came from', csv: 'attribution.csv',
      caption: 'Mean change in cooperation over the run by channel: own payoff (Tinbergen), functional, political and cultivated spillover (Haas), shocks and noise.',
      figure: { id: 'attribution', title: '', caption: '', data, layout: { barmode: 'group', yaxis: { title: { text: 'change in cooperation (0-1)' } }, legend: { orientation: 'h', y: -0.3 }, margin: { t: 30, r: 20, b: 90, l: 60 } } },
      table: { header: ['scenario', 'sector', ...channels], rows },
    });
  }

  // trust
  {
    const codes = [...states].sort();
    const baseTrust = trustAt(base.data, input.year);
    const shown = variants.length ? variants : [base];
    const rows: Array<Array<string | number>> = [];
    const matrices = shown.map((v) => {
      const t = trustAt(v.data, input.year);
      return codes.map((a) => codes.map((b) => {
        if (a === b) return null;
        const key = a < b ? `${a}-${b}` : `${b}-${a}`;
        return round((t.get(key) ?? Number.NaN) - (variants.length ? baseTrust.get(key) ?? Number.NaN : 0), 3);
      }));
    });
    // one symmetric range for every map, so equal colours mean equal changes
    const reach = Math.max(0.01, ...matrices.flat(2).map((z) => Math.abs(z ?? 0)));
    const data = shown.map((v, k) => {
      const z = matrices[k];
      codes.forEach((a, i) => codes.forEach((b, j) => { if (a < b) rows.push([v.name, `${a}-${b}`, z[i][j] as number]); }));
      const scale = variants.length ? { colorscale: 'RdBu', reversescale: true, zmin: -reach, zmax: reach } : { colorscale: 'Blues', reversescale: true, zmin: 0, zmax: 1 };
      return { type: 'heatmap', x: codes, y: codes, z, ...scale, text: z, texttemplate: '%{z:.2f}', xaxis: `x${k ? k + 1 : ''}`, yaxis: `y${k ? k + 1 : ''}`, showscale: k === 0, hovertemplate: `${v.name}, %{y}-%{x}: %{z:.3f}<extra></extra>` };
    });
    const layout: Record<string, unknown> = { margin: { t: 40, r: 20, b: 50, l: 60 }, grid: { rows: 1, columns: shown.length, pattern: 'independent' }, annotations: shown.map((v, k) => ({ text: v.name, xref: `x${k ? k + 1 : ''} domain`, yref: `y${k ? k + 1 : ''} domain`, x: 0.5, y: 1.12, showarrow: false })) };
    shown.forEach((_, k) => { layout[`yaxis${k ? k + 1 : ''}`] = { autorange: 'reversed' }; });
    csvFiles['trust.csv'] = toCsv(['scenario', 'dyad', variants.length ? 'trust_difference_from_baseline' : 'trust'], rows);
    sections.push({
      id: 'trust', title: variants.length ? 'Trust between the five: difference from the baseline' : 'Trust between the five', csv: 'trust.csv',
      caption: variants.length ? `Mean trust in each pair in ${input.year}, minus the baseline's (blue: more trust, red: less).` : `Mean trust in each pair in ${input.year}, 0-1.`,
      figure: { id: 'trust', title: '', caption: '', data, layout },
      table: { header: ['scenario', 'pair', variants.length ? 'difference' : 'trust'], rows },
    });
  }

  const settings = settingsDiff(input.scenarios);
  csvFiles['settings.csv'] = toCsv(['setting', ...names], settings.map((s) => [s.path, ...s.values]));

  return {
    title: variants.length ? `What if: ${variants.map((v) => v.name).join(', ')} against ${base.name}` : `Outlook: ${base.name}`,
    summary,
    scenarios: names,
    settings,
    sections,
    provenance: [
      ['spillover', `${input.version} (model ${input.modelVersion})`],
      ['runs', `${input.runs} per scenario, paired: run r of every scenario uses the same seed, derived from base seed ${input.seed} and r (seeds in ensembles/*/runs.csv)`],
      ...input.scenarios.map((s): [string, string] => [`scenario ${s.name}`, `${s.file}, SHA-256 ${s.sha256}`]),
      ['wall time', `${input.wallSeconds.toFixed(1)} s`],
      ['quantiles', 'Hazen quantiles over runs; 90% of runs = 5th to 95th percentile'],
      ['model', `described in the ODD document: ${input.oddLink}`],
    ],
    csvFiles,
  };
}

/**
 * How evenly a variant's change in regional trade falls on the members, from the members with the lowest (`lo`) and
 * highest (`hi`) median change: gains, losses or changes of either sign, and a range only where the two ends print
 * differently (a range from -0.1% to -0.1% said nothing).
 */
function evenness(name: string, year: number, spread: number, lo: { state: string; tradeRelative: number }, hi: { state: string; tradeRelative: number }, p: (x: number) => string): string {
  const kind = hi.tradeRelative <= 0 ? 'losses' : lo.tradeRelative >= 0 ? 'gains' : 'changes';
  if (p(lo.tradeRelative) === p(hi.tradeRelative)) return `Under ${name}, ${kind} are even: in ${year} the median change in every member's regional trade is ${p(hi.tradeRelative)}.`;
  return `Under ${name}, ${kind} are ${spread > 0.05 ? 'uneven' : 'fairly even'}: in ${year} the median change in a member's regional trade ranges from ${p(lo.tradeRelative)} for ${lo.state} to ${p(hi.tradeRelative)} for ${hi.state}.`;
}
