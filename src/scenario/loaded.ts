import type { CompiledFormulas } from './formulas.js';
import type { OriginTree } from './merge.js';
import type { Scenario } from './schema.js';

/** A scenario ready to run: validated, with its formulas compiled. */
export interface LoadedScenario {
  scenario: Scenario;
  formulas: CompiledFormulas;
  /** Files of the `extends` chain, root ancestor first. */
  chain: string[];
  /** Where each value of the resolved scenario was written, for errors found after loading. */
  origins?: OriginTree;
  /** SHA-256 of the canonical JSON of the resolved scenario. */
  sha256: string;
  /** Numbers set from the command line (`--set`) over the files' values, by path; the changes are in `scenario` and `sha256`. */
  set?: Record<string, number>;
}
