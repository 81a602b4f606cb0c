/**
 * Loading a scenario from the file system: the only file I/O of the scenario layer. Reads the file and
 * its `extends` chain, validates, compiles formulas and hashes the result.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { compileFormulas } from './formulas.js';
import type { LoadedScenario } from './loaded.js';
import { resolveDocument, type DocumentHost } from './resolve.js';
import { validateScenario } from './validate.js';
import { canonicalJson } from './canonical.js';
import { CsvError, decimalNumber, isUtf16, parseCsv, UTF16_DETAIL, type CsvTable } from './csv.js';
import { InputError, type DocPath } from './errors.js';
import { locate, type Origin, type OriginTree } from './merge.js';
import { FIRST_YEAR, LAST_YEAR, STATE_CODE, type Scenario } from './schema.js';

/** A host reading from the file system; paths are shown relative to the working folder. */
export const fileHost: Required<DocumentHost> = {
  read: (path) => {
    if (!(existsSync(path) && statSync(path).isFile())) return undefined;
    const bytes = readFileSync(path);
    if (isUtf16(bytes)) throw new InputError(fileHost.display(path), '', UTF16_DETAIL);
    return bytes.toString('utf8');
  },
  resolve: (from, reference) => (isAbsolute(reference) ? reference : resolve(dirname(from), reference)),
  display: (path) => {
    const rel = relative(process.cwd(), path);
    return rel && !rel.startsWith('..') ? rel : path;
  },
  missing: (path, from) => (existsSync(path) && statSync(path).isDirectory() ? 'a folder, not a file' : `no such file${from ? linkHint(from, path) : ''}`),
};

/**
 * When `from`, a file that names `path` relative to its folder, is a symbolic link (or lies in a linked folder) and
 * `path` is missing beside it but found beside the file it links to: a clause saying so. Paths follow the link's
 * folder, as in a shell and in git-annex or DataLad datasets, where every file is a link into the repository's store;
 * a link made to run a shipped scenario from elsewhere found nothing its `extends` named, without saying why.
 */
export function linkHint(from: string, path: string): string {
  try {
    const real = realpathSync(from);
    const folder = dirname(resolve(from));
    if (dirname(real) === realpathSync(folder)) return '';
    const there = resolve(dirname(real), relative(folder, path));
    if (!existsSync(there)) return '';
    return ` (${fileHost.display(resolve(from))} is a link, and its paths are read from the link's folder; from the folder of the file it links to, ${fileHost.display(real)}, this one is ${JSON.stringify(fileHost.display(there))}, which is there: give that file instead)`;
  } catch {
    return '';
  }
}

/** The file a data reference at `path` points to, resolved from the file that wrote the reference. */
export function dataFile(origins: OriginTree, path: DocPath, reference: string): { file: string; shown: string; from: Origin } {
  const from = locate(origins, path);
  const file = isAbsolute(reference) ? reference : resolve(dirname(from.file), reference);
  return { file, shown: fileHost.display(file), from };
}

/** Reads a CSV data file named at `path`; a missing or malformed file is an input error. */
export function readDataCsv(origins: OriginTree, path: DocPath, reference: string): { table: CsvTable; shown: string } {
  const { file, shown, from } = dataFile(origins, path, reference);
  const text = fileHost.read(file);
  if (text === undefined) throw new InputError(from.file, from.path, `cannot read ${JSON.stringify(shown)}: ${fileHost.missing(file, from.file)}`);
  try {
    return { table: parseCsv(text), shown };
  } catch (e) {
    if (e instanceof CsvError) throw new InputError(shown, `line ${e.line}`, `malformed CSV: ${e.message}`);
    throw e;
  }
}

/** Fills `states.*.gdpPath` from the CSV named in `data.gdp`. */
function loadGdpPaths(scenario: Scenario, origins: OriginTree): void {
  const reference = scenario.data.gdp;
  if (reference === undefined) return;
  const { table, shown } = readDataCsv(origins, ['data', 'gdp'], reference);
  for (const column of ['state', 'year', 'gdp_usd_bn'])
    if (!table.header.includes(column)) throw new InputError(shown, 'line 1', `no column ${JSON.stringify(column)}; expected columns state, year, gdp_usd_bn`);
  // a file of its header alone (a file half edited, say) left every state's GDP to gdp and gdpYear without a word
  if (table.rows.length === 0) throw new InputError(shown, 'line 1', 'a header and no rows; expected a row for each state and year (state, year, gdp_usd_bn)');
  const lineOf = new Map<string, number>(); // each state's year's row: a second one replaced the first without a word
  for (const { line, values } of table.rows) {
    // a row for a state the scenario does not model is passed over, but one that names no state at all ("kaz", "KAZ ",
    // nothing) is a slip, which dropped that year's GDP without a word
    if (!STATE_CODE.test(values.state))
      throw new InputError(shown, `line ${line}`, `state ${JSON.stringify(values.state)}; expected a three-letter upper-case state code (rows of states the scenario does not model are passed over)`);
    const state = scenario.states[values.state];
    if (!state) continue; // data for states the scenario does not model
    const value = decimalNumber(values.gdp_usd_bn);
    const year = /^\d{4}$/.test(values.year) ? Number(values.year) : NaN;
    if (!(year >= FIRST_YEAR && year <= LAST_YEAR) || !(value > 0))
      throw new InputError(shown, `line ${line}`, `year ${JSON.stringify(values.year)}, GDP ${JSON.stringify(values.gdp_usd_bn)}; expected a four-digit year from ${FIRST_YEAR} to ${LAST_YEAR} and a positive number`);
    const key = `${values.state} ${values.year}`;
    const first = lineOf.get(key);
    if (first !== undefined) throw new InputError(shown, `line ${line}`, `${key} again (line ${first} has it too); expected one GDP a state and year`);
    lineOf.set(key, line);
    state.gdpPath = { ...state.gdpPath, [values.year]: value };
  }
}

/** Whether a JSON document is an experiment file, not a scenario: it names its scenario and has no states of its own. */
export function isExperimentDocument(doc: unknown): boolean {
  const d = doc as Record<string, unknown> | null;
  return d !== null && typeof d === 'object' && typeof d.scenario === 'string' && d.states === undefined;
}

/** SHA-256 of a resolved scenario's canonical JSON (`LoadedScenario.sha256`). */
export function scenarioHash(scenario: Scenario): string {
  return createHash('sha256').update(canonicalJson(scenario)).digest('hex');
}

/** Loads, resolves and validates a scenario file; throws {@link InputError} on bad input. */
export async function loadScenario(file: string, overrides: { seed?: number } = {}): Promise<LoadedScenario> {
  const { doc, origins, chain } = resolveDocument(resolve(file), fileHost);
  // an experiment given where a scenario goes said "start: missing"
  if (isExperimentDocument(doc))
    throw new InputError(fileHost.display(resolve(file)), '', 'is an experiment file, not a scenario; expected a scenario (an experiment runs with spillover sweep)');
  const scenario = validateScenario(doc, origins);
  if (overrides.seed !== undefined) scenario.seed = overrides.seed;
  loadGdpPaths(scenario, origins);
  const formulas = await compileFormulas(scenario, origins);
  return { scenario, formulas, chain, origins, sha256: scenarioHash(scenario) };
}
