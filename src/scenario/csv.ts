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

export function parseCsv(text: string): CsvTable {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const body = text.replace(/^\uFEFF/, '');
  while (i < body.length) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      if (ch === '\n') line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') { quoted = true; i++; continue; }
    if (ch === ',') { fields.push(field); field = ''; i++; continue; }
    if (ch === '\r') { i++; continue; }
    if (ch === '\n') {
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') records.push({ line: start, fields });
      fields = []; field = ''; line++; start = line; i++;
      continue;
    }
    field += ch;
    i++;
  }
  if (quoted) throw new CsvError(start, 'a quoted field is not closed');
  if (field !== '' || fields.length) { fields.push(field); records.push({ line: start, fields }); }
  if (records.length === 0) throw new CsvError(1, 'empty; expected a header row');
  const header = records[0].fields.map((h) => h.trim());
  const rows = records.slice(1).map((r) => {
    if (r.fields.length !== header.length) {
      // a spreadsheet set to a decimal comma saves CSV separated by semicolons
      const hint = header.length === 1 && header[0].includes(';') ? ': fields separated by commas, not semicolons' : ` (${header.join(',')})`;
      throw new CsvError(r.line, `${r.fields.length} fields; expected ${header.length}${hint}`);
    }
    return { line: r.line, values: Object.fromEntries(header.map((h, k) => [h, r.fields[k].trim()])) };
  });
  return { header, rows };
}
