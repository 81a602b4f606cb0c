/**
 * Reading a design file (a `csv` design): one column per parameter path and one row per design point, read a block at a
 * time and packed as it is parsed. Designs for sensitivity analysis (Saltelli's, made with SALib) come as files of
 * millions of rows: read into one string, a file over some 512 MB could not be read at all, and parsed into an object a
 * row, a million points of two parameters took 3.5 s and 560 MB.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { checkWidth, CsvError, CsvFeed, decimalNumber, isUtf16, UTF16_DETAIL } from '../scenario/csv.js';
import { formatValue, InputError } from '../scenario/errors.js';
import type { DesignPoints } from './design.js';
import { PARAMETER_PATH, PARAMETER_PATH_EXPECTED } from './schema.js';

export interface DesignFile {
  points: DesignPoints;
  /** The line each point is on, for messages. */
  lines: Int32Array;
}

export interface ReadOptions {
  /**
   * The most points to keep: those beyond are counted, not kept (a file of a hundred million rows would fill the memory
   * before its count could be refused), and `checkCount` must refuse their number.
   */
  most: number;
  /**
   * Sees the number of points once the columns are known to be parameter paths, before any value is refused (an
   * experiment refuses a file of no rows, or of too many).
   */
  checkCount: (points: number) => void;
  /** Bytes read at a time (tests try small blocks). */
  blockBytes?: number;
}

/** The design points of `file` (`shown` as messages name it). */
export function readDesignFile(file: string, shown: string, { most, checkCount, blockBytes = 4 << 20 }: ReadOptions): DesignFile {
  let header: string[] | undefined;
  let first = 0; // 1 when the first column is a points.csv's `point`
  let width = 0;
  let values = new Float64Array(0);
  let lines = new Int32Array(0);
  let count = 0;
  let bad: InputError | undefined; // the first value that is not a number, reported after the columns and the count
  const feed = new CsvFeed((fields, line) => {
    if (!header) {
      header = fields.map((h) => h.trim());
      first = header[0] === 'point' ? 1 : 0;
      width = header.length - first;
      values = new Float64Array(lines.length * width);
      return;
    }
    checkWidth(fields, header, line);
    if (count >= most) {
      count++;
      return;
    }
    // a record starts on a line of its own, so the lines counted leave room for every row
    if (count === lines.length) throw new Error(`readDesignFile: row ${count + 1} at line ${line}, past the ${lines.length} lines counted`);
    for (let j = 0; j < width && !bad; j++) {
      const raw = fields[first + j].trim();
      const v = decimalNumber(raw);
      if (!Number.isFinite(v)) bad = new InputError(shown, `line ${line}`, `${header[first + j]} is ${formatValue(raw)}; expected a number`);
      values[count * width + j] = v;
    }
    lines[count++] = line;
  });
  const fd = openSync(file, 'r');
  try {
    const block = Buffer.allocUnsafe(blockBytes);
    // the lines after the header's, counted first (the file is read twice, the second time from the page cache): room
    // for every row, so that the points are neither copied as they grow nor, when no line is blank, at the end (grown
    // by doubling, 4,000,000 points of eight parameters took 670 MB, three times their size)
    let newlines = 0, last = 10;
    const start = Buffer.alloc(2);
    if (isUtf16(start.subarray(0, readSync(fd, start, 0, 2, 0)))) throw new InputError(shown, '', UTF16_DETAIL);
    for (let n; (n = readSync(fd, block, 0, block.length, null)) > 0; last = block[n - 1])
      for (let i = block.indexOf(10); i >= 0 && i < n; i = block.indexOf(10, i + 1)) newlines++;
    lines = new Int32Array(Math.min(Math.max(newlines + (last === 10 ? 0 : 1) - 1, 0), most));
    // then read a block at a time: a file of millions of rows can be longer than one string may be (some 512 MB)
    const decoder = new StringDecoder('utf8');
    for (let n, at = 0; (n = readSync(fd, block, 0, block.length, at)) > 0; at += n) feed.write(decoder.write(block.subarray(0, n)));
    feed.write(decoder.end());
    feed.end();
  } catch (e) {
    if (e instanceof CsvError) throw new InputError(shown, `line ${e.line}`, `malformed CSV: ${e.message}`);
    throw e;
  } finally {
    closeSync(fd);
  }
  const all = header!;
  // a sweep's points.csv, rows added or not, is a design file: its first column, `point`, numbers the rows
  const parameters = all.slice(first);
  // as grids and hypercubes: a top-level number (start, end, stepsPerYear) would give the points different steps,
  // which one experiment's records cannot hold (a varying end was written as if it had not varied)
  if (parameters.length === 0) throw new InputError(shown, 'line 1', 'has no parameter columns; expected one column per parameter path, such as "policies.benefitSharing"');
  parameters.forEach((column, k) => {
    if (column === '') throw new InputError(shown, 'line 1', `column ${k + 1 + first} has no name (a trailing comma?); expected a parameter path in every column`);
    if (!PARAMETER_PATH.test(column)) {
      // a spreadsheet's "CSV" in a decimal-comma locale (R's write.csv2, Excel in much of Europe) separates by semicolons
      const separator = /[;\t]/.exec(column)?.[0];
      const them = separator === ';' ? 'semicolons' : 'tabs';
      if (separator) throw new InputError(shown, 'line 1', `column ${formatValue(column)} holds ${them}; expected fields separated by commas, not ${them}, as pandas' to_csv and R's write.csv write them (not write.csv2)`);
      throw new InputError(shown, 'line 1', `column ${formatValue(column)}: expected ${PARAMETER_PATH_EXPECTED}`);
    }
    // a second column of one path silently took the place of the first's values
    if (parameters.indexOf(column) !== k) throw new InputError(shown, 'line 1', `column ${formatValue(column)} appears twice; expected each parameter path once`);
  });
  checkCount(count);
  if (count > most) throw new Error(`readDesignFile: ${count} points, more than the ${most} kept, were not refused`);
  if (bad) throw bad;
  // no room left over (a worker is sent the whole buffer): copied only where blank lines, or rows across lines, left some
  return {
    points: { parameters, count, values: count * width === values.length ? values : values.slice(0, count * width) },
    lines: count === lines.length ? lines : lines.slice(0, count),
  };
}
