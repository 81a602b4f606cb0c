/** A run's outcomes in plain words, for the terminal and the page. */
import type { RunSummary } from '../collect/summary.js';
import { quarter } from './whatif/analysis.js';

const bn = (usd: number) => `USD ${(usd / 1e9).toFixed(1)} bn`;

export function describeRun(s: RunSummary): string[] {
  // as the what-if report says it: a decimal year of weekly steps read "2045.365385"
  const reached = quarter(s.stageFirstReached[String(s.finalStage)]);
  const sectors = Object.entries(s.cooperation)
    .map(([k, v]) => `${k} ${v.start.toFixed(2)} to ${v.end.toFixed(2)}`)
    .join(', ');
  return [
    `The region ends ${s.end} at stage ${s.finalStage}, ${s.finalStageName}, first reached in ${reached}.`,
    `Intra-regional trade goes from ${bn(s.tradeUsd.start)} to ${bn(s.tradeUsd.end)} a year (${s.tradeUsd.change >= 0 ? '+' : ''}${(100 * s.tradeUsd.change).toFixed(0)}%).`,
    `Mean cooperation: ${sectors}. Integration index ${s.integrationIndex.start.toFixed(2)} to ${s.integrationIndex.end.toFixed(2)}; ${s.agreementsMade} agreements deepened at summits; ${s.shocksStruck} shocks struck.`,
  ];
}
