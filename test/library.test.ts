/**
 * The package as a library: `import ... from 'spillover'` (the package's own name, through its `exports`) gives the
 * public API, and a run through it equals a run through the modules themselves.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempFolder } from './fixtures.js';
import { usableCores } from '../src/experiment/cores.js';
import { loadScenario as loadDirect } from '../src/scenario/load.js';
import { simulate as simulateDirect } from '../src/engine/simulate.js';

test("the package's entry point exports the public API, and runs equal the modules' own", async () => {
  const api = await import('spillover');
  for (const name of ['loadScenario', 'simulate', 'Runner', 'series', 'buildWorld', 'MODEL_VERSION', 'summarise', 'timeseriesCsv', 'loadExperiment', 'ensembleExperiment', 'runExperiment', 'mergeShards', 'openShards', 'writeSeries', 'pointAt', 'runSeed', 'calibrationInputs', 'fit', 'InputError'])
    assert.ok(name in api, `spillover exports ${name}`);
  const viaPackage = api.simulate(await api.loadScenario('scenarios/baseline.json'), 3);
  const direct = simulateDirect(await loadDirect('scenarios/baseline.json'), 3);
  assert.ok(Buffer.from(viaPackage.values.buffer).equals(Buffer.from(direct.values.buffer)));
  assert.is(api.timeseriesCsv(viaPackage).split('\n')[0], 'step,time,entity,variable,value');
});

test('an experiment run from code needs only its output folder; the defaults are the command line\'s', async () => {
  const api = await import('spillover');
  const x = await api.ensembleExperiment('scenarios/baseline.json', 8, 1, ['trade_usd']);
  const dir = tempFolder('spillover-lib-');
  const stats = await api.runExperiment(x, { out: join(dir, 'plain') });
  assert.is(stats.ran, 8);
  assert.ok(stats.complete);
  await api.runExperiment(x, { out: join(dir, 'spelled'), workers: 1, resume: false, shard: { index: 1, count: 1 }, manifest: {} });
  for (const file of ['runs.csv', 'quantiles.csv']) assert.is(readFileSync(join(dir, 'plain', file), 'utf8'), readFileSync(join(dir, 'spelled', file), 'utf8'), file);
  assert.is(JSON.parse(readFileSync(join(dir, 'plain', 'manifest.json'), 'utf8')).workers, usableCores());
  for (const [options, said] of [[{ workers: 0 }, /workers is 0/], [{ workers: 1.5 }, /workers is 1.5/], [{ shard: { index: 3, count: 2 } }, /shard is 3\/2/]] as const)
    await api.runExperiment(x, { out: join(dir, 'bad'), ...options }).then(
      () => assert.unreachable(JSON.stringify(options)),
      (e: Error) => assert.match(e.message, said),
    );
  assert.not.ok(existsSync(join(dir, 'bad')), 'nothing written for options refused');
  // shards run and merged from code; the merge's folder serves as --reuse, through its shards' folders
  await api.runExperiment(x, { out: join(dir, 's1'), shard: { index: 1, count: 2 } });
  await api.runExperiment(x, { out: join(dir, 's2'), shard: { index: 2, count: 2 } });
  const told: number[] = [];
  api.mergeShards([join(dir, 's1'), join(dir, 's2')], join(dir, 'merged'), undefined, { onProgress: (p) => told.push(p.done) });
  assert.equal(told, [4, 8], 'a merge tells the runs aggregated so far');
  const again = await api.runExperiment(x, { out: join(dir, 'again'), reuse: [join(dir, 'merged')] });
  assert.equal([again.ran, again.reused], [0, 8]);
  assert.is(readFileSync(join(dir, 'again', 'runs.csv'), 'utf8'), readFileSync(join(dir, 'plain', 'runs.csv'), 'utf8'));
});

test('the entry point only re-exports', () => {
  const code = readFileSync('src/index.ts', 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').trim();
  for (const line of code.split('\n')) assert.match(line, /^export (type )?\{[^}]*\} from '\.\/[\w/-]+\.js';$/, line);
});

test('the packed package holds its licence, changelog, data and examples, and every scenario and experiment in it loads', async () => {
  const dir = tempFolder('spillover-pack-');
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { encoding: 'utf8' });
  assert.is(pack.status, 0, pack.stderr);
  const tarball = join(dir, pack.stdout.trim().split('\n').pop()!);
  assert.is(spawnSync('tar', ['xzf', tarball, '-C', dir]).status, 0);
  const pkg = join(dir, 'package');
  for (const file of ['LICENSE', 'CHANGELOG.md', 'README.md', 'CITATION.cff']) assert.ok(existsSync(join(pkg, file)), file);
  // what a user reads or runs from an installed copy: the shipped examples and the data the historical scenario reads
  for (const folder of ['scenarios', 'experiments', 'data'])
    for (const file of readdirSync(folder, { recursive: true, encoding: 'utf8' }))
      assert.ok(existsSync(join(pkg, folder, file)), `${folder}/${file} is in the package`);
  symlinkSync(resolve('node_modules'), join(pkg, 'node_modules'));
  const api = await import(pathToFileURL(join(pkg, 'dist/index.js')).href);
  const jsonIn = (folder: string) => readdirSync(join(pkg, folder)).filter((f) => f.endsWith('.json')).map((f) => join(pkg, folder, f));
  for (const file of [...jsonIn('scenarios'), ...jsonIn('scenarios/world')]) await api.loadScenario(file);
  for (const file of jsonIn('experiments')) await api.loadExperiment(file);
  // an empty project folder: the command lists the package's own scenarios, each of them valid
  const listed = spawnSync(process.execPath, [join(pkg, 'dist/cli/spillover.js'), 'scenarios'], { cwd: dir, encoding: 'utf8' });
  assert.is(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /historical\.json/);
  assert.not.match(listed.stdout + listed.stderr, /not a valid scenario/);
});

test.run();
