/**
 * The scope a scenario's `utility` formula is evaluated in: its variables, which the payoffs phase fills at every
 * evaluation, and the functions it may call. Those are the engine's (engine/math), not mathjs's, which are the
 * JavaScript engine's `Math` and differ in the last bit from one JavaScript engine to another: mathjs looks a called
 * function up in the scope before its own, and `compileFormulas` turns `^` into a call of `pow`. The rest of what a
 * formula may call (abs, sqrt, min, max, floor, ceil, round, sign, mod) is exact in every engine.
 */
import { UTILITY_VARIABLES, type UtilityScope } from '../scenario/formulas.js';
import { cbrt, cos, cosh, exp, hypot, log, log10, log2, pow, sin, sinh, tanh } from './math/index.js';

/** What a formula's calls of these names run; `log(x, base)` is mathjs's logarithm to a base. */
const FORMULA_FUNCTIONS = {
  exp, log: (x: number, base?: number) => (base === undefined ? log(x) : log(x) / log(base)), log10, log2, pow,
  sin, cos, sinh, cosh, tanh, cbrt, hypot,
};

/** A new scope: every variable 0, and the functions. */
export function formulaScope(): UtilityScope {
  return { ...(Object.fromEntries(UTILITY_VARIABLES.map((v) => [v, 0])) as UtilityScope), ...FORMULA_FUNCTIONS };
}
