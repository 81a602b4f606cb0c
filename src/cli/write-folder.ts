/**
 * Writes a folder all at once: files go into a temporary sibling folder that is renamed into place at the
 * end, so a failure leaves either the old folder or the new one, never half of one.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { InputError, listed } from '../scenario/errors.js';
import { makeFolder, ofTarget, refuseOtherKind } from '../experiment/make-folder.js';
import { removeLeftBehind } from '../experiment/folder-lock.js';
import { basename, dirname, join, resolve } from 'node:path';

/** Files an operating system leaves in a folder it shows (Finder, Explorer): replaced with the folder, never refused. */
const LITTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/**
 * Refuses to replace a folder that holds anything but files this command writes (`owns`): writing replaces the folder
 * whole, and `run --out .` replaced the working folder, every file and folder in it deleted. `writeFolder` checks it;
 * a command that works a long time before it writes checks it first too.
 */
export function checkReplaceable(folder: string, owns: (name: string) => boolean): void {
  const target = resolve(folder);
  if (!existsSync(target)) return;
  const foreign = readdirSync(target, { withFileTypes: true })
    .filter((e) => !LITTER.has(e.name) && !(e.isFile() && owns(e.name)))
    .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
    .sort();
  if (foreign.length === 0) return;
  const named = listed(foreign.length > 3 ? [...foreign.slice(0, 3), `${foreign.length - 3} more`] : foreign);
  throw new InputError(folder, '', `holds ${named}, which this command did not write, and writing replaces the folder whole; expected a new or empty folder, or an earlier output of this command (choose another --out)`);
}

/**
 * The start of the names of the hidden siblings a write of `target` goes through (`.NAME.tmp-`, then a process id),
 * with NAME cut to 60 characters: a name of 250 is the file system's to allow, but its sibling's was 12 longer, and the
 * write failed on it. Two targets alike in their first 60 characters share the start, which only lets one remove what
 * the other's stopped process left.
 */
function temporaryPrefix(target: string): string {
  return `.${Array.from(basename(target)).slice(0, 60).join('')}.tmp-`;
}

/** The hidden sibling of `target` this process writes through (see `temporaryPrefix`). */
function temporaryOf(target: string): string {
  return join(dirname(target), `${temporaryPrefix(target)}${process.pid}`);
}

/**
 * Removes what earlier commands left writing `target` (`.NAME.tmp-PID` beside it) when they were stopped part-way, by
 * Ctrl-C or kill: a write is synchronous, so no handler runs to remove it, and a `series` export stopped after a few
 * seconds left a hidden file of 283 MB. A running process's is its own, and stays.
 */
function removeLeftTemporaries(target: string): void {
  const prefix = temporaryPrefix(target);
  removeLeftBehind(dirname(target), (name) => (name.startsWith(prefix) ? /^(\d+)$/.exec(name.slice(prefix.length))?.[1] : undefined));
}

/**
 * Writes `files` as the folder `folder`, replacing it whole. A folder there already must hold only files this command
 * writes, `owns` (by default, those of `files`): anything else is refused, never deleted.
 */
export function writeFolder(folder: string, files: Record<string, string>, owns: (name: string) => boolean = (name) => name in files): void {
  const target = resolve(folder);
  // a file in the way is not replaced by the folder (an --out that named a file deleted it)
  refuseOtherKind(target, true, 'mkdir');
  checkReplaceable(folder, owns);
  makeFolder(dirname(target));
  removeLeftTemporaries(target);
  const temporary = temporaryOf(target);
  rmSync(temporary, { recursive: true, force: true });
  try {
    mkdirSync(temporary);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(temporary, name), text);
    rmSync(target, { recursive: true, force: true });
    renameSync(temporary, target);
  } catch (e) {
    rmSync(temporary, { recursive: true, force: true });
    throw ofTarget(e, temporary, target);
  }
}

/**
 * Writes one file through a temporary sibling renamed into place, with permissions `mode` when given (a script's
 * 0o755); nothing is left behind when that fails.
 */
export function writeFileAtomic(file: string, text: string, mode?: number): void {
  writeFileStreamed(file, (put) => put(Buffer.from(text)), mode);
}

/**
 * Writes one file as `writeFileAtomic` does, its bytes given a block at a time by `fill` through `put`: a file too large
 * to hold as one string (an export of every run's series). A failure, `fill`'s own included, leaves nothing behind.
 */
export function writeFileStreamed(file: string, fill: (put: (bytes: Uint8Array) => void) => void, mode?: number): void {
  const target = resolve(file);
  // a folder there is refused before `fill` works, not by the rename at the end
  refuseOtherKind(target, false, 'open');
  makeFolder(dirname(target));
  removeLeftTemporaries(target);
  const temporary = temporaryOf(target);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'w');
    const to = fd;
    fill((bytes) => {
      for (let at = 0; at < bytes.length; ) at += writeSync(to, bytes, at, bytes.length - at);
    });
    closeSync(fd);
    fd = undefined;
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw ofTarget(e, temporary, target);
  }
}

/**
 * The mark of a scenario file spillover wrote (`run --write-state`, `calibrate --write-scenario`): its description holds
 * GENERATED_MARK (the writers put it there, so a description reworded cannot lose it), which GENERATED_SCENARIO finds.
 */
export const GENERATED_MARK = 'Generated: re-run';
export const GENERATED_SCENARIO = new RegExp(`"description": "(?:[^"\\\\\\n]|\\\\.)*${GENERATED_MARK}`);

/**
 * Refuses to replace a file that `generated` does not recognise as one a command of spillover wrote: `--write-state`,
 * `--write-scenario` and `--emit-slurm` write scenarios and job scripts, files that people also write by hand, and
 * replaced one whole without a word (`run scenarios/historical.json --write-state scenarios/historical.json`
 * overwrote the scenario it ran). A missing file passes, and one the mark recognises (read from its first 8 KB), which
 * is replaced as before; a folder is left to the write, which refuses it. `option` names the option in the message.
 */
export function refuseHandWritten(file: string, generated: RegExp, option: string): void {
  const target = resolve(file);
  let head = '';
  try {
    if (!statSync(target).isFile()) return;
    const fd = openSync(target, 'r');
    try {
      const bytes = Buffer.alloc(8192);
      head = bytes.toString('utf8', 0, readSync(fd, bytes, 0, bytes.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return; // nothing there, or nothing readable: the write says what is wrong
  }
  if (!generated.test(head))
    throw new InputError(file, '', `is not a file spillover wrote (it lacks the mark of one), and ${option} replaces it whole; expected a new file, or one spillover wrote (remove it first to replace it)`);
}

/**
 * Fails now, as writing would fail later, if `path` (a folder with `folder`, else a file) cannot be written: for commands
 * that work a long time before they write (a calibration's fit). Makes the missing parent folders, and a temporary
 * file beside the place, removed at once.
 */
export function checkWritable(path: string, folder: boolean): void {
  const target = resolve(path);
  refuseOtherKind(target, folder, 'open');
  makeFolder(dirname(target));
  const probe = temporaryOf(target);
  try {
    writeFileSync(probe, '');
  } catch (e) {
    throw ofTarget(e, probe, target);
  } finally {
    rmSync(probe, { force: true });
  }
}
