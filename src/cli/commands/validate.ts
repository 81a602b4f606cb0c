/** `spillover validate <file>`: check a scenario or an experiment file without running it. */
import { resolve } from 'node:path';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { loadExperiment, type ResolvedExperiment } from '../../experiment/load.js';
import { fileHost, isExperimentDocument, loadScenario } from '../../scenario/load.js';
import { parseJson } from '../../scenario/resolve.js';
import { experimentMeta } from '../../experiment/meta.js';
import { countReusable, openReuse } from '../../experiment/reuse.js';
import { InputError } from '../../scenario/errors.js';
import { givenReuseFolders, reuseFolders } from '../experiment-options.js';
import { shellWord } from '../shell-word.js';
import { withShardsOfMerges } from '../../experiment/manifest-file.js';
import { QUANTILE_ROW_BYTES, sizeShown } from '../disk-space.js';
import { counted } from '../shown.js';
import { recordLayout, type ExperimentMeta } from '../../experiment/layout.js';
import { quantileRowCount } from '../../experiment/quantile-rows.js';
import { calibrationInputs, observationCount } from '../../calibrate/targets.js';

interface ValidateArgs {
  file: string;
  reuse?: string | string[];
}

export const command = 'validate <file>';
export const describe = 'Check a scenario file (and the files it extends) or an experiment file without running it';

export function builder(y: Argv): Argv<ValidateArgs> {
  return y
    .positional('file', { type: 'string', describe: 'scenario or experiment file (JSON)', demandOption: true })
    .example('$0 validate scenarios/deep-integration.json', 'exit 0 and a one-line summary if valid; exit 2 and the first error if not')
    .option('reuse', { type: 'string', describe: 'with an experiment: say how many of its runs these earlier output folders hold (see sweep --reuse); repeatable' })
    .example('$0 validate experiments/levers-lhs.json', 'an experiment: its scenario, design, values and kept variables, and how many runs it makes')
    .example('$0 validate bigger.json --reuse output/smaller', 'and how many of them an earlier sweep already ran') as Argv<ValidateArgs>;
}

/**
 * Whether a file is an experiment (`isExperimentDocument`). Anything else, unreadable or malformed included, is
 * checked as a scenario, whose loader says what is wrong.
 */
function isExperiment(file: string): boolean {
  const text = fileHost.read(resolve(file));
  if (text === undefined) return false;
  try {
    return isExperimentDocument(parseJson(text, file)); // as the loaders parse it: a byte order mark is no error
  } catch {
    return false;
  }
}

/**
 * How many runs of `x` each of `folders` would give, as `sweep --reuse` takes them: each folder the runs the ones
 * before it did not give.
 */
function reusableRuns(x: ResolvedExperiment, meta: ExperimentMeta, folders: string[]): number[] {
  const done = new Uint8Array(x.runs);
  return folders.map((folder) => {
    const source = openReuse(folder, meta);
    try {
      return countReusable(source, meta, done, 0, x.runs);
    } finally {
      source.store.close();
    }
  });
}

export async function handler(argv: ArgumentsCamelCase<ValidateArgs>): Promise<void> {
  if (isExperiment(argv.file)) {
    const x = await loadExperiment(argv.file);
    // one meta (and world) for the sizes and the folders' counts
    const meta = experimentMeta(x);
    const steps = meta.times.length;
    // counted before anything is printed, so that a folder refused leaves no "ok" line
    // a merge's folder is counted through its shards' folders, and named as given
    const folders = givenReuseFolders(argv);
    const read = folders.map((f) => withShardsOfMerges([f]));
    const inRead = reusableRuns(x, meta, read.flat());
    let at = 0;
    const counts = read.map((shards) => shards.reduce((sum) => sum + inRead[at++], 0));
    console.log(
      `ok: ${x.source} is experiment "${x.experiment.name}": ${counted(x.points.count, 'design point')} (${x.experiment.design.type}` +
        `${x.parameters.length ? ` over ${x.parameters.join(', ')}` : ''}) × ${counted(x.experiment.replicates, 'replicate')}${x.experiment.pairedSeeds ? ' (seeds paired across points)' : ''} = ${counted(x.runs, 'run')} of ` +
        `${x.loaded.chain[x.loaded.chain.length - 1]}, keeping ${x.cells.length} series × ${steps} steps; hash ${x.hash.slice(0, 12)}`,
    );
    // what it will write, to plan its disk: the records exactly, quantiles.csv at some 95 bytes a row
    const record = recordLayout(meta).bytes;
    const rows = quantileRowCount(meta);
    const quantiles = rows > 0 ? `${rows.toLocaleString('en')} rows, about ${sizeShown(QUANTILE_ROW_BYTES * rows)}` : 'its header alone (keep is empty)';
    console.log(`  records: ${(record / 1e3).toFixed(1)} KB a run, ${sizeShown(record * x.runs)} in runs.bin; quantiles.csv: ${quantiles}`);
    folders.forEach((folder, k) => console.log(`  ${counts[k]} of its runs are in ${folder}`));
    if (folders.length) console.log(`  ${x.runs - counts.reduce((a, b) => a + b, 0)} to run with --reuse ${folders.map(shellWord).join(' --reuse ')}`);
    return;
  }
  if (reuseFolders(argv).length) throw new InputError('--reuse', '', `is for an experiment file; ${argv.file} is a scenario`);
  const loaded = await loadScenario(argv.file);
  const { scenario: s, chain } = loaded;
  // its calibration too, data files included: a malformed target file passed here and was refused by calibrate only
  const c = s.calibration ? calibrationInputs(loaded) : undefined;
  const steps = Math.round((s.end - s.start) * s.stepsPerYear);
  console.log(
    `ok: ${chain[chain.length - 1]} is scenario "${s.name}": ${Object.keys(s.states).length} states, ` +
      `${Object.keys(s.sectors).length} sectors, ${s.shocks.length} shocks, ${s.start}-${s.end} in ${steps} steps` +
      (chain.length > 1 ? ` (extends ${chain.slice(0, -1).join(' <- ')})` : '') +
      (c ? `; calibration: ${counted(c.parameters.length, 'parameter')} fitted to ${counted(c.targets.length, 'target')} (${counted(observationCount(c.targets), 'observation')})${c.checks.length ? `, ${counted(c.checks.length, 'check')} (${counted(observationCount(c.checks), 'observation')})` : ''}` : ''),
  );
}
