/**
 * A fingerprint of runs, for comparing one JavaScript engine's with another's (browser-engine.test.ts bundles this
 * for the browser): for each seed 1..runs, an FNV-1a hash of the bits of every value the run records.
 */
import { Runner } from '../src/engine/simulate.js';
import { buildWorld } from '../src/engine/world.js';
import type { Scenario } from '../src/scenario/schema.js';

/** One hash (8 hex digits) per run, seeds 1..runs, of a scenario without formulas. */
export function fingerprints(scenario: Scenario, runs: number): string[] {
  const runner = new Runner(buildWorld({ scenario, formulas: {} }));
  const out: string[] = [];
  for (let seed = 1; seed <= runs; seed++) {
    const { values } = runner.run(seed, { events: false });
    const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
    let h = 0x811c9dc5;
    for (let k = 0; k < words.length; k++) h = Math.imul(h ^ words[k], 0x01000193);
    out.push((h >>> 0).toString(16).padStart(8, '0'));
  }
  return out;
}
