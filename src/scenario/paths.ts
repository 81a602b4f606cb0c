/** Reading and writing a number at a dotted path of a scenario ("parameters.trade.gdpElasticity"). */

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
