/**
 * Resolves a scenario file and its `extends` chain into one merged document. Pure: the file system is
 * reached through a {@link DocumentHost}, so the same code runs in Node and, with another host, in a browser.
 */
import { parse as parseJsonc, printParseErrorCode, visit, type ParseError } from 'jsonc-parser';
import { InputError } from './errors.js';
import { appendToArray, isObject, mergeDocuments, originsOf, type Json, type JsonObject, type OriginTree } from './merge.js';

/** How the resolver reads documents: paths are opaque strings the host understands. */
export interface DocumentHost {
  /** The text of a document, or `undefined` when there is none at that path. */
  read(path: string): string | undefined;
  /** The path that `reference` (relative to `from`'s folder, or absolute) names. */
  resolve(from: string, reference: string): string;
  /** How a path is shown in messages (e.g. relative to the working folder). */
  display(path: string): string;
  /** Why `read` found no document at a path (named in `from`, when given), for messages (default: "no such file"). */
  missing?(path: string, from?: string): string;
}

export interface ResolvedDocument {
  /** The merged document, without `extends` and `addShocks`. */
  doc: JsonObject;
  origins: OriginTree;
  /** The chain from the root ancestor to the requested file, as displayed. */
  chain: string[];
}

/** Line and column (1-based) of an offset in a text. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Throws if a key appears twice in one object. JSON.parse keeps the later value without a word, so a scenario that set
 * `policies.benefitSharing` twice ran with the second, whichever a reader of the file (or of its diff) took for it.
 */
function refuseRepeatedKeys(text: string, file: string): void {
  const open: Array<Map<string, { line: number; column: number }>> = []; // each open object's keys, where they are (from 0)
  visit(text, {
    onObjectBegin: () => {
      open.push(new Map());
    },
    onObjectEnd: () => {
      open.pop();
    },
    onObjectProperty: (key, _offset, _length, line, column, pathOf) => {
      const keys = open[open.length - 1];
      const first = keys.get(key);
      if (first) {
        const where = first.line === line ? `line ${line + 1}, columns ${first.column + 1} and ${column + 1}` : `lines ${first.line + 1} and ${line + 1}`;
        throw new InputError(file, [...pathOf(), key], `appears twice in its object (${where}); expected each key once: JSON keeps the last value, and the first is ignored`);
      }
      keys.set(key, { line, column });
    },
  });
}

/**
 * How a text that is not JSON at all begins (its first line, shortened), or undefined when it starts like a JSON
 * object or array: a CSV or a README given for a scenario was "malformed JSON" at line 1, column 1, as if it were a
 * scenario with a typo in it.
 */
export function notJsonStart(text: string): string | undefined {
  const start = text.trimStart();
  if (start === '' || start[0] === '{' || start[0] === '[') return undefined;
  const line = start.split(/\r?\n/, 1)[0];
  return JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}...` : line);
}

/** Parses strict JSON; a syntax error, or a key given twice in an object, names its line. */
export function parseJson(raw: string, file: string): Json {
  // a byte order mark, which Windows editors write at the start of UTF-8 files (RFC 8259 lets a parser ignore it):
  // the file looks right in any editor, and was "malformed JSON" at line 1, column 1
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    if (text.trim() === '') throw new InputError(file, '', 'empty; expected a JSON file, starting with "{"');
    const begins = notJsonStart(text);
    if (begins) throw new InputError(file, '', `not JSON (it begins ${begins}); expected a JSON file, starting with "{"`);
    const errors: ParseError[] = [];
    parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    const first = errors[0];
    const at = first ? lineColumn(text, first.offset) : { line: 1, column: 1 };
    const what = first ? printParseErrorCode(first.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase() : 'invalid JSON';
    throw new InputError(file, `line ${at.line}, column ${at.column}`, `malformed JSON (${what})`);
  }
  refuseRepeatedKeys(text, file);
  return json;
}

/** Reads `path` and the files it extends, root ancestor first, and merges them. */
export function resolveDocument(path: string, host: DocumentHost, from?: { file: string; stack: string[] }): ResolvedDocument {
  const shown = host.display(path);
  if (from?.stack.includes(path)) {
    const cycle = [...from.stack.slice(from.stack.indexOf(path)), path].map((p) => host.display(p)).join(' -> ');
    throw new InputError(host.display(from.file), 'extends', `${JSON.stringify(shown)} makes an extends cycle (${cycle})`);
  }
  const text = host.read(path);
  if (text === undefined) {
    const why = host.missing?.(path, from?.file) ?? 'no such file';
    if (from) throw new InputError(host.display(from.file), 'extends', `cannot read ${JSON.stringify(shown)}: ${why}`);
    throw new InputError(shown, '', why);
  }
  const begins = from && notJsonStart(text);
  if (begins) throw new InputError(host.display(from.file), 'extends', `${JSON.stringify(shown)} is not JSON (it begins ${begins}); expected a scenario file`);
  const raw = parseJson(text, shown);
  if (!isObject(raw)) throw new InputError(shown, '', `expected a JSON object, got ${Array.isArray(raw) ? 'an array' : typeof raw}`);
  const own = originsOf(raw, shown);
  const { extends: parent, addShocks, ...rest } = raw;
  const stack = [...(from?.stack ?? []), path];

  let doc: JsonObject = rest;
  let origins = own;
  let chain = [shown];
  if (parent !== undefined) {
    if (typeof parent !== 'string' || parent === '')
      throw new InputError(shown, 'extends', `expected a path to a scenario file, got ${JSON.stringify(parent)}`);
    const base = resolveDocument(host.resolve(path, parent), host, { file: path, stack });
    const merged = mergeDocuments(base.doc, base.origins, rest, own);
    doc = merged.doc;
    origins = merged.origins;
    chain = [...base.chain, shown];
  }
  if (addShocks !== undefined) {
    if (!Array.isArray(addShocks)) throw new InputError(shown, 'addShocks', `expected a list of shocks, got ${JSON.stringify(addShocks)}`);
    appendToArray(doc, origins, 'shocks', addShocks, own.children.get('addShocks')!);
  }
  origins.children.delete('extends');
  return { doc, origins, chain };
}
