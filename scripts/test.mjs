// Runs the uvu suite (TypeScript through tsx) and closes with the line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let dir = dirname(require.resolve('uvu'));
while (!existsSync(join(dir, 'bin.js'))) dir = dirname(dir);
const { FORCE_COLOR, ...plainEnv } = process.env;
const plainOutput = !process.stdout.isTTY;
// uvu sets FORCE_COLOR unless told --no-color, and Node 24 warns on stderr of every child process that has both it and
// NO_COLOR, which failed the tests that read a command's stderr
const args = ['--import', 'tsx', join(dir, 'bin.js'), 'test', '\\.test\\.ts$', ...(plainOutput ? ['--no-color'] : []), ...process.argv.slice(2)];
const env = plainOutput ? { ...plainEnv, NO_COLOR: '1' } : process.env;
const result = spawnSync(process.execPath, args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
const plain = result.stdout.replace(/\x1b\[[0-9;]*m/g, '');
const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0);
const failed = result.status === 0 ? total - passed : Math.max(1, total - passed);
console.log(`${passed} passed, ${failed} failed`);
process.exit(result.status === 0 && failed === 0 ? 0 : 1);
