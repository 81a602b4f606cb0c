/**
 * Reading a design file (a `csv` design): one column per parameter path and one row per design point, packed as it is
 * read. Parsed into rows of objects first, a file of a million points of two parameters took 3.5 s and 560 MB to load,
 * where a grid of as many points takes 1.6-2.1 s and some 120 MB; designs for sensitivity analysis (Saltelli's, made
 * with SALib) come as files of hundreds of thousands of rows.
 */
import { readFileSync } from 'node:fs';
import { checkWidth, CsvError, eachCsvRecord } from '../scenario/csv.js';
import { formatValue, InputError } from '../scenario/errors.js';
import type { DesignPoints } from './design.js';
import { PARAMETER_PATH } from './schema.js';

export interface DesignFile {
  points: DesignPoints;
  /** The line each point is on, for messages. */
  lines: Int32Array;
}

/**
 * The design points of `file` (`shown` as messages name it). `checkCount` sees the number of points once the columns
 * are known to be parameter paths, before any value is refused (an experiment refuses a file of no rows, or of too many).
 */
export function readDesignFile(file: string, shown: string, checkCount: (points: number) => void): DesignFile {
  const text = readFileSync(file, 'utf8');
  // as many points as lines after the header at most: the arrays are made once
  let most = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) most++;
  let header: string[] | undefined;
  let first = 0; // 1 when the first column is a points.csv's `point`
  let width = 0;
  let values = new Float64Array(0);
  let lines = new Int32Array(most);
  let count = 0;
  let bad: InputError | undefined; // the first value that is not a number, reported after the columns and the count
  try {
    eachCsvRecord(text, (fields, line) => {
      if (!header) {
        header = fields.map((h) => h.trim());
        first = header[0] === 'point' ? 1 : 0;
        width = header.length - first;
        values = new Float64Array(most * width);
        return;
      }
      checkWidth(fields, header, line);
      for (let j = 0; j < width && !bad; j++) {
        const raw = fields[first + j].trim();
        const v = Number(raw);
        if (raw === '' || !Number.isFinite(v)) bad = new InputError(shown, `line ${line}`, `${header[first + j]} is ${formatValue(raw)}; expected a number`);
        values[count * width + j] = v;
      }
      lines[count++] = line;
    });
  } catch (e) {
    if (e instanceof CsvError) throw new InputError(shown, `line ${e.line}`, `malformed CSV: ${e.message}`);
    throw e;
  }
  const all = header!;
  // a sweep's points.csv, rows added or not, is a design file: its first column, `point`, numbers the rows
  const parameters = all.slice(first);
  // as grids and hypercubes: a top-level number (start, end, stepsPerYear) would give the points different steps,
  // which one experiment's records cannot hold (a varying end was written as if it had not varied)
  if (parameters.length === 0) throw new InputError(shown, 'line 1', 'has no parameter columns; expected one column per parameter path, such as "policies.benefitSharing"');
  parameters.forEach((column, k) => {
    if (column === '') throw new InputError(shown, 'line 1', `column ${k + 1 + first} has no name (a trailing comma?); expected a parameter path in every column`);
    if (!PARAMETER_PATH.test(column)) throw new InputError(shown, 'line 1', `column ${formatValue(column)}: expected a dotted path such as "policies.benefitSharing" (every design point has the scenario's start, end and stepsPerYear)`);
    // a second column of one path silently took the place of the first's values
    if (parameters.indexOf(column) !== k) throw new InputError(shown, 'line 1', `column ${formatValue(column)} appears twice; expected each parameter path once`);
  });
  checkCount(count);
  if (bad) throw bad;
  // trimmed to the points where blank lines left room at the end (a worker is sent the whole buffer)
  if (count < most) {
    values = values.slice(0, count * width);
    lines = lines.slice(0, count);
  }
  return { points: { parameters, count, values }, lines };
}
