/** `run --write-state`: the state at the end of a run as a scenario file that a projection extends. */
import { dirname, join, relative, resolve } from 'node:path';
import { InputError } from '../scenario/errors.js';
import type { LoadedScenario } from '../scenario/loaded.js';
import { deriveSeed } from '../engine/rng.js';
import { runFailureAsInput } from '../engine/overflow.js';
import { simulate, type RunResult } from '../engine/simulate.js';
import { endState } from '../collect/end-state.js';
import { MODEL_VERSION } from '../engine/version.js';
import { PACKAGE_ROOT } from './package-info.js';
import { GENERATED_MARK, GENERATED_SCENARIO, refuseHandWritten, writeFileAtomic } from './write-folder.js';
import { counted } from './shown.js';

/** `$schema` of a generated scenario file, relative to where it is written. */
export function schemaReference(file: string): string {
  return relative(dirname(file), join(PACKAGE_ROOT, 'schema', 'scenario.schema.json')).split('\\').join('/');
}

/** Refuses, before anything is run or written, a scenario whose end state cannot be written, or a file it would replace. */
export function checkCanWriteState(loaded: LoadedScenario, target: string): void {
  if (loaded.chain.length < 2)
    throw new InputError(loaded.chain[0], 'extends', 'missing; --write-state writes a scenario that extends this scenario\'s parent, so the scenario must extend one');
  refuseHandWritten(target, GENERATED_SCENARIO, '--write-state');
}

export function writeStateScenario(loaded: LoadedScenario, run: RunResult, replicates: number, target: string): void {
  checkCanWriteState(loaded, target);
  const chain = loaded.chain;
  let runs: RunResult[];
  try {
    runs = replicates === 1 ? [run] : Array.from({ length: replicates }, (_, r) => simulate(run.world, deriveSeed(run.seed, 'state', r)));
  } catch (e) {
    throw runFailureAsInput(e, chain[chain.length - 1]);
  }
  const file = resolve(target);
  const sc = loaded.scenario;
  const document = {
    $schema: schemaReference(file),
    extends: relative(dirname(file), resolve(chain[chain.length - 2])).split('\\').join('/'),
    name: `${sc.name}-end`,
    description: `The state reached at ${sc.end} by \`${sc.name}\` (mean of ${counted(replicates, 'run')} from seed ${run.seed}, model ${MODEL_VERSION}), as a starting point for projections. ${GENERATED_MARK} rather than edit.`,
    ...endState(runs),
  };
  writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`);
}
