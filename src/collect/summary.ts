/** Key outcomes of a run, for `summary.json` and the terminal. */
import { series, type RunResult } from '../engine/simulate.js';
import { firstYearAtStage } from './stage-years.js';

export const STAGE_NAMES = [
  'no integration', 'preferential trade area', 'free trade area', 'customs union', 'common market', 'economic union', 'complete integration',
] as const;

export interface RunSummary {
  scenario: string;
  seed: number;
  start: number;
  end: number;
  finalStage: number;
  finalStageName: string;
  /** Decimal year each stage was first reached (stages never reached are absent). */
  stageFirstReached: Record<string, number>;
  tradeUsd: { start: number; end: number; change: number };
  integrationIndex: { start: number; end: number };
  negativeIntegration: { start: number; end: number };
  positiveIntegration: { start: number; end: number };
  institutions: { start: number; end: number };
  cooperation: Record<string, { start: number; end: number }>;
  agreement: Record<string, { start: number; end: number }>;
  agreementsMade: number;
  shocksStruck: number;
}

const round = (v: number, digits = 6) => Number(v.toFixed(digits));

export function summarise(run: RunResult): RunSummary {
  const get = (entity: string, variable: string) => series(run, entity, variable)!;
  const ends = (entity: string, variable: string) => {
    const s = get(entity, variable);
    return { start: round(s[0]), end: round(s[s.length - 1]) };
  };
  const stage = get('region', 'balassa_stage');
  const firstReached: Record<string, number> = {};
  for (let st = 0; st <= 6; st++) {
    const year = firstYearAtStage(stage, 0, 1, run.times, st);
    if (!Number.isNaN(year)) firstReached[String(st)] = round(year);
  }
  const trade = get('region', 'trade_usd');
  const w = run.world;
  const last = stage[stage.length - 1];
  return {
    scenario: w.scenario.name,
    seed: run.seed,
    start: w.start,
    end: w.end,
    finalStage: last,
    finalStageName: STAGE_NAMES[last],
    stageFirstReached: firstReached,
    tradeUsd: { start: Math.round(trade[0]), end: Math.round(trade[trade.length - 1]), change: round(trade[trade.length - 1] / trade[0] - 1, 4) },
    integrationIndex: ends('region', 'integration_index'),
    negativeIntegration: ends('region', 'negative_integration'),
    positiveIntegration: ends('region', 'positive_integration'),
    institutions: ends('region', 'institutions'),
    cooperation: Object.fromEntries(w.sectors.map((s) => [s, ends('region', `cooperation.${s}`)])),
    agreement: Object.fromEntries(w.sectors.map((s) => [s, ends('region', `agreement.${s}`)])),
    agreementsMade: run.events.filter((e) => e.kind === 'summit').length,
    shocksStruck: run.events.filter((e) => e.kind === 'shock').length,
  };
}
