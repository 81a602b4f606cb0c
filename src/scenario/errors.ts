/**
 * Input errors: one line naming the file, the path inside it, the value and what was expected.
 * The CLI prints `message` alone and exits 2; nothing else in the project formats input errors.
 */

/** A path inside a document, as zod reports it. */
export type DocPath = ReadonlyArray<PropertyKey>;

/** Renders a path the way a reader writes it: `shocks[2].targets[1]`. */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(String(key))) out += (out ? '.' : '') + String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(top level)';
}

/** Items as a message lists them: "a", "a and b", "a, b and c". */
export function listed(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : (items[0] ?? '');
}

/** Renders a value briefly for an error line. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * What a path was found to name when a number was wanted there ("names nothing in the scenario", or "names "x", not a
 * number"), for messages about paths into a scenario; undefined when `value` is a number.
 */
export function notANumber(value: unknown): string | undefined {
  if (typeof value === 'number') return undefined;
  return value === undefined ? 'names nothing in the scenario' : `names ${formatValue(value)}, not a number`;
}

/** An error in user input (a scenario, an experiment, a command-line value): exit code 2. */
export class InputError extends Error {
  readonly file: string;
  readonly path: string;
  /** What is wrong and what was expected, without the file and path. */
  readonly detail: string;
  constructor(file: string, path: DocPath | string, detail: string) {
    const where = typeof path === 'string' ? path : formatPath(path);
    super(where ? `${file}: ${where}: ${detail}` : `${file}: ${detail}`);
    this.name = 'InputError';
    this.file = file;
    this.path = where;
    this.detail = detail;
  }
}

/**
 * Bad input that only a run finds: the scenario's `utility` formula gave no number at the values the run met (see
 * `utilityNaN` in formulas.ts). `reached` says what happened without the file, as `RunOverflow.reached` does, and
 * `where`, set by the caller that knows, which run it was (a design point, a fit's trial): see `runFailureAsInput`.
 */
export class RunInputError extends InputError {
  readonly reached: string;
  readonly expected: string;
  where?: string;
  constructor(file: string, path: DocPath | string, reached: string, expected: string) {
    super(file, path, `${reached}; expected ${expected}`);
    this.reached = reached;
    this.expected = expected;
  }
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

/** The closest candidate within a third of the word's length (at least 2 edits), if any. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `one of "a", "b", "c"` or a suggestion. */
export function expectedOneOf(value: string, options: readonly string[]): string {
  const hint = didYouMean(value, options);
  const list = options.map((o) => JSON.stringify(o)).join(', ');
  return hint ? `expected one of ${list}; did you mean ${JSON.stringify(hint)}?` : `expected one of ${list}`;
}
