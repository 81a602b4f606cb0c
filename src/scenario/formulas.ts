/**
 * Scenario formulas: mathjs expressions for documented hooks, compiled once when the scenario loads and
 * evaluated in a restricted scope. The parse tree is checked against allow lists of node kinds, functions
 * and variables, so `import`, `createUnit`, `evaluate`, `parse`, `compile`, `simplify`, `derivative`,
 * assignments and anything else not listed are refused before anything runs. mathjs is imported only when a
 * scenario has formulas: loading all of it costs about a second.
 */
import { InputError, RunInputError } from './errors.js';
import { locate, type Origin, type OriginTree } from './merge.js';
import type { Scenario } from './schema.js';
import { cbrt, cos, cosh, exp, hypot, log, log10, log2, pow, sin, sinh, tanh } from '../math/index.js';

/** Variables a `utility` formula may read: one state, one sector, one step. */
export const UTILITY_VARIABLES = [
  'coop', 'agreement', 'regionCoop', 'benefit', 'cost', 'exposure', 'openness', 'security', 'trust', 'support',
  'waterStress', 'gdp', 'population', 'upstream', 'institutions', 'investment', 't', 'year',
] as const;
export type UtilityVariable = (typeof UTILITY_VARIABLES)[number];
/** The scope object the engine fills and reuses for every evaluation (no allocation per call). */
export type UtilityScope = Record<UtilityVariable, number>;

/**
 * What a formula's calls of these names run: the project's own functions (src/math), not mathjs's, which are the
 * JavaScript engine's `Math` and differ in the last bit from one JavaScript engine to another. mathjs looks a called
 * function up in the scope before its own, and `compileFormulas` turns `^` into a call of `pow`. The rest of what a
 * formula may call (abs, min, max, floor, ceil, round, sign, mod) is exact in every engine. `log(x, base)` is
 * mathjs's logarithm to a base. `sqrt` is `Math.sqrt` (correctly rounded in every engine, as mathjs's is for x >= 0),
 * so that the root of a negative number is NaN, as a run reports it (see `utilityNaN`), not mathjs's complex number,
 * which a run turned into NaN without a word and then blamed on the variables of the next step.
 */
const FORMULA_FUNCTIONS = {
  exp, log: (x: number, base?: number) => (base === undefined ? log(x) : log(x) / log(base)), log10, log2, pow,
  sin, cos, sinh, cosh, tanh, cbrt, hypot, sqrt: (x: number) => Math.sqrt(x),
};

/**
 * A new scope for a `utility` formula: every variable 0, and the functions it may call. The payoffs phase fills the
 * variables at every evaluation; the check at load evaluates in one too, so that it computes what a run does.
 */
export function formulaScope(): UtilityScope {
  return { ...(Object.fromEntries(UTILITY_VARIABLES.map((v) => [v, 0])) as UtilityScope), ...FORMULA_FUNCTIONS };
}

const ALLOWED_FUNCTIONS = new Set([
  'abs', 'exp', 'log', 'log10', 'log2', 'sqrt', 'cbrt', 'pow', 'min', 'max', 'tanh', 'sinh', 'cosh', 'sin', 'cos',
  'floor', 'ceil', 'round', 'sign', 'mod', 'hypot',
]);
const ALLOWED_CONSTANTS = new Set(['pi', 'e']);
/**
 * Operators, by mathjs's name for them: arithmetic, comparisons, logic, bitwise and `??`. Not `!` (factorial), whose
 * fractional values are mathjs's gamma, computed with the JavaScript engine's `Math.pow`, `Math.exp` and `Math.sin`, so
 * their last bits differ from one engine to another; nor `to`/`in` (units) or `'` (transpose), which mean nothing here.
 */
const ALLOWED_OPERATORS = new Map([
  ['add', '+'], ['subtract', '-'], ['multiply', '*'], ['divide', '/'], ['mod', '% mod'], ['pow', '^'], ['unaryMinus', '-'],
  ['unaryPlus', '+'], ['dotMultiply', '.*'], ['dotDivide', './'], ['dotPow', '.^'], ['equal', '=='], ['unequal', '!='],
  ['smaller', '<'], ['larger', '>'], ['smallerEq', '<='], ['largerEq', '>='], ['and', 'and'], ['or', 'or'], ['xor', 'xor'],
  ['not', 'not'], ['bitAnd', '&'], ['bitOr', '|'], ['bitXor', '^|'], ['bitNot', '~'], ['leftShift', '<<'],
  ['rightArithShift', '>>'], ['rightLogShift', '>>>'], ['nullish', '??'],
]);
/** The operators' symbols, each once (`-` and `+` name two operators each), for messages. */
const OPERATOR_SYMBOLS = [...new Set(ALLOWED_OPERATORS.values())].join(' ');

/** What a `utility` formula may use, in words: the description of `formulas.utility` in the JSON Schema. */
export const UTILITY_SYNTAX = `variables ${UTILITY_VARIABLES.join(', ')}; constants pi, e; functions ${[...ALLOWED_FUNCTIONS].join(', ')}; operators ${OPERATOR_SYMBOLS} and cond ? a : b`;

const ALLOWED_NODES = new Set([
  'ConstantNode', 'SymbolNode', 'OperatorNode', 'ParenthesisNode', 'FunctionNode', 'ConditionalNode', 'RelationalNode',
]);

/** Compiled hooks; absent when the scenario has none, so the hot path pays nothing. */
export interface CompiledFormulas {
  /** The formula's value; NaN also where it gave something else or failed (see `utilityNaN`). */
  utility?: (scope: UtilityScope) => number;
  /**
   * The input error for a `utility` that gave NaN (a logarithm or a root of a negative number, 0/0), something other
   * than a number, or an error, for `who` (a state, a sector, a time) at its last evaluation, naming the values of the
   * variables it read. The engine throws it: a NaN utility made every later value of the run NaN, and the command
   * exited 0.
   */
  utilityNaN?: (scope: UtilityScope, who: string) => RunInputError;
}

interface MathNode {
  type: string;
  name?: string;
  fn?: MathNode | string;
  op?: string;
  args?: MathNode[];
  traverse(cb: (node: MathNode, path: string, parent: MathNode | null) => void): void;
  transform(cb: (node: MathNode) => MathNode): MathNode;
  compile(): { evaluate(scope: object): unknown };
}

/** Where a scenario's `utility` formula is written (a worker compiling a scenario the main thread loaded is told). */
export function utilityOrigin(origins: OriginTree | undefined): Origin {
  return origins ? locate(origins, ['formulas', 'utility']) : { file: '', path: ['formulas', 'utility'] };
}

/**
 * Compiles `scenario.formulas`; an expression that is broken or not allowed is an input error, located through
 * `origins`, or at `origins` itself when it is the place (see `utilityOrigin`).
 */
export async function compileFormulas(scenario: Scenario, origins?: OriginTree | Origin): Promise<CompiledFormulas> {
  const text = scenario.formulas.utility;
  if (text === undefined) return {};
  const where = origins && 'file' in origins ? origins : utilityOrigin(origins);
  const fail = (detail: string): never => {
    throw new InputError(where.file, where.path, `${JSON.stringify(text)}: ${detail}`);
  };
  const math = await import('mathjs');
  let node: MathNode;
  try {
    node = math.parse(text) as unknown as MathNode;
  } catch (e) {
    return fail(`cannot parse (${(e as Error).message}); expected a mathjs expression`);
  }
  const variables = new Set<string>(UTILITY_VARIABLES);
  const reads = new Set<UtilityVariable>();
  node.traverse((n, _path, parent) => {
    if (!ALLOWED_NODES.has(n.type)) fail(`${n.type.replace('Node', '').toLowerCase()} expressions are not allowed; expected arithmetic on the documented variables`);
    if (n.type === 'OperatorNode' && !ALLOWED_OPERATORS.has(n.fn as string))
      fail(`operator ${JSON.stringify(n.op)} is not allowed; expected one of ${OPERATOR_SYMBOLS}`);
    if (n.type === 'FunctionNode') {
      const name = typeof n.fn === 'string' ? n.fn : n.fn?.name;
      if (!name || !ALLOWED_FUNCTIONS.has(name)) fail(`function ${JSON.stringify(name ?? '?')} is not allowed; expected one of ${[...ALLOWED_FUNCTIONS].join(', ')}`);
    } else if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && parent.fn === n)) {
      if (!variables.has(n.name!) && !ALLOWED_CONSTANTS.has(n.name!))
        fail(`unknown variable ${JSON.stringify(n.name)}; expected one of ${UTILITY_VARIABLES.join(', ')}`);
      if (variables.has(n.name!)) reads.add(n.name as UtilityVariable);
    }
  });
  // `^` calls mathjs's pow directly; as a call of `pow` it takes the one in the scope, the project's (see
  // FORMULA_FUNCTIONS), like the other functions a formula calls
  const powers = node.transform((n) =>
    n.type === 'OperatorNode' && (n.op === '^' || n.op === '.^') ? (new math.FunctionNode(new math.SymbolNode('pow'), n.args as never) as unknown as MathNode) : n,
  );
  const code = powers.compile();
  const gives = (result: unknown) => `gives ${typeof result === 'object' ? 'a matrix or unit' : typeof result}`;
  // with the functions a run calls: mathjs's own made (-8)^(1/3) or log(coop - 0.9) a complex number here, refused as
  // "a matrix or unit", while a run's pow and log give NaN (which the run then reports, see `utilityNaN`)
  const probe = formulaScope();
  for (const v of UTILITY_VARIABLES) probe[v] = 0.5;
  let result: unknown;
  try {
    result = code.evaluate(probe);
  } catch (e) {
    fail(`fails to evaluate (${(e as Error).message})`);
  }
  if (typeof result !== 'number') fail(`${gives(result)}; expected an expression that gives a number`);
  // What made a run's last evaluation NaN. A run meets values the check above did not: a branch that gives true or a
  // string (`year > 2030 ? coop > 0.5 : 0`) was added to the utility as 1 or made it NaN, and a bitwise operator given
  // a fraction threw mathjs's error out of the engine, an internal error. Both are now NaN, which the run reports as
  // bad input (`utilityNaN`), saying which it was.
  let problem = 'gives NaN';
  const evaluate = (scope: UtilityScope): number => {
    let value: unknown;
    try {
      value = code.evaluate(scope);
    } catch (e) {
      problem = `fails to evaluate (${(e as Error).message})`;
      return NaN;
    }
    if (typeof value === 'number') {
      if (value !== value) problem = 'gives NaN';
      return value;
    }
    problem = gives(value);
    return NaN;
  };
  const utilityNaN = (scope: UtilityScope, who: string) =>
    new RunInputError(
      where.file, where.path,
      `${JSON.stringify(text)}: ${problem} for ${who}${reads.size ? `, where ${[...reads].map((v) => `${v} = ${scope[v]}`).join(', ')}` : ''}`,
      `a number for every state, sector and step${problem === 'gives NaN' ? ' (a logarithm or a root of a negative number, or 0/0?)' : ''}`,
    );
  return { utility: evaluate, utilityNaN };
}
