/**
 * The engine is a pure function of (scenario, seed): nothing under src/engine, and nothing in the scenario
 * layer but its file loader, touches the file system, the console, the clock, global randomness or the process.
 * This reads the source, so a forbidden call fails the suite the day it is written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenario } from '../src/scenario/load.js';
import { withValuesAt } from '../src/scenario/paths.js';
import { buildWorld } from '../src/engine/world.js';
import { Runner, simulate } from '../src/engine/simulate.js';

function files(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(folder, e.name)) : [join(folder, e.name)]));
}

/** A source file's code without its comments (so that a word in a comment fails nothing). */
const codeOf = (file: string) => readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

const FORBIDDEN: Array<[RegExp, string]> = [
  [/from ['"](node:)?fs['"]|require\(['"](node:)?fs/, 'fs'],
  [/\bconsole\./, 'console'],
  [/\bDate\b/, 'Date'],
  [/Math\.random/, 'Math.random'],
  [/\bprocess\./, 'process'],
  [/from ['"]node:/, 'a Node built-in module'],
];

test('engine and pure scenario modules use no fs, console, Date, Math.random or process', () => {
  const pure = [...files('src/engine'), ...files('src/math'), ...files('src/scenario').filter((f) => !f.endsWith('load.ts'))];
  assert.ok(pure.length > 20);
  for (const file of pure) {
    const code = codeOf(file);
    for (const [pattern, what] of FORBIDDEN) assert.not.match(code, pattern, `${file} uses ${what}`);
  }
});

test('the engine and the formulas take exp, log, powers and trigonometry from src/math, never from Math or **', () => {
  // ECMAScript leaves these to each JavaScript engine, and engines differ in the last bit (see src/math/index.ts)
  const engine = [...files('src/engine'), 'src/scenario/formulas.ts'];
  assert.ok(engine.length > 20);
  const approximated = /Math\.(exp|expm1|log|log1p|log2|log10|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|cbrt|hypot)\b|\*\*/;
  for (const file of engine) assert.not.match(codeOf(file), approximated, `${file} uses a function whose bits depend on the JavaScript engine`);
});

test('no thread transfers an ArrayBuffer (the first detach makes V8 check every typed-array access: the engine 18% slower)', () => {
  const code = files('src').filter((f) => f.endsWith('.ts')).map((f) => [f, codeOf(f)]);
  assert.ok(code.some(([, c]) => /postMessage\(/.test(c)), 'the experiments layer posts messages');
  for (const [file, c] of code) {
    // postMessage with one argument only (a second is a transfer list or options), no structuredClone `transfer`, no
    // ArrayBuffer#transfer
    for (const call of c.match(/postMessage\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)/g) ?? []) {
      let top = call.slice('postMessage('.length, -1);
      for (let before = ''; before !== top; ) [before, top] = [top, top.replace(/\([^()]*\)|\[[^[\]]*\]|\{[^{}]*\}/g, '')];
      assert.not.ok(top.includes(','), `${file}: ${call} has a second argument (a transfer list?)`);
    }
    assert.not.match(c, /structuredClone\([^)]*transfer|\.transfer(ToFixedLength)?\(/, `${file} transfers an ArrayBuffer`);
  }
});

test('the engine imports nothing above it', () => {
  for (const file of files('src/engine')) {
    const code = readFileSync(file, 'utf8');
    assert.not.match(code, /from ['"]\.\.\/(\.\.\/)?(collect|report|cli|experiment|calibrate)\//, `${file} reaches up`);
  }
});

test('the engine does not load zod or mathjs (every worker and the browser page load the engine)', () => {
  // the closure of the engine's value imports (not `import type`), followed through relative paths
  const seen = new Set<string>();
  const queue = files('src/engine');
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
      const target = m[1];
      assert.not.match(target, /^(zod|mathjs)$/, `${file} imports ${target}`);
      if (target.startsWith('.')) queue.push(join(file, '..', target).replace(/\.js$/, '.ts'));
    }
  }
  assert.ok(seen.has(join('src', 'scenario', 'shock-types.ts')), 'the walk follows imports out of the engine');
});

function deepFreeze<T>(node: T): T {
  if (node !== null && typeof node === 'object' && !Object.isFrozen(node)) {
    Object.freeze(node);
    for (const child of Object.values(node)) deepFreeze(child);
  }
  return node;
}

test('the engine never writes into its scenario (design points share the parts of it they do not change)', async () => {
  for (const file of ['scenarios/baseline.json', 'scenarios/kyrgyz-tajik-clash.json', 'scenarios/severe-drought.json']) {
    const loaded = await loadScenario(file);
    const expected = simulate(loaded, 5).values;
    // modules are strict code: a write into a frozen object throws
    const world = buildWorld({ ...loaded, scenario: deepFreeze(structuredClone(loaded.scenario)) });
    const runner = new Runner(world);
    for (const seed of [5, 6, 5]) runner.run(seed);
    assert.equal(Array.from(runner.run(5).values), Array.from(expected), file);
  }
});

test('withValuesAt: sets values by path, changes nothing of the original and shares what it does not change', () => {
  const root = deepFreeze({ a: { b: 1, c: { d: 2 } }, e: [1, 2], f: { g: 3 } });
  const out = withValuesAt(root, { 'a.c.d': 5, 'e.1': 7, 'h.i': 8 });
  assert.equal(out, { a: { b: 1, c: { d: 5 } }, e: [1, 7], f: { g: 3 }, h: { i: 8 } });
  assert.ok(Array.isArray(out.e));
  assert.is(out.f, root.f, 'untouched objects are shared');
  assert.equal(root, { a: { b: 1, c: { d: 2 } }, e: [1, 2], f: { g: 3 } });
});

test.run();
