/**
 * The package as a library: `import ... from 'spillover'` (the package's own name, through its `exports`) gives the
 * public API, and a run through it equals a run through the modules themselves.
 */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
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

test('the entry point only re-exports', () => {
  const code = readFileSync('src/index.ts', 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').trim();
  for (const line of code.split('\n')) assert.match(line, /^export (type )?\{[^}]*\} from '\.\/[\w/-]+\.js';$/, line);
});

test.run();
