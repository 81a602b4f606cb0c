/** Reading and writing a number at a dotted path of a scenario ("parameters.trade.gdpElasticity"). */
import { didYouMean, notANumber } from './errors.js';
import { locate, type OriginTree } from './merge.js';

export function getAtPath(root: unknown, path: string): unknown {
  let node: unknown = root;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Sets `value` at `path`, creating the objects on the way that do not exist yet. */
export function setAtPath(root: object, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = root as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/**
 * A copy of `root` with each of `values` (number by dotted path) set, sharing every object off those paths with
 * `root`: copy on write, so nothing of `root` changes, at a fraction of a deep copy's cost (a design point's scenario,
 * built once per point, for a sweep of many small points). Whoever holds the result must not mutate it either, since
 * it shares objects; the engine never does (a test runs a frozen scenario).
 */
export function withValuesAt<T extends object>(root: T, values: Record<string, unknown>): T {
  const copy = (node: object): Record<string, unknown> => (Array.isArray(node) ? (node.slice() as unknown as Record<string, unknown>) : { ...node });
  const out = copy(root);
  for (const [path, value] of Object.entries(values)) {
    const keys = path.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) {
      const child = node[key];
      node[key] = child !== null && typeof child === 'object' ? copy(child) : {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = value;
  }
  return out as T;
}

/** The dotted path of every number in a document (array items by index), in document order. */
export function numberPaths(root: unknown, prefix = '', out: string[] = []): string[] {
  if (typeof root === 'number') out.push(prefix);
  else if (root !== null && typeof root === 'object')
    for (const [key, value] of Object.entries(root)) numberPaths(value, prefix ? `${prefix}.${key}` : key, out);
  return out;
}

/**
 * Why `path` names no number of a resolved scenario, for an error line that starts with the path; undefined when it
 * names one. A path that names nothing gets what was likely meant (`pathHint`), else `expected`.
 */
export function pathProblem(scenario: object, path: string, origins: OriginTree | undefined, expected: string): string | undefined {
  const value = getAtPath(scenario, path);
  const wrong = notANumber(value);
  if (!wrong) return undefined;
  return `${wrong}${(value === undefined && pathHint(scenario, path, origins)) || `; ${expected}`}`;
}

/**
 * What to add to "names nothing in the scenario" for a path into a resolved scenario: the path a scenario file's
 * `addShocks` entry has once resolved (appended to the shocks the file inherits, so the first shock a file adds to the
 * baseline's five is shocks.5, and "addShocks.0.magnitude" named nothing), or the closest path of a number. Empty
 * when neither helps.
 */
function pathHint(scenario: object, path: string, origins?: OriginTree): string {
  const added = /^addShocks\.(\d+)((?:\.[^.]+)*)$/.exec(path);
  const shocks = (scenario as { shocks?: unknown[] }).shocks ?? [];
  if (added && origins) {
    // the file's own additions come after every inherited shock, its parents' additions included: the last match
    for (let k = shocks.length - 1; k >= 0; k--) {
      const at = locate(origins, ['shocks', k]);
      if (at.path.length === 2 && at.path[0] === 'addShocks' && at.path[1] === Number(added[1]))
        return `; a scenario's addShocks are appended to the shocks it inherits, so this one is shocks.${k}: did you mean ${JSON.stringify(`shocks.${k}${added[2]}`)}?`;
    }
  }
  const near = didYouMean(path, numberPaths(scenario));
  return near ? `; did you mean ${JSON.stringify(near)}?` : '';
}
