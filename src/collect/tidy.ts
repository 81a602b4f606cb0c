/**
 * A run as tidy data (Wickham 2014): one row per step, entity and variable, in long format, so pandas
 * (`pd.read_csv`) and R (`read.csv`) read it as it is and a pivot gives any wide table.
 */
import type { RunResult } from '../engine/simulate.js';
import { csvField, formatNumber, formatTime } from './format.js';

export const TIMESERIES_HEADER = 'step,time,entity,variable,value';

/** `timeseries.csv`: rows ordered by step, then by the reporter table's order. */
export function timeseriesCsv(run: RunResult): string {
  const width = run.reporters.length;
  const keys = run.reporters.map((r) => `${csvField(r.entity)},${csvField(r.variable)}`);
  const lines: string[] = [TIMESERIES_HEADER];
  for (let k = 0; k < run.times.length; k++) {
    const prefix = `${k},${formatTime(run.times[k])},`;
    for (let r = 0; r < width; r++) lines.push(`${prefix}${keys[r]},${formatNumber(run.values[k * width + r])}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `events.csv`: shocks that struck and agreements made, in the order they happened. */
export function eventsCsv(run: RunResult): string {
  const lines = ['time,kind,type,label,targets,magnitude,detail'];
  for (const e of run.events)
    lines.push([formatTime(e.time), e.kind, e.type, csvField(e.label), csvField(e.targets), formatNumber(e.magnitude), csvField(e.detail)].join(','));
  return `${lines.join('\n')}\n`;
}
