/** A what-if report as a self-contained HTML page (plotly inlined, no fonts or network) and as Markdown. */
import type { Report, ReportSection } from './build.js';

import { drawFigures, escapeHtml as esc, inlineScript } from '../html.js';
const cell = (v: string | number) => (typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'NA') : v);

function tableHtml(t: ReportSection['table']): string {
  return `<table><thead><tr>${t.header.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${t.rows
    .map((r) => `<tr>${r.map((v) => `<td>${esc(cell(v))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function reportHtml(r: Report, plotlyBundle: string): string {
  const figures = r.sections.filter((s) => s.figure).map((s) => ({ id: s.id, data: s.figure!.data, layout: s.figure!.layout }));
  const sections = r.sections
    .map((s) => `<section id="${s.id}">
<h2>${esc(s.title)}</h2>
<p class="caption">${esc(s.caption)}</p>
${s.figure ? `<div class="chart" id="fig-${s.id}" role="img" aria-label="${esc(s.title)}: ${esc(s.caption)}"></div>` : ''}
<details><summary>Table (data: <a href="data/${s.csv}">${s.csv}</a>)</summary>${tableHtml(s.table)}</details>
</section>`)
    .join('\n');
  const settings = r.settings.length
    ? `<table><thead><tr><th scope="col">setting</th>${r.scenarios.map((name) => `<th scope="col">${esc(name)}</th>`).join('')}</tr></thead><tbody>${r.settings
        .map((s) => `<tr><td><code>${esc(s.path)}</code></td>${s.values.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`
    : `<p>${esc(sameSettings(r))}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(r.title)}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1rem 2rem 3rem; color: #1d1d1d; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.3rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
.findings { background: #f3f7fb; border-left: 5px solid #0072B2; padding: 0.4rem 1.2rem; }
.findings li { margin: 0.4rem 0; }
.caption { color: #444; font-size: 0.92rem; margin: 0.2rem 0 0.4rem; }
.chart { width: 100%; height: 430px; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
details { margin: 0.3rem 0 1rem; }
summary { cursor: pointer; color: #0060a0; }
code { font-size: 0.85rem; }
.provenance td:first-child { font-weight: 600; white-space: nowrap; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .chart { height: 330px; break-inside: avoid; }
  section { break-inside: avoid; }
  details { display: block; }
  details > summary { display: none; }
  details > table { display: table; }
  a { color: inherit; text-decoration: none; }
}
</style>
${inlineScript(plotlyBundle)}
</head>
<body>
<h1>${esc(r.title)}</h1>
<section id="findings">
<h2>Findings</h2>
<ul class="findings">${r.summary.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
</section>
<section id="settings">
<h2>What differs between the scenarios</h2>
<p class="caption">Settings of the resolved scenario files that are not the same in all of them.</p>
${settings}
</section>
${sections}
<section id="provenance">
<h2>Method and provenance</h2>
<table class="provenance"><tbody>${r.provenance.map(([k, v]) => `<tr><td>${esc(k)}</td><td>${k === 'model' ? `<a href="${esc(v.replace(/^.*: /, ''))}">${esc(v)}</a>` : esc(v)}</td></tr>`).join('')}</tbody></table>
</section>
${drawFigures(figures)}
</body>
</html>
`;
}

/** What the settings section says when no setting differs: one scenario, or several that differ in their names alone. */
function sameSettings(r: Report): string {
  // two scenarios of the same settings were told "Only one scenario: nothing to compare"
  return r.scenarios.length > 1 ? 'No setting differs: the scenarios differ in their names and descriptions alone.' : 'Only one scenario: nothing to compare.';
}

function tableMd(header: string[], rows: Array<Array<string | number>>): string {
  const line = (r: Array<string | number>) => `| ${r.map((v) => String(cell(v)).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

export function reportMarkdown(r: Report): string {
  const parts = [`# ${r.title}`, '', '## Findings', '', ...r.summary.map((s) => `- ${s}`), '', '## What differs between the scenarios', ''];
  parts.push(r.settings.length ? tableMd(['setting', ...r.scenarios], r.settings.map((s) => [`\`${s.path}\``, ...s.values])) : sameSettings(r));
  for (const s of r.sections) {
    parts.push('', `## ${s.title}`, '', `${s.caption} Data: \`data/${s.csv}\`.`);
    if (['stages', 'gains', 'attribution', 'trust'].includes(s.id)) parts.push('', tableMd(s.table.header, s.table.rows));
  }
  parts.push('', '## Method and provenance', '', tableMd(['', ''], r.provenance), '');
  return parts.join('\n');
}
