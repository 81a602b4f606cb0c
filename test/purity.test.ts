/**
 * The engine is a pure function of (scenario, seed): nothing under src/engine, and nothing in the scenario
 * layer but its file loader, touches the file system, the console, the clock, global randomness or the process.
 * This reads the source, so a forbidden call fails the suite the day it is written.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

function files(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(folder, e.name)) : [join(folder, e.name)]));
}

const FORBIDDEN: Array<[RegExp, string]> = [
  [/from ['"](node:)?fs['"]|require\(['"](node:)?fs/, 'fs'],
  [/\bconsole\./, 'console'],
  [/\bDate\b/, 'Date'],
  [/Math\.random/, 'Math.random'],
  [/\bprocess\./, 'process'],
  [/from ['"]node:/, 'a Node built-in module'],
];

test('engine and pure scenario modules use no fs, console, Date, Math.random or process', () => {
  const pure = [...files('src/engine'), ...files('src/scenario').filter((f) => !f.endsWith('load.ts'))];
  assert.ok(pure.length > 20);
  for (const file of pure) {
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    for (const [pattern, what] of FORBIDDEN) assert.not.match(code, pattern, `${file} uses ${what}`);
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

test.run();
