/**
 * Scenario formulas: mathjs expressions for documented hooks, compiled once when the scenario loads and
 * evaluated in a restricted scope. The parse tree is checked against allow lists of node kinds, functions
 * and variables, so `import`, `createUnit`, `evaluate`, `parse`, `compile`, `simplify`, `derivative`,
 * assignments and anything else not listed are refused before anything runs. mathjs is imported only when a
 * scenario has formulas: loading all of it costs about a second.
 */
import { InputError } from './errors.js';
import { locate, type OriginTree } from './merge.js';
import type { Scenario } from './schema.js';

/** Variables a `utility` formula may read: one state, one sector, one step. */
export const UTILITY_VARIABLES = [
  'coop', 'agreement', 'regionCoop', 'benefit', 'cost', 'exposure', 'openness', 'security', 'trust', 'support',
  'waterStress', 'gdp', 'population', 'upstream', 'institutions', 'investment', 't', 'year',
] as const;
export type UtilityVariable = (typeof UTILITY_VARIABLES)[number];
/** The scope object the engine fills and reuses for every evaluation (no allocation per call). */
export type UtilityScope = Record<UtilityVariable, number>;

const ALLOWED_FUNCTIONS = new Set([
  'abs', 'exp', 'log', 'log10', 'log2', 'sqrt', 'cbrt', 'pow', 'min', 'max', 'tanh', 'sinh', 'cosh', 'sin', 'cos',
  'floor', 'ceil', 'round', 'sign', 'mod', 'hypot',
]);
const ALLOWED_CONSTANTS = new Set(['pi', 'e']);
const ALLOWED_NODES = new Set([
  'ConstantNode', 'SymbolNode', 'OperatorNode', 'ParenthesisNode', 'FunctionNode', 'ConditionalNode', 'RelationalNode',
]);

/** Compiled hooks; absent when the scenario has none, so the hot path pays nothing. */
export interface CompiledFormulas {
  utility?: (scope: UtilityScope) => number;
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

/**
 * Compiles `scenario.formulas`; an expression that is broken or not allowed is an input error, located through
 * `origins` (a worker compiling a scenario the main thread has already checked passes none).
 */
export async function compileFormulas(scenario: Scenario, origins?: OriginTree): Promise<CompiledFormulas> {
  const text = scenario.formulas.utility;
  if (text === undefined) return {};
  const fail = (detail: string): never => {
    const where = origins ? locate(origins, ['formulas', 'utility']) : { file: '', path: ['formulas', 'utility'] };
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
  node.traverse((n, _path, parent) => {
    if (!ALLOWED_NODES.has(n.type)) fail(`${n.type.replace('Node', '').toLowerCase()} expressions are not allowed; expected arithmetic on the documented variables`);
    if (n.type === 'FunctionNode') {
      const name = typeof n.fn === 'string' ? n.fn : n.fn?.name;
      if (!name || !ALLOWED_FUNCTIONS.has(name)) fail(`function ${JSON.stringify(name ?? '?')} is not allowed; expected one of ${[...ALLOWED_FUNCTIONS].join(', ')}`);
    } else if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && parent.fn === n)) {
      if (!variables.has(n.name!) && !ALLOWED_CONSTANTS.has(n.name!))
        fail(`unknown variable ${JSON.stringify(n.name)}; expected one of ${UTILITY_VARIABLES.join(', ')}`);
    }
  });
  // `^` calls mathjs's pow directly; as a call of `pow` it takes the one in the scope, the engine's (see
  // engine/formula-scope.ts), like the other functions a formula calls
  const powers = node.transform((n) =>
    n.type === 'OperatorNode' && (n.op === '^' || n.op === '.^') ? (new math.FunctionNode(new math.SymbolNode('pow'), n.args as never) as unknown as MathNode) : n,
  );
  const code = powers.compile();
  const evaluate = (scope: UtilityScope): number => code.evaluate(scope) as number;
  const probe = Object.fromEntries(UTILITY_VARIABLES.map((v) => [v, 0.5])) as UtilityScope;
  let result: unknown;
  try {
    result = evaluate(probe);
  } catch (e) {
    fail(`fails to evaluate (${(e as Error).message})`);
  }
  if (typeof result !== 'number') fail(`gives ${typeof result === 'object' ? 'a matrix or unit' : typeof result}; expected an expression that gives a number`);
  return { utility: evaluate };
}
