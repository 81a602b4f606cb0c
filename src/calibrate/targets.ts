/**
 * Calibration inputs, checked: free parameters that exist and have sensible bounds, and observed series read
 * from the data files the scenario names. Every problem is an input error located in the scenario.
 */
import { InputError, formatValue } from '../scenario/errors.js';
import { decimalNumber } from '../scenario/csv.js';
import { readDataCsv } from '../scenario/load.js';
import type { LoadedScenario } from '../scenario/loaded.js';
import { locate } from '../scenario/merge.js';
import type { CalibrationSpec } from '../scenario/schema.js';
import { reporterTable } from '../engine/record.js';
import { buildWorld } from '../engine/world.js';
import { getAtPath, pathProblem, withValuesAt } from '../scenario/paths.js';
import { scenarioProblem } from '../scenario/validate.js';

export interface FreeParameter {
  path: string;
  min: number;
  max: number;
  /** The scenario's own value, where the search starts. */
  start: number;
}

export interface Target {
  name: string;
  entity: string;
  variable: string;
  weight: number;
  /** Observation years and values, in the model's unit. */
  years: number[];
  observed: number[];
  file: string;
}

export interface CalibrationInputs {
  spec: CalibrationSpec;
  parameters: FreeParameter[];
  targets: Target[];
  /** Series compared with the fit but not fitted. */
  checks: Target[];
}

/** The observations of a list of targets (or checks), all years together. */
export function observationCount(targets: readonly Target[]): number {
  return targets.reduce((n, t) => n + t.years.length, 0);
}

export function calibrationInputs(loaded: LoadedScenario): CalibrationInputs {
  const sc = loaded.scenario;
  const origins = loaded.origins!;
  const fail = (path: PropertyKey[], detail: string): never => {
    const at = locate(origins, path);
    throw new InputError(at.file, at.path, detail);
  };
  const spec = sc.calibration ?? fail(['calibration'], 'missing; expected "calibration": { "parameters": [...], "targets": [...] } to say what to fit');

  const parameters = spec.parameters.map((p, k) => {
    const problem = pathProblem(sc, p.path, origins, 'expected the dotted path of a number, e.g. "parameters.trade.gdpElasticity"');
    if (problem) fail(['calibration', 'parameters', k, 'path'], `${formatValue(p.path)} ${problem}`);
    // a path fitted twice is two dimensions of the search writing one number, the second's value overwriting the
    // first's: the first a dead dimension, and calibration.json listing two fitted values of one parameter
    const first = spec.parameters.findIndex((q) => q.path === p.path);
    if (first < k) fail(['calibration', 'parameters', k, 'path'], `${formatValue(p.path)} is listed twice (also at [${first}]); expected each parameter once`);
    const value = getAtPath(sc, p.path) as number;
    if (!(p.min < p.max)) fail(['calibration', 'parameters', k, 'max'], `${p.max} is not above min (${p.min}); expected bounds with min < max`);
    // the search tries the bounds themselves and values between: each gets the checks the scenario's own value does.
    // A benefit-sharing fitted in [0, 2], or a shock's onset up to the scenario's end, ran unchecked, the fit
    // reporting a value the scenario file would refuse
    for (const [bound, v] of [['min', p.min], ['max', p.max], ['path', p.min + (p.max - p.min) / Math.PI]] as const) {
      const problem = scenarioProblem(withValuesAt(sc, { [p.path]: v }));
      if (!problem) continue;
      const own = problem.path.replace(/\[(\d+)\]/g, '.$1') === p.path;
      fail(['calibration', 'parameters', k, bound], `${own ? '' : `with ${p.path} ${formatValue(v)}, ${problem.path}: `}${problem.detail}`);
    }
    const start = Math.min(p.max, Math.max(p.min, value));
    return { path: p.path, min: p.min, max: p.max, start };
  });

  const table = reporterTable(buildWorld(loaded)).reporters;
  // rows each target or check reads ("file:line"), and rows that a `where` missed only by case
  const read = new Set<string>();
  // each series' model variable and observations, to refuse one listed twice
  const seen = new Map<string, string>();
  const nearMisses: Array<{ key: string; error: InputError }> = [];
  const series = (list: CalibrationSpec['targets'], key: 'targets' | 'checks') => list.map((t, k) => {
    const at = (...rest: PropertyKey[]) => ['calibration', key, k, ...rest];
    if (!table.some((r) => r.entity === t.entity && r.variable === t.variable))
      fail(at('variable'), `${formatValue(`${t.entity} ${t.variable}`)} is not recorded by the model; expected an entity and a variable of timeseries.csv`);
    const { table: csv, shown } = readDataCsv(origins, at('file'), t.file);
    for (const column of [t.yearColumn, t.valueColumn, ...Object.keys(t.where)])
      if (!csv.header.includes(column)) throw new InputError(shown, 'line 1', `no column ${JSON.stringify(column)}; expected it for target ${JSON.stringify(t.name)} (columns: ${csv.header.join(', ')})`);
    const years: number[] = [];
    const observed: number[] = [];
    const lineOf = new Map<number, number>(); // each year's row, to refuse a second
    const where = Object.entries(t.where);
    for (const { line, values } of csv.rows) {
      if (!where.every(([c, v]) => values[c] === v)) {
        if (where.every(([c, v]) => loose(values[c]) === loose(v))) {
          const [c, v] = where.find(([c2, v2]) => values[c2] !== v2)!;
          nearMisses.push({ key: `${shown}:${line}`, error: new InputError(shown, `line ${line}`, `${c} ${formatValue(values[c])} differs from ${formatValue(v)}, which ${key === 'targets' ? 'target' : 'check'} ${JSON.stringify(t.name)} reads, only in case; expected ${formatValue(v)} exactly, or a value of its own`) });
        }
        continue;
      }
      read.add(`${shown}:${line}`);
      const year = decimalNumber(values[t.yearColumn]);
      const value = decimalNumber(values[t.valueColumn]);
      if (!Number.isInteger(year) || !Number.isFinite(value))
        throw new InputError(shown, `line ${line}`, `${t.yearColumn} ${formatValue(values[t.yearColumn])}, ${t.valueColumn} ${formatValue(values[t.valueColumn])}; expected a year and a number`);
      if (year < sc.start || year + 1 > sc.end + 1e-9)
        fail(at('file'), `${shown} line ${line}: year ${year} is outside the scenario (${sc.start}-${sc.end}); expected calendar years the run covers`);
      // a second observation of a year (another source's, a revised value left beside the old) weighed that year twice
      const first = lineOf.get(year);
      if (first !== undefined)
        throw new InputError(shown, `line ${line}`, `year ${year} again for target ${JSON.stringify(t.name)} (line ${first} has it too); expected one observation a year (tell the rows apart with "where")`);
      lineOf.set(year, line);
      years.push(year);
      observed.push(value * t.scale);
    }
    if (years.length === 0) fail(at('where'), `no rows of ${shown} match ${formatValue(t.where)}; expected at least one observation`);
    // the same rows fitted twice to one model series (a target copied, its "where" written in another order) weighed
    // that series double without a word: what "weight" is for
    const same = `${key} ${t.entity} ${t.variable} ${shown} ${t.valueColumn} ${[...lineOf.values()].join(',')}`;
    const twin = seen.get(same);
    if (twin !== undefined) fail(at('name'), `${JSON.stringify(t.name)} reads the rows of ${shown} that ${twin} reads, into ${t.entity} ${t.variable}; expected each series once (a "weight" to count it more)`);
    seen.set(same, `${key === 'targets' ? 'target' : 'check'} ${JSON.stringify(t.name)} ([${k}])`);
    return { name: t.name, entity: t.entity, variable: t.variable, weight: t.weight, years, observed, file: shown };
  });
  const targets = series(spec.targets, 'targets');
  const checks = series(spec.checks, 'checks');
  // a row of `Region` or `kaz` that no target or check reads was left out of the fit without a word, as a row of another
  // series is: a slip, not a series of its own (the CSV reader trims the spaces around a field)
  const missed = nearMisses.find((m) => !read.has(m.key));
  if (missed) throw missed.error;
  // the optimiser (ml-levenberg-marquardt) takes more than two data points, and threw an internal error on fewer
  const observations = observationCount(targets);
  if (observations < 3)
    fail(['calibration', 'targets'], `${observations} observation${observations === 1 ? '' : 's'} in all; expected at least 3 to fit to (years of the targets' files that match their "where")`);
  return { spec, parameters, targets, checks };
}

/** A data file's cell in any case. */
function loose(value: string | undefined): string | undefined {
  return value?.toLowerCase();
}
