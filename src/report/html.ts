/** Pieces every self-contained page uses: escaping, JSON safe inside a script element, the inlined plotly bundle. */

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON that cannot close the script element it sits in. */
export const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c');

/** The plotly bundle as an inline script element (no network needed to open the page). */
export const inlineScript = (code: string): string => `<script>${code.replace(/<\/script/gi, '<\\/script')}</script>`;

/** Draws each figure into the element `fig-<id>`. */
export const drawFigures = (figures: Array<{ id: string; data: unknown; layout: unknown }>): string =>
  `<script>\nfor (const f of ${scriptJson(figures)}) Plotly.newPlot('fig-' + f.id, f.data, f.layout, { responsive: true, displaylogo: false });\n</script>`;
