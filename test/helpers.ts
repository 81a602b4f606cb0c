/** Shared test helpers: load shipped scenarios once, make variants, read values at a year. */
import { loadScenario } from '../src/scenario/load.js';
import type { LoadedScenario } from '../src/scenario/loaded.js';
import type { Scenario } from '../src/scenario/schema.js';
import { series, simulate, type RunResult } from '../src/engine/simulate.js';

const cache = new Map<string, Promise<LoadedScenario>>();
export function load(file: string): Promise<LoadedScenario> {
  if (!cache.has(file)) cache.set(file, loadScenario(file));
  return cache.get(file)!;
}

/** A copy of a loaded scenario with some settings changed. */
export function variant(base: LoadedScenario, change: (s: Scenario) => void): LoadedScenario {
  const scenario = structuredClone(base.scenario);
  change(scenario);
  return { ...base, scenario };
}

export function run(loaded: LoadedScenario, seed = 7): RunResult {
  return simulate(loaded, seed);
}

/** Value of a variable at the first recorded time >= year. */
export function at(result: RunResult, entity: string, variable: string, year: number): number {
  const s = series(result, entity, variable);
  if (!s) throw new Error(`no variable ${entity} ${variable}`);
  const k = result.times.findIndex((t) => t >= year - 1e-9);
  return s[k < 0 ? s.length - 1 : k];
}

/** Mean of a variable over [from, to). */
export function mean(result: RunResult, entity: string, variable: string, from: number, to: number): number {
  const s = series(result, entity, variable)!;
  let sum = 0, count = 0;
  result.times.forEach((t, k) => {
    if (t >= from - 1e-9 && t < to - 1e-9) {
      sum += s[k];
      count++;
    }
  });
  return sum / count;
}
