/**
 * A self-contained HTML page of figures: the plotly bundle is inlined, so the page opens offline by
 * double-click. Pure: the caller passes the bundle's text.
 */
import type { Figure } from './figures.js';

import { drawFigures, escapeHtml, inlineScript } from './html.js';

export interface PageOptions {
  title: string;
  /** Lines under the title (scenario, seed, version). */
  subtitle: string[];
  /** Plain-language summary paragraphs. */
  summary: string[];
  figures: Figure[];
  plotlyBundle: string;
}

export function figurePage(o: PageOptions): string {
  const sections = o.figures
    .map((f) => `<section><h2>${escapeHtml(f.title)}</h2><p class="caption">${escapeHtml(f.caption)}</p><div class="chart" id="fig-${f.id}" role="img" aria-label="${escapeHtml(f.title)}"></div></section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem 2rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
.meta { color: #555; font-size: 0.9rem; margin: 0.1rem 0; }
.summary { background: #f4f7fb; border-left: 4px solid #0072B2; padding: 0.6rem 1rem; margin: 1rem 0; }
section { margin: 1.5rem 0; }
h2 { font-size: 1.15rem; margin-bottom: 0.2rem; }
.caption { color: #444; font-size: 0.9rem; margin-top: 0; }
.chart { width: 100%; height: 420px; }
@media print { .chart { height: 360px; page-break-inside: avoid; } section { page-break-inside: avoid; } }
</style>
${inlineScript(o.plotlyBundle)}
</head>
<body>
<h1>${escapeHtml(o.title)}</h1>
${o.subtitle.map((l) => `<p class="meta">${escapeHtml(l)}</p>`).join('\n')}
<div class="summary">${o.summary.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}</div>
${sections}
${drawFigures(o.figures.map((f) => ({ id: f.id, data: f.data, layout: f.layout })))}
</body>
</html>
`;
}
