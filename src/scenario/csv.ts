/**
 * A small RFC 4180 CSV reader for the project's data files: a header row, comma-separated fields, double
 * quotes around fields that hold commas, quotes or newlines. Errors name the line.
 */
export interface CsvTable {
  header: string[];
  /** Each row as an object keyed by the header, with the line it started on. */
  rows: Array<{ line: number; values: Record<string, string> }>;
}

export class CsvError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

/** The error of a text with no record at all, not even a header. */
function emptyFile(): CsvError {
  return new CsvError(1, 'empty; expected a header row');
}

/**
 * Calls `each` with the fields of every record, the header's first, and the line the record starts on (counting from
 * `firstLine`); blank lines are passed over. Returns the number of the line after the text. For a reader that keeps
 * what it needs of each row (a design file packs its numbers), not the rows.
 */
export function eachCsvRecord(text: string, each: (fields: string[], line: number) => void, firstLine = 1): number {
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = firstLine;
  let start = firstLine;
  let i = 0;
  // a byte order mark starts a file, not the rest of one fed from a later line (`CsvFeed`)
  const body = firstLine === 1 ? text.replace(/^\uFEFF/, '') : text;
  const n = body.length;
  // a field is taken a stretch at a time, up to the next character that means something, not a character at a time:
  // a design file of a million rows took 5 s to read that way, and the what-if report its output files
  while (i < n) {
    if (quoted) {
      // up to the next quote, counting the lines inside
      let j = body.indexOf('"', i);
      if (j < 0) j = n;
      for (let k = i; k < j; k++) if (body.charCodeAt(k) === 10) line++;
      field += body.slice(i, j);
      i = j;
      if (i === n) break;
      if (body.charCodeAt(i + 1) === 34) { field += '"'; i += 2; continue; }
      quoted = false;
      i++;
      continue;
    }
    let j = i;
    for (let c = body.charCodeAt(j); j < n && c !== 44 && c !== 10 && c !== 13 && c !== 34; c = body.charCodeAt(++j));
    if (j > i) {
      field += body.slice(i, j);
      i = j;
      if (i === n) break;
    }
    const ch = body.charCodeAt(i);
    // a quote opens a quoted field only at its start; elsewhere it is text
    if (ch === 34) { if (field === '') quoted = true; else field += '"'; i++; continue; }
    if (ch === 44) { fields.push(field); field = ''; i++; continue; }
    if (ch === 13) { i++; continue; }
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') each(fields, start);
    fields = []; field = ''; line++; start = line; i++;
  }
  if (quoted) throw new CsvError(start, 'a quoted field is not closed');
  if (field !== '' || fields.length) {
    fields.push(field);
    each(fields, start);
  }
  return line;
}

/**
 * Where the last record of `text` ends: the index of its last newline outside a quoted field (-1 if none), read as
 * `eachCsvRecord` reads quotes (one opens a field only at its start; two inside one are a quote). `text` starts at a
 * record's start.
 */
function lastRecordEnd(text: string): number {
  if (text.indexOf('"') < 0) return text.lastIndexOf('\n');
  let end = -1;
  let quoted = false;
  let atStart = true; // at a field's start, where a quote opens a quoted field
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      // a quote closes the field unless another follows (one at the very end is settled by the text after it)
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else quoted = false;
      }
    } else if (c === 34 && atStart) {
      quoted = true;
      atStart = false;
    } else if (c === 10) {
      end = i;
      atStart = true;
    } else if (c === 44) {
      atStart = true;
    } else if (c !== 13) {
      atStart = false;
    }
  }
  return end;
}

/**
 * CSV text fed a piece at a time (a file read in blocks), passed to `each` record by record as `eachCsvRecord` would
 * pass the whole: a file too long for one string (V8's limit is some 512 MB) is read this way, holding a block at a time.
 */
export class CsvFeed {
  private pending = '';
  private line = 1;
  private records = 0;
  private readonly each: (fields: string[], line: number) => void;

  constructor(each: (fields: string[], line: number) => void) {
    this.each = (fields, line) => {
      this.records++;
      each(fields, line);
    };
  }

  /** Adds text; the records it completes are passed on, the rest kept for the next piece. */
  write(text: string): void {
    this.pending += text;
    const end = lastRecordEnd(this.pending);
    if (end < 0) return;
    this.line = eachCsvRecord(this.pending.slice(0, end + 1), this.each, this.line);
    this.pending = this.pending.slice(end + 1);
  }

  /** Passes on the last record; throws if there was none at all. */
  end(): void {
    if (this.pending !== '') this.line = eachCsvRecord(this.pending, this.each, this.line);
    this.pending = '';
    if (this.records === 0) throw emptyFile();
  }
}

/** Throws unless a row at `line` has a field for every column of `header`. */
export function checkWidth(fields: string[], header: string[], line: number): void {
  if (fields.length === header.length) return;
  // a spreadsheet set to a decimal comma saves CSV separated by semicolons
  const hint = header.length === 1 && header[0].includes(';') ? ': fields separated by commas, not semicolons' : ` (${header.join(',')})`;
  throw new CsvError(line, `${fields.length} field${fields.length === 1 ? '' : 's'}; expected ${header.length}${hint}`);
}

export function parseCsv(text: string): CsvTable {
  const records: Array<{ line: number; fields: string[] }> = [];
  eachCsvRecord(text, (fields, line) => records.push({ line, fields }));
  if (records.length === 0) throw emptyFile();
  const header = records[0].fields.map((h) => h.trim());
  const rows = records.slice(1).map((r) => {
    checkWidth(r.fields, header, r.line);
    // a loop, not Object.fromEntries over mapped pairs: twice the arrays a row
    const values: Record<string, string> = {};
    for (let k = 0; k < header.length; k++) values[header[k]] = r.fields[k].trim();
    return { line: r.line, values };
  });
  return { header, rows };
}

/** What `Number()` reads that is not a decimal number: a blank (as 0), hexadecimal, octal and binary (0x10 as 16). */
const NOT_DECIMAL = /^\s*(?:$|0[xXoObB])/;

/**
 * A number typed as text (a CSV field, a `--set` value), read as the decimal number it spells, as pandas, R and
 * spreadsheets read it; NaN when it spells none. `Number()` alone read `0x10` as 16 and `0b1` as 1 without a word.
 */
export function decimalNumber(text: string): number {
  return NOT_DECIMAL.test(text) ? Number.NaN : Number(text);
}

/**
 * Whether text starts with a UTF-16 byte order mark: what Windows editors write as "Unicode" (Excel's "Unicode text",
 * Notepad's "UTF-16"). Read as UTF-8 it became a column or key of mojibake and NUL characters, and a message naming it.
 */
export function isUtf16(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/** What to say of a UTF-16 file (see `isUtf16`). */
export const UTF16_DETAIL = 'is UTF-16 text (as Windows saves "Unicode"); expected UTF-8 (in Excel, save as "CSV UTF-8"; in an editor, choose UTF-8)';
