/**
 * Validation of a merged scenario document: the schema first, then the cross-references no schema can
 * express (state codes, sectors, dyads, shock windows). Every failure is an {@link InputError} located
 * in the file that wrote the offending value.
 */
import * as z from 'zod';
import { didYouMean, expectedOneOf, formatValue, InputError, type DocPath } from './errors.js';
import { locate, type JsonObject, type OriginTree } from './merge.js';
import { ScenarioSchema, type Scenario } from './schema.js';
import { SHOCK_INFO } from './shock-types.js';

type JsonSchemaNode = {
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: JsonSchemaNode | boolean;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  const?: unknown;
  type?: string;
  minimum?: number;
  maximum?: number;
};

/** A node's alternatives (a union's options, each opened in turn), or the node itself. */
function alternatives(node: JsonSchemaNode): JsonSchemaNode[] {
  const options = node.anyOf ?? node.oneOf;
  return options ? options.flatMap(alternatives) : [node];
}

const jsonSchemas = new WeakMap<z.ZodType, JsonSchemaNode>();
/** The JSON Schema of a zod schema (inputs: defaults make keys optional). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
/** The JSON Schema of a scenario. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return jsonSchemaOf(ScenarioSchema);
}

/** What the schema allows at `path`: through unions, every option's node. */
function nodesAt(schema: z.ZodType, path: DocPath): JsonSchemaNode[] {
  let root = jsonSchemas.get(schema);
  if (!root) jsonSchemas.set(schema, (root = jsonSchemaOf(schema) as JsonSchemaNode));
  let nodes = alternatives(root);
  for (const key of path)
    nodes = nodes.flatMap((node) => {
      const next = typeof key === 'number' ? node.items : (node.properties?.[String(key)] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined));
      return next ? alternatives(next) : [];
    });
  return nodes;
}

/**
 * The whole numbers the schema allows at `path`, as "from 0 to 4294967295", "from 1" or "up to 12"; empty when it sets
 * no bounds (zod's own, those of a safe integer, say nothing a reader needs). The schemas bound their integers with
 * `min` and `max`, which JSON Schema writes as `minimum` and `maximum`.
 */
function integerRange(schema: z.ZodType, path: DocPath): string {
  const node = nodesAt(schema, path).find((n) => n.type === 'integer');
  if (!node) return '';
  const said = (x: number | undefined) => (x !== undefined && Math.abs(x) < Number.MAX_SAFE_INTEGER ? x : undefined);
  const low = said(node.minimum), high = said(node.maximum);
  if (low !== undefined && high !== undefined) return ` from ${low} to ${high}`;
  if (low !== undefined) return ` from ${low}`;
  return high !== undefined ? ` up to ${high}` : '';
}

/**
 * The keys the schema allows at `path`, for "did you mean", in the object `value` found there: through unions, those of
 * the options whose constant keys it matches (a grid design's keys for `"type": "grid"`, not every design's).
 */
function knownKeys(schema: z.ZodType, path: DocPath, value: unknown): string[] {
  const nodes = nodesAt(schema, path);
  const object = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const fits = (node: JsonSchemaNode) => Object.entries(node.properties ?? {}).every(([k, p]) => p.const === undefined || object[k] === p.const);
  return [...new Set(nodes.filter((node) => node.properties && fits(node)).flatMap((node) => Object.keys(node.properties!)))];
}

function valueAt(doc: unknown, path: DocPath): unknown {
  let node: unknown = doc;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key as string];
  }
  return node;
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number', int: 'an integer', string: 'a string', boolean: 'true or false', object: 'an object', array: 'a list',
  // zod's name for an object of named entries (states, sectors, sources)
  record: 'an object', tuple: 'a list',
};

/** A choice among `options`, given or left out (a key left out read zod's "nothing: expected one of ..."). */
function choiceDetail(value: unknown, options: readonly string[]): string {
  return value === undefined ? `missing; expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}` : `${formatValue(value)}: ${expectedOneOf(String(value), options)}`;
}

type SizeIssue = { minimum?: unknown; maximum?: unknown; inclusive?: boolean; exact?: boolean; origin?: string };

/** `n` things, singular for one ("1 items" read badly). */
function many(n: number, thing: string): string {
  return `${n} ${thing}${n === 1 ? '' : 's'}`;
}

/** What a value too small or too big was expected to be: a list's or a text's length, or a number's bound. */
function bound(issue: SizeIssue, small: boolean): string {
  const limit = Number(small ? issue.minimum : issue.maximum);
  const unit = issue.origin === 'array' ? 'item' : issue.origin === 'string' ? 'character' : undefined;
  if (unit) return `${issue.exact ? 'exactly' : small ? 'at least' : 'at most'} ${many(limit, unit)}`;
  const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  return `a number ${op} ${limit}`;
}

/** A value too small or too big: a list or a text by its length (it said "[] is out of range; expected at least 1 items"). */
function outOfRange(issue: SizeIssue, value: unknown, small: boolean): string {
  const expected = bound(issue, small);
  if (issue.origin === 'array' && Array.isArray(value)) return `${formatValue(value)} has ${many(value.length, 'item')}; expected ${expected}`;
  if (issue.origin === 'string' && typeof value === 'string') return `${formatValue(value)} has ${many(value.length, 'character')}; expected ${expected}`;
  return `${formatValue(value)} is out of range; expected ${expected}`;
}

/** One zod issue as the detail of an error line. */
function describeIssue(schema: z.ZodType, issue: z.core.$ZodIssue, doc: unknown): { path: DocPath; detail: string } {
  const value = valueAt(doc, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys[0];
      const known = knownKeys(schema, issue.path, value);
      const hint = didYouMean(key, known);
      return { path: [...issue.path, key], detail: `unknown key${hint ? `; did you mean ${JSON.stringify(hint)}?` : ` (allowed: ${known.join(', ')})`}` };
    }
    case 'invalid_type':
      if (value === undefined) return { path: issue.path, detail: `missing; expected ${TYPE_NAMES[issue.expected] ?? issue.expected}` };
      if (issue.expected === 'int' && typeof value === 'number') {
        // a fraction where a whole number goes: say which ones ("-1.5 is not an integer" left the range to guess)
        const range = integerRange(schema, issue.path);
        return { path: issue.path, detail: `${formatValue(value)} is not an integer${range ? `; expected a whole number${range}` : ''}` };
      }
      return { path: issue.path, detail: `${formatValue(value)} is not ${TYPE_NAMES[issue.expected] ?? issue.expected}` };
    case 'too_small':
      return { path: issue.path, detail: outOfRange(issue, value, true) };
    case 'too_big':
      return { path: issue.path, detail: outOfRange(issue, value, false) };
    case 'invalid_value':
      return { path: issue.path, detail: choiceDetail(value, issue.values.map(String)) };
    case 'invalid_format':
      return { path: issue.path, detail: `${formatValue(value)}: expected ${issue.message}` };
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if (options) return { path: issue.path, detail: choiceDetail(value, options.map(String)) };
      // a union of kinds (a list, or an object): the problem inside the kind the value is, else the kinds it may be
      const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
      const inside = branches.find((b) => b.length > 0 && !(b[0].code === 'invalid_type' && b[0].path.length === 0));
      if (inside) return describeIssue(schema, { ...inside[0], path: [...issue.path, ...inside[0].path] } as z.core.$ZodIssue, doc);
      if (value === undefined) return { path: issue.path, detail: `missing; expected ${issue.message}` };
      return { path: issue.path, detail: `${formatValue(value)} is not ${issue.message}` };
    }
    case 'invalid_key': {
      const key = issue.path[issue.path.length - 1];
      return { path: issue.path, detail: `key ${formatValue(key)}: expected ${issue.issues[0]?.message ?? 'a valid key'}` };
    }
    default:
      return { path: issue.path, detail: `${formatValue(value)}: ${issue.message}` };
  }
}

/** Throws the error for `path` of the merged document, located in its file. */
export function failAt(origins: OriginTree, path: DocPath, detail: string): never {
  const origin = locate(origins, path);
  throw new InputError(origin.file, origin.path, detail);
}

/** Parses `doc` with `schema`; the first problem goes to `fail` as a path and a detail. */
export function parseWith<S extends z.ZodType>(schema: S, doc: unknown, fail: (path: DocPath, detail: string) => never): z.output<S> {
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const { path, detail } = describeIssue(schema, parsed.error.issues[0], doc);
  return fail(path, detail);
}

/** Validates a merged document: the schema, then cross-references. */
export function validateScenario(doc: JsonObject, origins: OriginTree): Scenario {
  const scenario = parseWith(ScenarioSchema, doc, (path, detail) => failAt(origins, path, detail));
  checkReferences(scenario, origins);
  return scenario;
}

/**
 * The first problem of a scenario document, as its path and what was expected, or undefined when it has none: the
 * checks a scenario file gets, for a document with values put in (a design point's).
 */
export function scenarioProblem(doc: unknown): { path: string; detail: string } | undefined {
  const nowhere: OriginTree = { origin: { file: '', path: [] }, children: new Map() };
  try {
    validateScenario(doc as JsonObject, nowhere);
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return { path: e.path, detail: e.detail };
    throw e;
  }
}

function checkReferences(s: Scenario, origins: OriginTree): void {
  const codes = Object.keys(s.states);
  const sectors = Object.keys(s.sectors);
  const fail = (path: DocPath, detail: string): never => failAt(origins, path, detail);
  const stateCode = (value: string, path: DocPath) => {
    if (!s.states[value]) fail(path, `${formatValue(value)} is not a state of this scenario; ${expectedOneOf(value, codes)}`);
  };
  const sector = (value: string, path: DocPath) => {
    if (!s.sectors[value]) fail(path, `${formatValue(value)} is not a sector of this scenario; ${expectedOneOf(value, sectors)}`);
  };
  // a state named twice in a list of states is most often a slip for another (["KGZ", "KGZ"] for ["KGZ", "TJK"]), which
  // ran as if the list were shorter
  const onceIn = (list: readonly string[], i: number, path: DocPath) => {
    const first = list.indexOf(list[i]);
    if (first < i) fail(path, `${formatValue(list[i])} is listed twice (also at [${first}]); expected each state once`);
  };

  if (!(s.end > s.start)) fail(['end'], `${s.end} is not after start (${s.start}); expected a decimal year > ${s.start}`);
  const steps = (s.end - s.start) * s.stepsPerYear;
  if (Math.abs(steps - Math.round(steps)) > 1e-6)
    fail(['end'], `${s.end} is ${steps.toFixed(3)} steps after start at ${s.stepsPerYear} steps a year; expected a whole number of steps (e.g. ${s.start + Math.ceil(steps) / s.stepsPerYear})`);
  if (codes.length < 2) fail(['states'], `${codes.length} state(s); expected at least 2`);
  if (codes.length > 32) fail(['states'], `${codes.length} states; expected at most 32`);
  if (sectors.length < 1) fail(['sectors'], 'no sectors; expected at least 1');

  for (const [c, st] of Object.entries(s.states)) {
    st.neighbours.forEach((n, i) => {
      stateCode(n, ['states', c, 'neighbours', i]);
      if (n === c) fail(['states', c, 'neighbours', i], `${formatValue(n)} is the state itself; expected another state`);
      onceIn(st.neighbours, i, ['states', c, 'neighbours', i]);
    });
    for (const k of Object.keys(st.cooperation)) sector(k, ['states', c, 'cooperation', k]);
    for (const k of Object.keys(st.exposure)) sector(k, ['states', c, 'exposure', k]);
  }
  for (const [from, row] of Object.entries(s.spillover.matrix)) {
    sector(from, ['spillover', 'matrix', from]);
    for (const to of Object.keys(row)) sector(to, ['spillover', 'matrix', from, to]);
  }
  for (const key of Object.keys(s.dyads)) {
    const path = ['dyads', key];
    const m = /^([A-Z]{3})-([A-Z]{3})$/.exec(key);
    if (!m) fail(path, `key ${formatValue(key)}: expected two state codes joined by "-", e.g. "KGZ-TJK"`);
    stateCode(m![1], path);
    stateCode(m![2], path);
    if (m![1] === m![2]) fail(path, `key ${formatValue(key)} names ${m![1]} twice; expected two different states`);
  }
  if (s.formulas.utility !== undefined && s.formulas.utility.trim() === '')
    fail(['formulas', 'utility'], 'empty; expected a mathjs expression');

  s.shocks.forEach((shock, i) => {
    const at = (...rest: PropertyKey[]) => ['shocks', i, ...rest];
    const info = SHOCK_INFO[shock.type];
    if (shock.at === undefined && shock.probability === undefined)
      fail(at(), 'has neither "at" nor "probability"; expected one of them (a scheduled or a random shock)');
    if (shock.at !== undefined && shock.probability !== undefined)
      fail(at('probability'), 'given together with "at"; expected one of them, not both');
    // a shock strikes in the step that starts at or before its onset and ends after it: the last step ends at `end`
    if (shock.at !== undefined && (shock.at < s.start || shock.at >= s.end))
      fail(at('at'), shock.at === s.end
        ? `${shock.at} is the scenario's end, where no step starts, so the shock would never strike; expected a decimal year in [${s.start}, ${s.end}), before the end`
        : `${shock.at} is outside the scenario; expected a decimal year in [${s.start}, ${s.end})`);
    if (shock.magnitude < info.min || shock.magnitude > info.max)
      fail(at('magnitude'), `${shock.magnitude} is out of range for ${shock.type}; expected ${info.unit}, from ${info.min} to ${info.max}`);
    if (shock.targets) {
      shock.targets.forEach((t, j) => {
        stateCode(t, at('targets', j));
        if (info.targets !== 'dyad') onceIn(shock.targets!, j, at('targets', j));
      });
      if (info.targets === 'dyad') {
        if (shock.targets.length !== 2)
          fail(at('targets'), `${formatValue(shock.targets)} has ${shock.targets.length} codes; expected two codes for the dyad a ${shock.type} concerns`);
        if (shock.targets[0] === shock.targets[1])
          fail(at('targets', 1), `${formatValue(shock.targets[1])} names the same state twice; expected two different states`);
      } else if (shock.targets.length === 0) fail(at('targets'), 'empty; expected at least one state code');
    }
    if (shock.sector !== undefined) sector(shock.sector, at('sector'));
    else if (info.needsSector) fail(at('sector'), `missing; expected the sector the ${shock.type} goes into (${sectors.join(', ')})`);
  });
}
