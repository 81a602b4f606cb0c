/** The text of the plotly bundle from the installed `plotly.js-dist-min`, read once, for inlining in pages. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let bundle: string | undefined;
export function plotlyBundle(): string {
  bundle ??= readFileSync(createRequire(import.meta.url).resolve('plotly.js-dist-min'), 'utf8');
  return bundle;
}
