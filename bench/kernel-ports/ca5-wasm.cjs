// Runs the WebAssembly kernel (ca5.wasm, built by run.sh) like ca5-limit.js runs its own: seeds 1..N, the ensemble
// loop timed alone, one JSON line.
'use strict';
const { readFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const wasm = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(process.argv[3])), { env: { abort() { throw new Error('abort'); } } }).exports;
wasm.init();
const runs = Number(process.argv[2] || 10000);
let sumFinal = 0, sumCheck = 0;
const t0 = performance.now();
for (let seed = 1; seed <= runs; seed++) {
  sumFinal += wasm.runOne(seed);
  sumCheck += wasm.checksum();
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ impl: 'ca5-wasm', runs, ensembleMs: +ms.toFixed(1), runsPerSec: +(runs / (ms / 1000)).toFixed(1), meanFinalTrade: sumFinal / runs, meanSeriesChecksum: sumCheck / runs }));
