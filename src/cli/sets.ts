/** `--set PATH=VALUE`, of `run` and `ensemble`: numbers of a scenario changed from the command line. */
import { decimalNumber } from '../scenario/csv.js';
import { InputError } from '../scenario/errors.js';
import { scenarioHash } from '../scenario/load.js';
import type { LoadedScenario } from '../scenario/loaded.js';
import { pathProblem, withValuesAt } from '../scenario/paths.js';
import { scenarioProblem } from '../scenario/validate.js';

/**
 * The scenario with `--set PATH=VALUE` applied, checked as a design point's values are: each path the path of a number
 * of the scenario, each value a number the scenario's rules allow. Its hash is the changed scenario's, so an ensemble's
 * experiment hash tells it from the unchanged one's. With a sweep's seed and values from runs.csv, `run --set` is that
 * run of the sweep, with everything a single run writes.
 */
export function withSets(loaded: LoadedScenario, sets: string[]): LoadedScenario {
  const values: Record<string, number> = {};
  for (const set of sets) {
    const fail = (detail: string): never => {
      throw new InputError('--set', '', `${JSON.stringify(set)} ${detail}`);
    };
    const eq = set.indexOf('=');
    const path = set.slice(0, eq).trim(), value = decimalNumber(set.slice(eq + 1));
    // any number of the scenario, its own end or steps a year too: unlike a sweep's points, one run has no records to fit
    if (eq < 0 || !/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(path)) fail('is not PATH=VALUE; expected a path and a number, such as policies.benefitSharing=0.5');
    if (!Number.isFinite(value)) fail('sets no number; expected PATH=VALUE with VALUE a number');
    const problem = pathProblem(loaded.scenario, path, loaded.origins, 'expected the dotted path of a number');
    if (problem) fail(problem);
    // the later one won without a word, while the manifest listed both
    if (path in values) fail(`sets ${path} again (to ${values[path]} before); expected each path once`);
    values[path] = value;
  }
  const scenario = withValuesAt(loaded.scenario, values);
  const problem = scenarioProblem(scenario);
  if (problem) throw new InputError('--set', problem.path, problem.detail);
  return { ...loaded, scenario, sha256: scenarioHash(scenario), set: values };
}
