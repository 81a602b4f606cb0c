/**
 * Loading an experiment: the file, its scenario, its design points and the cells it keeps, all checked, and
 * a hash of the whole for the manifest. File I/O lives here and in the runner, never in the engine.
 */
import { createHash } from 'node:crypto';
import { MODEL_VERSION } from '../engine/version.js';
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { canonicalJson } from '../scenario/canonical.js';
import { didYouMean, formatValue, InputError, type DocPath } from '../scenario/errors.js';
import { fileHost, linkHint, loadScenario } from '../scenario/load.js';
import type { LoadedScenario } from '../scenario/loaded.js';
import { parseJson } from '../scenario/resolve.js';
import { parseWith, scenarioProblem } from '../scenario/validate.js';
import { reporterTable } from '../engine/record.js';
import { buildWorld } from '../engine/world.js';
import { pathProblem, withValuesAt } from '../scenario/paths.js';
import { readDesignFile } from './design-file.js';
import { aroundPoints, gridPoints, lhsHighest, lhsPoints, repeatedPoint, sortedParameters, type DesignPoints } from './design.js';
import { DEFAULT_KEEP, ExperimentSchema, type Experiment } from './schema.js';
import { rangeCount, rangeValues } from './grid-range.js';
import { keepMatches } from './keep.js';

export interface ResolvedExperiment {
  experiment: Experiment;
  /** Where the experiment came from, as shown in messages. */
  source: string;
  scenarioFile: string;
  loaded: LoadedScenario;
  points: DesignPoints;
  /** Parameter paths of the design, in column order (the points' `parameters`). */
  parameters: string[];
  /** Indices into the world's reporter table of the cells aggregated. */
  cells: number[];
  keep: string[];
  runs: number;
  /** SHA-256 of the resolved experiment: model version, scenario hash, design points, replicates, seed, kept cells. */
  hash: string;
}

/**
 * The experiment's hash: SHA-256 of the canonical JSON of `fields` with `points` added, fed to the hash a point at a
 * time, the same bytes as `canonicalJson({ ...fields, points })` (which the hashes of earlier versions were taken over,
 * so that a store they made still resumes). Whole, that text and its pieces took 850 MB and 5 s for a design of a
 * million points. Every point has the keys `parameters` (or none), so the keys are sorted and quoted once.
 */
function experimentHash(fields: Record<string, unknown>, points: DesignPoints): string {
  const hash = createHash('sha256');
  const [before, after] = aroundPoints(canonicalJson({ ...fields, points: [] }));
  hash.update(before);
  const { parameters, values } = points;
  const keys = sortedParameters(parameters).map((j) => [`${JSON.stringify(parameters[j])}:`, j] as const);
  // fed some 64 KB at a time: an update a point was a fifth of loading a million points
  let chunk = '';
  for (let k = 0; k < points.count; k++) {
    chunk += k > 0 ? ',{' : '{';
    keys.forEach(([quoted, j], i) => {
      chunk += `${i > 0 ? ',' : ''}${quoted}${JSON.stringify(values[k * parameters.length + j])}`;
    });
    chunk += '}';
    if (chunk.length > 1 << 16) {
      hash.update(chunk);
      chunk = '';
    }
  }
  hash.update(chunk + after);
  return hash.digest('hex');
}

/**
 * The values of a design's parameter to check against the scenario's rules (see `resolveExperiment`); `grid`, a grid's.
 * A value with `reached` is a bound the design never gives: it passes when the value the design comes closest with does.
 */
function probes(design: Experiment['design'], points: DesignPoints, path: string, grid: Record<string, number[]>): Array<{ value: number; reached?: number }> {
  if (design.type === 'grid') return [...new Set(grid[path])].map((value) => ({ value }));
  if (design.type === 'lhs') {
    const [low, high] = design.parameters[path];
    if (high === low) return [{ value: low }];
    // the high bound, and between the bounds at an irrational share of the range: not a whole number
    return [{ value: low }, { value: high, reached: lhsHighest(low, high, design.samples) }, { value: low + (high - low) / Math.PI }];
  }
  // a loop, not Math.min(...values): spread, a design file of 130,000 rows or more overflowed the stack
  let low = Infinity, high = -Infinity, fraction: number | undefined;
  const j = points.parameters.indexOf(path), width = points.parameters.length;
  for (let k = 0; k < points.count; k++) {
    const v = points.values[k * width + j];
    if (v < low) low = v;
    if (v > high) high = v;
    if (fraction === undefined && !Number.isInteger(v)) fraction = v;
  }
  return [...new Set([low, high, ...(fraction === undefined ? [] : [fraction])])].map((value) => ({ value }));
}

/**
 * The most runs one experiment holds, as `replicates` and `ensemble --runs` allow: the runner keeps a list of the runs
 * still to do (some 5 bytes a run, and a batch object for every 64), so a hundred million runs would take the process
 * past its memory budget.
 */
export const MAX_RUNS = 10_000_000;

/** Why a design may not repeat a point (see `repeatedPoint`). */
const REPEATS = "a point's runs are seeded from its values, so a repeated point repeats the same runs (for more runs of a point, raise replicates)";

/** The scenario of an experiment as its command has it (`resolveExperiment`). */
export interface GivenScenario {
  /** The scenario the experiment runs, already loaded from the file it names (an ensemble's command loads it first). */
  loaded?: LoadedScenario;
  /** A change to the scenario loaded, before anything is checked against it (`--set`). */
  adjust?: (loaded: LoadedScenario) => LoadedScenario;
}

/**
 * Checks an experiment object and resolves everything it names. `source` is the file errors name. The scenario is
 * loaded from the file the experiment names unless `given` has it loaded, then changed as `given` says.
 */
export async function resolveExperiment(doc: unknown, source: string, baseDir: string, given: GivenScenario = {}): Promise<ResolvedExperiment> {
  const fail = (path: DocPath, detail: string): never => {
    throw new InputError(source, path, detail);
  };
  // a scenario given where an experiment goes said "scenario: missing"
  if (doc !== null && typeof doc === 'object' && !('scenario' in doc) && ('states' in doc || 'extends' in doc))
    throw new InputError(source, '', 'is a scenario file, not an experiment; expected an experiment file (for many runs of one scenario: spillover ensemble SCENARIO --runs N)');
  const experiment = parseWith(ExperimentSchema, doc, fail);
  const scenarioFile = isAbsolute(experiment.scenario) ? experiment.scenario : resolve(baseDir, experiment.scenario);
  let loaded = given.loaded;
  if (!loaded) {
    if (!existsSync(scenarioFile)) fail(['scenario'], `cannot read ${JSON.stringify(fileHost.display(scenarioFile))}: no such file${linkHint(source, scenarioFile)}`);
    // said only "scenarios: a folder, not a file", without the experiment file that named it
    if (statSync(scenarioFile).isDirectory()) fail(['scenario'], `${JSON.stringify(fileHost.display(scenarioFile))} is a folder; expected a scenario file`);
    loaded = await loadScenario(scenarioFile);
  }
  if (given.adjust) loaded = given.adjust(loaded);

  const design = experiment.design;
  // the number of runs is checked before the points are made: a grid of eight parameters of ten values is 10^8 points,
  // which took the process minutes and gigabytes before failing
  const tooMany = (where: DocPath, points: number) => {
    if (points * experiment.replicates > MAX_RUNS)
      fail(where, `${points.toLocaleString('en')} design points of ${experiment.replicates.toLocaleString('en')} runs are ${(points * experiment.replicates).toLocaleString('en')} runs; expected at most ${MAX_RUNS.toLocaleString('en')} in one experiment (split the design into several)`);
  };
  // a grid's values, its ranges made lists: each range checked, and the grid's size, before any list is made
  const grid: Record<string, number[]> = {};
  if (design.type === 'grid') {
    const sizes = Object.entries(design.parameters).map(([path, values]) => {
      if (Array.isArray(values)) return values.length;
      const { from, to, by } = values;
      if (!(by > 0)) fail(['design', 'parameters', path, 'by'], `${formatValue(by)} is not a step; expected a number above 0`);
      if (!(to >= from)) fail(['design', 'parameters', path, 'to'], `${formatValue(to)} is below from (${formatValue(from)}); expected a number >= ${formatValue(from)}`);
      const count = rangeCount(values);
      if (!Number.isFinite(count)) fail(['design', 'parameters', path], `${formatValue(values)} has no end; expected finite bounds`);
      return count;
    });
    tooMany(['design', 'parameters'], sizes.reduce((n, size) => n * size, 1));
    for (const [path, values] of Object.entries(design.parameters)) {
      if (Array.isArray(values)) {
        grid[path] = values;
        continue;
      }
      grid[path] = rangeValues(values);
      // a step finer than a double can tell apart near `from` gives a value twice
      const k = grid[path].findIndex((v, j) => j > 0 && v <= grid[path][j - 1]);
      if (k > 0) fail(['design', 'parameters', path, 'by'], `${formatValue(values.by)} is too fine a step near ${formatValue(grid[path][k])}: it gives that value twice; expected a coarser step`);
    }
    for (const [path, values] of Object.entries(grid)) {
      const seen = new Map<number, number>(); // 0 and -0 are one key, as in a point's
      values.forEach((v, k) => {
        const first = seen.get(v);
        if (first !== undefined) fail(['design', 'parameters', path, k], `${formatValue(v)} is listed twice (also at [${first}]); expected distinct values: ${REPEATS}`);
        seen.set(v, k);
      });
    }
  }
  if (design.type === 'lhs') {
    // a hypercube of no dimension has one point, which every sample past the first repeated ("samples 1 and 2 are the
    // same point", a puzzle when the bounds are not too narrow but missing)
    if (Object.keys(design.parameters).length === 0)
      fail(['design', 'parameters'], '{} names no parameter; expected [low, high] bounds for one parameter path or more (for runs of the scenario as it is, the design type "replicates")');
    tooMany(['design', 'samples'], design.samples);
    for (const [path, [low, high]] of Object.entries(design.parameters))
      if (!(low <= high)) fail(['design', 'parameters', path], `${formatValue([low, high])} has its low bound above its high; expected [low, high]`);
  }
  let points: DesignPoints;
  let csvShown = ''; // the design file, as messages show it
  let csvLines: Int32Array = new Int32Array(0); // the line of each of its points
  if (design.type === 'grid') {
    points = gridPoints(grid);
  } else if (design.type === 'lhs') {
    points = lhsPoints(design.parameters, design.samples, experiment.seed);
  } else if (design.type === 'csv') {
    const file = isAbsolute(design.file) ? design.file : resolve(baseDir, design.file);
    if (!existsSync(file)) fail(['design', 'file'], `cannot read ${JSON.stringify(fileHost.display(file))}: no such file${linkHint(source, file)}`);
    if (statSync(file).isDirectory()) fail(['design', 'file'], `${JSON.stringify(fileHost.display(file))} is a folder; expected a CSV file of design points`);
    const shown = (csvShown = fileHost.display(file));
    const read = readDesignFile(file, shown, {
      most: Math.floor(MAX_RUNS / experiment.replicates),
      checkCount: (count) => {
        if (count === 0) fail(['design', 'file'], `${shown} has no rows; expected one design point per row`);
        tooMany(['design', 'file'], count);
      },
    });
    points = read.points;
    csvLines = read.lines;
  } else {
    points = { parameters: [], count: 1, values: new Float64Array(0) };
  }
  const repeat = design.type === 'grid' ? undefined : repeatedPoint(points);
  if (repeat && design.type === 'csv') throw new InputError(csvShown, `line ${csvLines[repeat[1]]}`, `repeats the design point of line ${csvLines[repeat[0]]}; expected each point once: ${REPEATS}`);
  if (repeat) fail(['design', 'parameters'], `samples ${repeat[0] + 1} and ${repeat[1] + 1} are the same point (their bounds too narrow to tell the strata apart); expected distinct points: ${REPEATS}`);
  const parameters = points.parameters;
  parameters.forEach((path) => {
    const problem = pathProblem(loaded.scenario, path, loaded.origins, `expected the dotted path of a number in ${fileHost.display(scenarioFile)}`);
    if (!problem) return;
    // a design file's column is named where it is, in the file's header, as its other columns' problems are
    if (design.type === 'csv') throw new InputError(csvShown, 'line 1', `column ${formatValue(path)} ${problem}`);
    fail(['design', 'parameters', path], `${formatValue(path)} ${problem}`);
  });

  // the values a design puts in pass the checks the scenario's own would (ranges, whole numbers, shock windows): they
  // ran unchecked, a benefit-sharing of 5 or a negative population without a word. Each value a grid lists, a
  // hypercube's bounds and a fraction between them, a design file's extremes and its first fraction
  parameters.forEach((path) => {
    for (const { value, reached } of probes(design, points, path, grid)) {
      const problem = scenarioProblem(withValuesAt(loaded.scenario, { [path]: value }));
      if (!problem) continue;
      // a hypercube's high bound, where a rule excludes just the bound (a shock at the scenario's end)
      if (reached !== undefined && !scenarioProblem(withValuesAt(loaded.scenario, { [path]: reached }))) continue;
      // the problem's path in the error's form (shocks[0].at), the parameter's in the design's (shocks.0.at)
      const detail = problem.path.replace(/\[(\d+)\]/g, '.$1') === path ? problem.detail : `with ${path} ${formatValue(value)}, ${problem.path}: ${problem.detail}`;
      if (design.type === 'csv') {
        // the first row that holds the value (a design file's extremes are what is checked)
        const j = parameters.indexOf(path);
        let k = 0;
        while (k < points.count && points.values[k * parameters.length + j] !== value) k++;
        throw new InputError(csvShown, `${k < points.count ? `line ${csvLines[k]}, ` : ''}column ${formatValue(path)}`, detail);
      }
      fail(['design', 'parameters', path], detail);
    }
  });

  const table = reporterTable(buildWorld(loaded)).reporters;
  const keep = experiment.keep ?? DEFAULT_KEEP;
  const variables = [...new Set(table.map((r) => r.variable))];
  keep.forEach((pattern, k) => {
    if (!variables.some((v) => keepMatches(pattern, v))) {
      const hint = didYouMean(pattern, variables);
      fail(['keep', k], `${formatValue(pattern)} is not a variable the model records; ${hint ? `did you mean ${JSON.stringify(hint)}?` : 'expected a variable of timeseries.csv (or "prefix.*")'}`);
    }
  });
  const cells = table.flatMap((r, index) => (keep.some((p) => keepMatches(p, r.variable)) ? [index] : []));
  const runs = points.count * experiment.replicates;
  // the model version too: a store resumed by another version of the model would mix two models' runs
  // paired seeds enter the hash only when asked for, so that every other experiment keeps the hash it had; a design of
  // replicates alone has one point, whose seeds they would not change, so there they are dropped (its runs stay
  // reusable by the same experiment without them)
  if (design.type === 'replicates') delete experiment.pairedSeeds;
  const paired = experiment.pairedSeeds ? { pairedSeeds: true } : {};
  const hash = experimentHash({ model: MODEL_VERSION, scenario: loaded.sha256, replicates: experiment.replicates, seed: experiment.seed, ...paired, keep, design: design.type }, points);
  return { experiment, source, scenarioFile, loaded, points, parameters, cells, keep, runs, hash };
}

/** Loads an experiment file; `adjust` changes its scenario once loaded (`sweep --set`). */
export async function loadExperiment(file: string, adjust?: (loaded: LoadedScenario) => LoadedScenario): Promise<ResolvedExperiment> {
  const path = resolve(file);
  const shown = fileHost.display(path);
  const text = fileHost.read(path);
  if (text === undefined) throw new InputError(shown, '', fileHost.missing(path));
  return resolveExperiment(parseJson(text, shown), shown, dirname(path), { adjust });
}

/**
 * The experiment behind `spillover ensemble`: one scenario, many replicates, seeded from the scenario by default.
 * `adjust` changes the scenario loaded (`--set`); the runs keep their seeds, which come from the base seed and the
 * replicate alone, so an ensemble of a changed scenario is paired run by run with the unchanged one's.
 */
export async function ensembleExperiment(scenario: string, runs: number, seed: number | undefined, keep: string[] | undefined, adjust?: (loaded: LoadedScenario) => LoadedScenario): Promise<ResolvedExperiment> {
  const path = resolve(scenario);
  const read = await loadScenario(path);
  const loaded = adjust ? adjust(read) : read;
  const sc = loaded.scenario;
  const doc = { name: `${sc.name}-ensemble`, description: sc.description, scenario: path, design: { type: 'replicates' }, replicates: runs, seed: seed ?? sc.seed, ...(keep ? { keep } : {}) };
  try {
    return await resolveExperiment(doc, fileHost.display(path), dirname(path), { loaded });
  } catch (e) {
    // the keep list came from the command line: its error named the scenario file, which has no keep
    if (e instanceof InputError && /^keep\[\d+\]$/.test(e.path)) throw new InputError('--keep', '', e.detail);
    throw e;
  }
}
