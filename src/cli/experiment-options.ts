/**
 * What `ensemble` and `sweep` share: options, shards from the command line or a scheduler's environment,
 * progress on stderr, and running the experiment with a manifest.
 */
import { freeSpace, QUANTILE_ROW_BYTES, sizeShown } from './disk-space.js';
import { refuseHandWritten, writeFileAtomic } from './write-folder.js';
import { makeFolder, refuseOtherKind } from '../experiment/make-folder.js';
import { basename, dirname, join, resolve } from 'node:path';
import { setFolder } from './folder-name.js';
import { counted, durationShown, shown } from './shown.js';
import { StatusLine } from './status-line.js';
import { shellWord } from './shell-word.js';
import type { Argv } from 'yargs';
import { decimalNumber } from '../scenario/csv.js';
import { InputError } from '../scenario/errors.js';
import type { ResolvedExperiment } from '../experiment/load.js';
import { MAIN_COMPUTES_FROM, prestartWorkers, runExperiment, type Progress, type Shard } from '../experiment/runner.js';
import { experimentMeta } from '../experiment/meta.js';
import { metaFileHash } from '../experiment/meta-file.js';
import { reusableByMetadata } from '../experiment/reuse.js';
import { distinctShardFolders } from '../experiment/manifest-file.js';
import { outputsOf, refuseForeignOutputs } from '../experiment/output-files.js';
import { runsCost } from '../experiment/seeds.js';
import { recordLayout, type ExperimentMeta } from '../experiment/layout.js';
import { quantileRowCount } from '../experiment/quantile-rows.js';
import { COMMAND, provenance } from './package-info.js';
import { checkWholeNumber } from './option-checks.js';
import { usableCores } from '../experiment/cores.js';

export interface ExperimentArgs {
  workers?: number;
  out?: string;
  resume?: boolean;
  /** One folder, or several when the option is repeated. */
  reuse?: string | string[];
  shard?: string;
  shardCount?: number;
  quiet?: boolean;
  emitSlurm?: string;
}

export function experimentOptions<T>(y: Argv<T>): Argv<T & ExperimentArgs> {
  return y
    .option('workers', { type: 'number', describe: `threads computing runs: one worker thread (on a single core, the main thread alone), or K-1 worker threads and the main thread (which computes in experiments of ${MAIN_COMPUTES_FROM} runs or more) (default: the number of cores this process may use, here ${usableCores()})` })
    .option('out', { type: 'string', describe: 'output folder (default: output/<name>/, with --set output/<name>-<path>=<value>/; shard I of several: shard-I/ inside it)' })
    .option('resume', { type: 'boolean', describe: 'keep the finished runs already in the output folder and run only the rest' })
    .option('reuse', { type: 'string', describe: 'copy the runs this experiment shares with an earlier output folder (same scenario and seed, keeping these variables or more; fewer design points or replicates) instead of running them again; repeatable' })
    .option('shard', { type: 'string', describe: 'run shard I of N ("I/N", from 1: a block of the runs, of equal cost with --reuse); default from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX' })
    .option('shard-count', { type: 'number', describe: 'number of shards: with a Kubernetes Indexed Job\'s JOB_COMPLETION_INDEX, or the array size of --emit-slurm' })
    .option('quiet', { type: 'boolean', describe: 'no progress, no summary' })
    .option('emit-slurm', { type: 'string', describe: 'write a SLURM array script (and its merge step) for this experiment instead of running it' })
    .check((argv) => argv.shardCount === undefined || checkWholeNumber('shard-count', 'shards', 1, 1_000_000)(argv)) as Argv<T & ExperimentArgs>;
}

/**
 * The shard to run: --shard, else a scheduler's array variables, else the whole experiment. A SLURM array task is
 * shard (ID - MIN) / STEP + 1 of COUNT (`--array=0-9` and `--array=1-10` are both ten shards, `--array=0-18:2` too);
 * without SLURM_ARRAY_TASK_COUNT (which older Slurm releases do not set) the count comes from MIN, MAX and STEP. A
 * task ID with neither is refused: every task of the array would have run the whole experiment.
 */
export function resolveShard(args: ExperimentArgs, env: NodeJS.ProcessEnv = process.env): Shard {
  const bad = (what: string, value: unknown, expected: string): never => {
    throw new InputError(what, '', `${JSON.stringify(value)} ${expected}`);
  };
  const shard = shardOf(args, env, bad);
  // --shard-count is read only with JOB_COMPLETION_INDEX (and by --emit-slurm): elsewhere it was passed over without a
  // word, and the whole experiment, or a shard of another count, ran in its place
  const { shardCount } = args;
  if (shardCount !== undefined && shard.count !== shardCount) {
    if (args.shard !== undefined) bad('--shard-count', shardCount, `and --shard ${JSON.stringify(args.shard)} give different numbers of shards; expected one of them`);
    if (env.SLURM_ARRAY_TASK_ID !== undefined) bad('--shard-count', shardCount, `is not the ${shard.count} tasks of this SLURM array; expected the array's size, or no --shard-count`);
    bad('--shard-count', shardCount, 'names no shard to run; expected JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) or --shard I/N with it, or --emit-slurm');
  }
  return shard;
}

function shardOf(args: ExperimentArgs, env: NodeJS.ProcessEnv, bad: (what: string, value: unknown, expected: string) => never): Shard {
  if (args.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(args.shard);
    if (!m) bad('--shard', args.shard, 'is not a shard; expected I/N, e.g. 2/8');
    const index = Number(m![1]), count = Number(m![2]);
    if (!(count >= 1 && index >= 1 && index <= count)) bad('--shard', args.shard, 'is not a shard; expected I/N with 1 <= I <= N');
    return { index, count };
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const { SLURM_ARRAY_TASK_ID: id, SLURM_ARRAY_TASK_MIN: min = '1', SLURM_ARRAY_TASK_STEP: step = '1', SLURM_ARRAY_TASK_MAX: max, SLURM_ARRAY_TASK_COUNT: given } = env;
    if (given === undefined && max === undefined) bad('SLURM_ARRAY_TASK_ID', id, 'is set without SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MAX; expected --shard I/N for this array task');
    const index = (decimalNumber(id) - decimalNumber(min)) / decimalNumber(step) + 1;
    const count = given !== undefined ? decimalNumber(given) : (decimalNumber(max!) - decimalNumber(min)) / decimalNumber(step) + 1;
    if (!(Number.isInteger(index) && Number.isInteger(count) && index >= 1 && index <= count))
      bad('SLURM_ARRAY_TASK_ID', id, `with SLURM_ARRAY_TASK_MIN=${min}, _STEP=${step} and ${given !== undefined ? `_COUNT=${given}` : `_MAX=${max}`} is not a shard; expected a task of an array of evenly stepped IDs, or --shard I/N`);
    // a failed task submitted again alone (sbatch --array=3) is an array of one task: its variables say shard 1/1, and the
    // whole experiment ran into the folder of one shard. No fresh array starts at 2, so above 1 it is refused; the
    // ambiguous task 0 or 1 alone runs as shard 1/1, as the variables say
    if (count === 1 && decimalNumber(id) > 1)
      bad('SLURM_ARRAY_TASK_ID', id, `is the only task of its array (SLURM_ARRAY_TASK_COUNT=1), which makes it shard 1/1, the whole experiment: a task of a larger array submitted again alone, most likely; expected --shard ${id}/N naming its shard of the N tasks (the scripts of --emit-slurm name it)`);
    return { index, count };
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const count = args.shardCount;
    if (count === undefined) bad('JOB_COMPLETION_INDEX', env.JOB_COMPLETION_INDEX, 'is set but no --shard-count is given; expected --shard-count N for an Indexed Job of N completions');
    const index = decimalNumber(env.JOB_COMPLETION_INDEX) + 1;
    if (!(Number.isInteger(index) && index >= 1 && index <= count!)) bad('JOB_COMPLETION_INDEX', env.JOB_COMPLETION_INDEX, `is not a shard of ${count}; expected 0 to ${count! - 1}, as an Indexed Job of ${count} completions gives`);
    return { index, count: count! };
  }
  return { index: 1, count: 1 };
}

/**
 * From how many runs to compute the main thread computes too (`RunOptions.mainComputesFrom`): the environment's
 * SPILLOVER_MAIN_COMPUTES_FROM, else the runner's default.
 */
export function mainComputesFrom(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.SPILLOVER_MAIN_COMPUTES_FROM;
  if (value === undefined || value === '') return undefined;
  const runs = decimalNumber(value);
  if (!(Number.isInteger(runs) && runs >= 0)) throw new InputError('SPILLOVER_MAIN_COMPUTES_FROM', '', `${JSON.stringify(value)} is not a number of runs; expected a whole number, 0 or more`);
  return runs;
}

export function workerCount(args: ExperimentArgs): number {
  if (args.workers === undefined) return usableCores();
  checkWholeNumber('workers', 'workers', 1, 1024)({ ...args });
  return args.workers;
}

/**
 * Progress on stderr: a bar on a terminal (a `StatusLine`: it fits the terminal, the bar taking what the text leaves),
 * a line every few seconds otherwise, nothing when quiet.
 */
export function progressReporter(quiet: boolean | undefined): ((p: Progress) => void) | undefined {
  if (quiet) return undefined;
  const status = process.stderr.isTTY ? new StatusLine() : undefined;
  let last = 0;
  return (p) => {
    // the runs of this command only: runs kept from before a resume took none of its seconds
    const rate = p.seconds > 0 ? (p.done - p.kept) / p.seconds : 0;
    // no estimate in the first second, whose rate is the engine's while V8 still compiles it (the first batch of a
    // 30,000-run ensemble said "ETA 5 min 01 s"; it took 2.4 s), nor on the last line (it said `ETA 0 s`): the command's
    // summary says how long the runs took
    const eta = p.done < p.total && rate > 0 && p.seconds >= 1 ? `, ETA ${durationShown((p.total - p.done) / rate)}` : '';
    const text = `${p.done}/${p.total} runs, ${rate.toFixed(0)} runs/s${eta}`;
    if (status) {
      // up to 30 characters of bar, none below 5
      const width = Math.min(30, status.columns - text.length - 4);
      const filled = Math.round((width * p.done) / p.total);
      status.draw(width >= 5 ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}` : text, p.seconds, p.done === p.total);
    } else if (p.seconds - last >= Math.max(5, Math.min(60, p.seconds / 10)) || p.done === p.total) {
      // a line every 5 s at first, thinning to one a minute after ten minutes: an array task's log of ten hours (read
      // with tail -f) holds some 600 lines, not 7,200
      last = p.seconds;
      process.stderr.write(`${text}\n`);
    }
  };
}

/**
 * Starts the worker threads of an experiment about to run, so that they start up while it loads (see
 * `prestartWorkers`); not for `--emit-slurm`, which runs nothing. A bad `--workers` or SPILLOVER_MAIN_COMPUTES_FROM is
 * reported here, before loading.
 */
export function startEarly(args: ExperimentArgs): void {
  mainComputesFrom(); // a bad value is reported here too, before loading
  if (!args.emitSlurm) prestartWorkers(workerCount(args), usableCores());
}

/** Runs a resolved experiment as the command line asked, or writes SLURM scripts for it. */
export async function runFromCli(x: ResolvedExperiment, args: ExperimentArgs, command: string[], rerun: string[]): Promise<void> {
  const folder = defaultFolder(x);
  const workers = workerCount(args);
  const reuse = reuseFolders(args);
  // the script runs every shard, one an array task: a shard named here was passed over without a word (--shard 1/4
  // wrote a script of one task)
  if (args.emitSlurm && args.shard !== undefined)
    throw new InputError('--shard', '', `${JSON.stringify(args.shard)} picks one shard to run, and --emit-slurm writes a script that runs them all; expected --shard-count N for the number of array tasks`);
  if (args.emitSlurm) return emitSlurm(x, args.emitSlurm, args.out ?? folder, rerun, reuse, args.shardCount, args.quiet);
  const shard = resolveShard(args);
  // a shard's own folder by default, where --emit-slurm puts it: the tasks of an Indexed Job or of a script's loop, given
  // no --out, each made the experiment's folder again over the last one's runs
  const out = args.out ?? (shard.count > 1 ? join(folder, `shard-${shard.index}`) : folder);
  const cores = usableCores();
  // outputs are made again from their command, so another experiment's are replaced, as before; but a folder named by
  // default (an ensemble of 1,000 runs and one of 2,000 share output/<name>-ensemble/) is easily given twice unaware
  const earlier = args.quiet || args.resume ? undefined : metaFileHash(out);
  const watch = watchProgress(args.quiet, out);
  const stats = await runExperiment(x, {
    out,
    workers,
    cores,
    resume: args.resume ?? false,
    reuse,
    shard,
    // the notes come once nothing is left to refuse (its --reuse folders checked, its folder made and locked): before a
    // refusal, the note that another experiment's outputs are replaced was wrong, and any note made two lines of one
    onShard: (first, end, meta) => {
      // threads beyond the cores take turns on them: on the development machine's two cores, three threads ran 16-19%
      // slower than two (20,000 runs, four pairs), each thread also counting, sealing and storing its runs
      if (workers > cores && !args.quiet) process.stderr.write(`note: --workers ${workers} is more threads than the ${counted(cores, 'core')} this process may use; they will take turns, and runs go slower than with --workers ${cores}\n`);
      if (earlier !== undefined && earlier !== x.hash)
        process.stderr.write(`note: ${shown(out)}/ holds the outputs of another experiment (${earlier.slice(0, 12)}), which this one replaces; give another --out to keep them\n`);
      if (!args.quiet) noteSpace(meta, out, end - first);
    },
    mainComputesFrom: mainComputesFrom(),
    onProgress: watch.onProgress,
    manifest: provenance(command),
  }).finally(watch.release);
  if (args.quiet) return;
  // a folder that gave nothing: most often a Latin hypercube of other samples, which places every point anew
  // only a folder that has no run of this experiment at all: one whose runs were kept from before a resume, or fall in
  // other shards' blocks, gave none here for want of runs to give
  const givesNone = (folder: string) => !reusableByMetadata([folder], stats.meta).includes(1);
  for (const r of stats.reusedFrom.filter((r) => r.runs === 0 && givesNone(r.folder)))
    process.stderr.write(`note: no run of ${shown(r.folder)} was reused: none of its finished runs has the design values and replicate of one of this experiment's (a Latin hypercube of another size places every point anew)\n`);
  const where = shown(out);
  const rate = stats.seconds > 0 && stats.ran > 0 ? ` (${(stats.ran / stats.seconds).toFixed(0)} runs/s on ${counted(stats.threads, 'thread')})` : '';
  const kept = stats.skipped - stats.reused;
  console.log(`${x.experiment.name}: ${counted(stats.ran, 'run')} in ${stats.seconds.toFixed(1)} s${rate}${kept ? `, ${kept} kept from before` : ''}${reuse.length ? `, ${stats.reused} reused from ${reuse.map(shown).join(', ')}` : ''}`);
  console.log(stats.complete
    ? `  wrote ${where}/: runs.csv, quantiles.csv${x.parameters.length ? ', points.csv' : ''}, manifest.json (records in runs.bin)`
    : `  shard ${shard.index}/${shard.count} done in ${where}/; combine the shards with: spillover merge ${mergeArgs(out, shard)}`);
}

/** The output folder of an experiment given no --out: `output/<name>`, with the values of `--set` (`setFolder`). */
export function defaultFolder(x: Pick<ResolvedExperiment, 'experiment' | 'loaded'>): string {
  return setFolder(x.experiment.name, x.loaded.set);
}

/**
 * The folders and --out of the merge a shard's closing line suggests: in full where the shard's folder is
 * `<folder>/shard-I`, as a shard's default and the scripts of --emit-slurm make it, and `merge` would take that folder
 * for its --out (`defaultMergeOut`).
 */
function mergeArgs(out: string, shard: Shard): string {
  const parent = basename(resolve(out)) === `shard-${shard.index}` ? defaultMergeOut([out]) : undefined;
  if (typeof parent !== 'string') return '<shard folders...> --out <folder>';
  // quoted for the shell, as a line to paste: a folder may have spaces or quotes in its name (braces stay outside)
  const folder = shellWord(shown(parent));
  return `${folder}/shard-{1..${shard.count}} --out ${folder}`;
}

/**
 * The folder the shards are in, when every folder given is `<folder>/shard-I` of the same folder (the layout of a
 * shard's default --out and of --emit-slurm's tasks), or why not: not that layout, or the working folder itself, a
 * project's folder rather than an experiment's.
 */
export function defaultMergeOut(dirs: string[]): string | InputError {
  const parents = new Set(dirs.map((d) => dirname(resolve(d))));
  if (parents.size !== 1 || !dirs.every((d) => /^shard-\d+$/.test(basename(resolve(d)))))
    return new InputError('--out', '', 'is not given, and the folders given are not the shard-I folders of one folder (as a shard\'s default and --emit-slurm make them); expected --out DIR for the merged outputs');
  const [parent] = parents;
  if (parent === process.cwd()) return new InputError('--out', '', 'is not given, and the shard folders are in the working folder, which a merge does not write into unasked; expected --out DIR for the merged outputs');
  return parent;
}

/**
 * Notes on stderr before the runs when what they write is large: the run store of this experiment (or shard) when it
 * would not fit in the space free where it goes (`runs.bin` is made at its full size but sparse, so the disk fills only
 * as runs finish, and a full disk is met hours later), and, for a whole experiment, a quantiles.csv of a gigabyte or
 * more (a Latin hypercube of thousands of points keeping the default cells writes gigabytes of it unasked).
 */
function noteSpace(meta: ExperimentMeta, out: string, runs: number): void {
  const { where, free } = freeSpace(out);
  const records = spaceNote(runs * recordLayout(meta).bytes, free, shown(where));
  if (records) process.stderr.write(`${records}\n`);
  if (runs < meta.runs) return; // a shard writes no quantiles.csv: its merge does
  const quantiles = quantilesNote(quantileRowCount(meta), meta.replicates, free, shown(where));
  if (quantiles) process.stderr.write(`${quantiles}\n`);
}

/** The note of `noteSpace` for records of `bytes` where `free` bytes are free, in `where`; none when they fit. */
export function spaceNote(bytes: number, free: number, where: string): string | undefined {
  if (bytes <= free) return undefined;
  return `note: the runs' records (runs.bin) will take ${sizeShown(bytes)}, and ${where} has ${sizeShown(free)} free; keep fewer variables ("keep"), or run in shards on other disks (a full disk stops the runs, and --resume carries on once there is room)`;
}

/**
 * The note of `noteSpace` for a quantiles.csv of `rows` rows, `replicates` runs a design point, where `free` bytes are
 * free, in `where`; none below a gigabyte when it fits. With one run a point its quantiles are that run's values,
 * which `spillover series` writes once instead of six times.
 */
export function quantilesNote(rows: number, replicates: number, free: number, where: string): string | undefined {
  const bytes = QUANTILE_ROW_BYTES * rows;
  if (bytes < 1e9 && bytes <= free) return undefined;
  const room = bytes > free ? `, and ${where} has ${sizeShown(free)} free` : '';
  const single = replicates === 1 ? '; with one run a point, its quantiles are that run\'s values, which spillover series writes once' : '';
  return `note: quantiles.csv will hold ${rows.toLocaleString('en')} rows, about ${sizeShown(bytes)}${room}; keep fewer variables ("keep"), or none ("keep": []): runs.csv has every run's outcomes whatever "keep" says${single}`;
}

/**
 * While an experiment runs: on Ctrl-C (SIGINT) or a scheduler's SIGTERM (SLURM's at a job's time limit, before its
 * SIGKILL), a line on stderr, even with --quiet, saying what is kept and how to carry on, then an exit as the signal's
 * own (128 + its number). The records written are sealed; one cut short by the exit is run again by --resume.
 * `carryOn` says how to carry on. Returns what removes the handlers.
 */
function onStop(progress: () => Progress | undefined, out: string, carryOn: string): () => void {
  const stop = (signal: NodeJS.Signals) => {
    const p = progress();
    const done = p ? `${p.done} of ${p.total} runs` : 'no runs';
    process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}spillover: stopped by ${signal} with ${done} finished, kept in ${shown(out)}/runs.bin; ${carryOn}\n`);
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}

/**
 * The progress of an experiment writing into `out`, on stderr (`progressReporter`), and what a stop by a signal says
 * meanwhile (`onStop`, with `carryOn`) until `release`.
 */
export function watchProgress(quiet: boolean | undefined, out: string, carryOn = 'the same command with --resume carries on'): { onProgress: (p: Progress) => void; release: () => void } {
  const report = progressReporter(quiet);
  let last: Progress | undefined;
  const release = onStop(() => last, out, carryOn);
  return {
    onProgress: (p) => {
      last = p;
      report?.(p);
    },
    release,
  };
}

/** The folders of `--reuse`, given once or repeated. */
export function reuseFolders(args: Pick<ExperimentArgs, 'reuse'>): string[] {
  // a merge's folder stands for its shards' (see `shardsOfMerge`), for the notes, validate and --emit-slurm as for the runs
  return distinctShardFolders(givenReuseFolders(args));
}

/** The `--reuse` folders as given, a merge's folder as itself (`reuseFolders` gives its shards' in its place). */
export function givenReuseFolders(args: Pick<ExperimentArgs, 'reuse'>): string[] {
  const folders = args.reuse === undefined ? [] : Array.isArray(args.reuse) ? args.reuse : [args.reuse];
  folders.forEach((f) => {
    if (typeof f !== 'string' || f === '') throw new InputError('--reuse', '', `${JSON.stringify(f)} is not a folder; expected the output folder of an earlier sweep or ensemble`);
  });
  return folders;
}

/** The line that marks a script `--emit-slurm` wrote, which it alone may replace (`refuseHandWritten`). */
const SCRIPT_MARK = '# Generated by spillover';

/**
 * Writes a SLURM array script running every shard, and a merge script to submit after it: by default a task for every
 * 1,000 runs' work, a run copied from a folder of `reuse` counting a quarter of one computed (see `shardRange`). The
 * folders are checked here, not first by every task. Each task names its shard of N itself rather than reading the
 * array's size: a failed task submitted again alone (`sbatch --array=3`) is an array of one task, and from SLURM's
 * variables alone it ran the whole experiment, as shard 1/1, into its shard's folder.
 */
function emitSlurm(x: ResolvedExperiment, file: string, out: string, args: string[], reuse: string[], count?: number, quiet?: boolean): void {
  const work = runsCost(x.runs, reuse.length ? reusableByMetadata(reuse, experimentMeta(x)) : undefined);
  const shards = Math.max(1, Math.min(x.runs, 1000, count ?? Math.ceil(work / 1000)));
  const rerun = [...args, ...reuse.flatMap((f) => ['--reuse', resolve(f)])];
  const root = resolve(out);
  // every path and argument quoted for bash: a folder or scenario may have spaces, quotes or glob characters in its name;
  // #SBATCH lines are read by sbatch, which takes a value in double quotes (tried on slurm-wlm 22.05) but no escape
  if (/["\n]/.test(root)) throw new InputError('--out', '', `${JSON.stringify(out)} has a double quote or a line break, which an #SBATCH line cannot hold; expected a folder name without them`);
  // the merge step would be refused there at the end, after every task had run
  refuseForeignOutputs(out, outputsOf(x.parameters.length, true));
  const mergeFile = `${file}.merge`;
  for (const f of [file, mergeFile]) refuseHandWritten(f, new RegExp(`^${SCRIPT_MARK}`, 'm'), '--emit-slurm');
  const [folder, cwd, command, script, mergeScript] = [root, process.cwd(), COMMAND, file, mergeFile].map(shellWord);
  const logs = (name: string) => (shellWord(root) === root ? `${root}/${name}` : `"${root}/${name}"`);
  const array = `#!/bin/bash
#SBATCH --job-name=${x.experiment.name}
#SBATCH --array=1-${shards}
#SBATCH --cpus-per-task=1
#SBATCH --output=${logs('slurm-%A_%a.out')}
${SCRIPT_MARK}: array task K runs shard K of ${shards}.
# Submit: jid=$(sbatch --parsable ${script}) && sbatch --dependency=afterok:$jid ${mergeScript}
# What the cluster asks for (--time, --partition, --account) goes on sbatch's command line, which overrides these lines.
# \`node\` (20 or later) is found on the PATH sbatch passes on from where you submit (its default, --export=ALL): where
# Node comes from a module, load it before submitting, or add its \`module load\` line above the command below.
# A task that failed or was stopped (a time limit, a node lost) carries on from its stored runs when submitted again,
# alone or with others (sbatch --array=K,L ${script}); then submit ${mergeScript}.
set -euo pipefail
mkdir -p ${folder}
cd ${cwd}
node ${command} ${rerun.map(shellWord).join(' ')} --out ${folder}/shard-\${SLURM_ARRAY_TASK_ID} --shard \${SLURM_ARRAY_TASK_ID}/${shards} --workers \${SLURM_CPUS_PER_TASK:-1} --resume
`;
  const merge = `#!/bin/bash
#SBATCH --job-name=${x.experiment.name}-merge
#SBATCH --output=${logs('slurm-merge-%j.out')}
#SBATCH --kill-on-invalid-dep=yes
${SCRIPT_MARK}: combines the shards of ${file} into ${root}.
# Submitted with --dependency=afterok on the array, it is cancelled if a task fails (not left pending for ever); once
# the failed tasks have been submitted again and have finished, submit it again.
set -euo pipefail
cd ${cwd}
node ${command} merge ${folder}/shard-{1..${shards}} --out ${folder}
`;
  // a folder named as either script is refused before either is written (the merge step was left behind)
  for (const path of [file, mergeFile]) refuseOtherKind(resolve(path), false, 'open');
  makeFolder(dirname(resolve(file)));
  makeFolder(root); // slurmd opens --output before the script runs
  // each whole or not at all, the merge step first: an array script is never there without its merge step
  writeFileAtomic(mergeFile, merge, 0o755);
  writeFileAtomic(file, array, 0o755);
  if (!quiet) console.log(`wrote ${file} (${counted(shards, 'array task')}) and ${mergeFile}; submit with:\n  jid=$(sbatch --parsable ${script}) && sbatch --dependency=afterok:$jid ${mergeScript}`);
}
