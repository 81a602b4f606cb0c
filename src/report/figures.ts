/**
 * Figures of one run as plotly specs: pure functions from a run to `{ data, layout }`, so the same specs
 * serve the CLI's page now and a browser page later. Nothing here draws or touches files.
 */
import { series, type RunResult } from '../engine/simulate.js';
import { STAGE_NAMES } from '../collect/summary.js';
import { CHANNELS } from '../engine/state.js';
import { color } from './palette.js';

export interface Figure {
  id: string;
  title: string;
  /** One sentence for the reader: what the chart shows and how to read it. */
  caption: string;
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

const years = (run: RunResult) => Array.from(run.times, (t) => Number(t.toFixed(4)));
const values = (run: RunResult, entity: string, variable: string) => Array.from(series(run, entity, variable) ?? []);

/** Vertical markers for the shocks that struck, so every time chart shows them. */
function shockMarkers(run: RunResult): { shapes: unknown[]; annotations: unknown[] } {
  const shocks = run.events.filter((e) => e.kind === 'shock');
  return {
    shapes: shocks.map((e) => ({ type: 'line', xref: 'x', yref: 'paper', x0: e.time, x1: e.time, y0: 0, y1: 1, line: { color: '#999', width: 1, dash: 'dot' } })),
    annotations: shocks.map((e, k) => ({
      x: e.time, y: 1 - (k % 4) * 0.07, xref: 'x', yref: 'paper', text: e.label, showarrow: false, xanchor: 'left', font: { size: 9, color: '#666' },
    })),
  };
}

function timeLayout(run: RunResult, yTitle: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    xaxis: { title: { text: 'year' } },
    yaxis: { title: { text: yTitle } },
    legend: { orientation: 'h', y: -0.2 },
    margin: { t: 30, r: 20, b: 60, l: 60 },
    hovermode: 'x unified',
    ...shockMarkers(run),
    ...extra,
  };
}

export function cooperationFigure(run: RunResult): Figure {
  const x = years(run);
  const w = run.world;
  const data = w.sectors.flatMap((s, k) => [
    { x, y: values(run, 'region', `cooperation.${s}`), name: `${w.sectorLabels[k]} (implemented)`, mode: 'lines', line: { color: color(k), width: 3 } },
    { x, y: values(run, 'region', `agreement.${s}`), name: `${w.sectorLabels[k]} (agreed)`, mode: 'lines', line: { color: color(k), width: 1.5, dash: 'dash' } },
  ]);
  return {
    id: 'cooperation', title: 'Cooperation by sector',
    caption: 'Mean implemented cooperation of the members (solid) and what the region has formally agreed (dashed), 0-1.',
    data, layout: timeLayout(run, 'cooperation (0-1)', { yaxis: { title: { text: 'cooperation (0-1)' }, range: [0, 1] } }),
  };
}

export function tradeFigure(run: RunResult): Figure {
  const x = years(run);
  const toBn = (v: number[]) => v.map((u) => Number((u / 1e9).toFixed(4)));
  const data = [
    { x, y: toBn(values(run, 'region', 'trade_usd')), name: 'region', mode: 'lines', line: { color: '#000', width: 3 } },
    ...run.world.codes.map((c, k) => ({ x, y: toBn(values(run, c, 'trade_usd')), name: c, mode: 'lines', line: { color: color(k), width: 1.5 } })),
  ];
  return {
    id: 'trade', title: 'Intra-regional trade',
    caption: 'Annualised intra-regional trade in goods (gravity model), region total and each member\'s trade with the other members, USD bn per year.',
    data, layout: timeLayout(run, 'USD bn per year'),
  };
}

export function stageFigure(run: RunResult): Figure {
  const x = years(run);
  return {
    id: 'stage', title: 'Balassa stage of integration',
    caption: 'The stage reached at each step, derived from what is agreed and implemented (see docs/ODD.md).',
    data: [{ x, y: values(run, 'region', 'balassa_stage'), name: 'stage', mode: 'lines', line: { shape: 'hv', color: color(0), width: 3 } }],
    layout: timeLayout(run, 'stage', {
      yaxis: { title: { text: 'stage' }, range: [-0.2, 6.2], tickvals: [0, 1, 2, 3, 4, 5, 6], ticktext: STAGE_NAMES.map((n, k) => `${k} ${n}`) },
      margin: { t: 30, r: 20, b: 60, l: 170 },
    }),
  };
}

export function indicesFigure(run: RunResult): Figure {
  const x = years(run);
  const lines: Array<[string, string]> = [
    ['integration_index', 'integration index'], ['negative_integration', 'negative integration (barriers removed)'],
    ['positive_integration', 'positive integration (common policies)'], ['institutions', 'regional institutions'],
  ];
  return {
    id: 'indices', title: 'Negative and positive integration',
    caption: 'Balassa\'s two kinds of integration and their mean, with the capacity of regional institutions, 0-1.',
    data: lines.map(([v, name], k) => ({ x, y: values(run, 'region', v), name, mode: 'lines', line: { color: color(k), width: k === 0 ? 3 : 1.8 } })),
    layout: timeLayout(run, 'index (0-1)', { yaxis: { title: { text: 'index (0-1)' }, range: [0, 1] } }),
  };
}

function perStateFigure(run: RunResult, id: string, variable: string, title: string, caption: string): Figure {
  const x = years(run);
  return {
    id, title, caption,
    data: run.world.codes.map((c, k) => ({ x, y: values(run, c, variable), name: c, mode: 'lines', line: { color: color(k), width: 2 } })),
    layout: timeLayout(run, `${variable.replace('_', ' ')} (0-1)`, { yaxis: { title: { text: `${variable.replace('_', ' ')} (0-1)` }, range: [0, 1] } }),
  };
}

export const securityFigure = (run: RunResult) =>
  perStateFigure(run, 'security', 'security', 'Security', 'Security of each member (1 stable); clashes strike it and it recovers toward its baseline.');
export const waterFigure = (run: RunResult) =>
  perStateFigure(run, 'water', 'water_stress', 'Water stress', 'Demand against available flow (1 most stressed); droughts hit downstream members first.');

export function trustFigure(run: RunResult): Figure {
  const codes = [...run.world.codes].sort();
  const last = run.times.length - 1;
  const width = run.reporters.length;
  const matrix = codes.map((a) =>
    codes.map((b) => {
      if (a === b) return null;
      const dyad = a < b ? `${a}-${b}` : `${b}-${a}`;
      const r = run.reporters.findIndex((x) => x.entity === dyad && x.variable === 'trust');
      return Number(run.values[last * width + r].toFixed(3));
    }),
  );
  return {
    id: 'trust', title: `Trust between members, ${Number(run.times[last].toFixed(2))}`,
    caption: 'Trust in each pair at the end of the run, 0-1 (darker is higher).',
    data: [{ type: 'heatmap', x: codes, y: codes, z: matrix, zmin: 0, zmax: 1, colorscale: 'Blues', reversescale: true, text: matrix, texttemplate: '%{z:.2f}', hovertemplate: '%{y}-%{x}: %{z:.3f}<extra></extra>' }],
    layout: { margin: { t: 30, r: 20, b: 50, l: 60 }, yaxis: { autorange: 'reversed' } },
  };
}

export function attributionFigure(run: RunResult): Figure {
  const w = run.world;
  const data = CHANNELS.map((ch, c) => ({
    type: 'bar', name: ch, marker: { color: color(c) },
    x: w.sectorLabels,
    y: w.sectors.map((s) => Number(values(run, 'region', `attribution.${s}.${ch}`).reduce((a, b) => a + b, 0).toFixed(4))),
  }));
  return {
    id: 'attribution', title: 'Where the change in cooperation came from',
    caption: 'Change in mean cooperation over the run, by channel: own payoff (Tinbergen), functional, political and cultivated spillover (Haas), shocks, and noise.',
    data, layout: { barmode: 'relative', yaxis: { title: { text: 'change in cooperation' } }, legend: { orientation: 'h', y: -0.2 }, margin: { t: 30, r: 20, b: 60, l: 60 } },
  };
}

/** Every figure of the run page, in reading order. */
export function runFigures(run: RunResult): Figure[] {
  return [cooperationFigure(run), tradeFigure(run), stageFigure(run), indicesFigure(run), attributionFigure(run), trustFigure(run), securityFigure(run), waterFigure(run)];
}
