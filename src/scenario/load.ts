/**
 * Loading a scenario from the file system: the only file I/O of the scenario layer. Reads the file and
 * its `extends` chain, validates, compiles formulas and hashes the result.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { compileFormulas } from './formulas.js';
import type { LoadedScenario } from './loaded.js';
import { resolveDocument, type DocumentHost } from './resolve.js';
import { validateScenario } from './validate.js';
import { canonicalJson } from './canonical.js';

/** A host reading from the file system; paths are shown relative to the working folder. */
export const fileHost: DocumentHost = {
  read: (path) => (existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined),
  resolve: (from, reference) => (isAbsolute(reference) ? reference : resolve(dirname(from), reference)),
  display: (path) => {
    const rel = relative(process.cwd(), path);
    return rel && !rel.startsWith('..') ? rel : path;
  },
};

/** Loads, resolves and validates a scenario file; throws {@link InputError} on bad input. */
export async function loadScenario(file: string, overrides: { seed?: number } = {}): Promise<LoadedScenario> {
  const { doc, origins, chain } = resolveDocument(resolve(file), fileHost);
  const scenario = validateScenario(doc, origins);
  if (overrides.seed !== undefined) scenario.seed = overrides.seed;
  const formulas = await compileFormulas(scenario, origins);
  const text = canonicalJson(scenario);
  return { scenario, formulas, chain, sha256: createHash('sha256').update(text).digest('hex') };
}
