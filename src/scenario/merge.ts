/**
 * Deep merge for `extends`: objects merge key by key, arrays replace, and `addShocks` appends to the
 * inherited `shocks`. Alongside the merged document it keeps an origin tree, so an error found in the
 * merged document can name the file, and the path inside that file, where the offending value was written.
 */
import type { DocPath } from './errors.js';

/** Where a node of the merged document was written. */
export interface Origin {
  file: string;
  path: PropertyKey[];
}

/** A node of the origin tree: where this node came from, and its children's origins. */
export interface OriginTree {
  origin: Origin;
  children: Map<PropertyKey, OriginTree>;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The origin tree of one file's document: every node comes from that file. */
export function originsOf(value: unknown, file: string, path: PropertyKey[] = []): OriginTree {
  const children = new Map<PropertyKey, OriginTree>();
  if (Array.isArray(value)) value.forEach((v, i) => children.set(i, originsOf(v, file, [...path, i])));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) children.set(k, originsOf(v, file, [...path, k]));
  return { origin: { file, path }, children };
}

/** Merges `child` over `base`; returns the merged document and its origin tree. */
export function mergeDocuments(
  base: JsonObject,
  baseOrigins: OriginTree,
  child: JsonObject,
  childOrigins: OriginTree,
): { doc: JsonObject; origins: OriginTree } {
  const doc: JsonObject = { ...base };
  const origins: OriginTree = { origin: childOrigins.origin, children: new Map(baseOrigins.children) };
  for (const [key, value] of Object.entries(child)) {
    const childTree = childOrigins.children.get(key)!;
    const inherited = base[key];
    if (isObject(value) && isObject(inherited)) {
      const merged = mergeDocuments(inherited, baseOrigins.children.get(key)!, value, childTree);
      doc[key] = merged.doc;
      origins.children.set(key, merged.origins);
    } else {
      doc[key] = value;
      origins.children.set(key, childTree);
    }
  }
  return { doc, origins };
}

/** Appends `additions` to the array at `key`, keeping each element's origin. */
export function appendToArray(
  doc: JsonObject,
  origins: OriginTree,
  key: string,
  additions: Json[],
  additionsOrigins: OriginTree,
): void {
  const existing = Array.isArray(doc[key]) ? (doc[key] as Json[]) : [];
  const tree = origins.children.get(key) ?? { origin: additionsOrigins.origin, children: new Map() };
  const children = new Map(tree.children);
  additions.forEach((_, i) => children.set(existing.length + i, additionsOrigins.children.get(i)!));
  doc[key] = [...existing, ...additions];
  origins.children.set(key, { origin: tree.origin, children });
}

/** Finds where the node at `path` of the merged document was written. */
export function locate(origins: OriginTree, path: DocPath): Origin {
  let node = origins;
  let depth = 0;
  for (; depth < path.length; depth++) {
    const next = node.children.get(path[depth]);
    if (!next) break;
    node = next;
  }
  return { file: node.origin.file, path: [...node.origin.path, ...path.slice(depth)] };
}
