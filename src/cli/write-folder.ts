/**
 * Writes a folder all at once: files go into a temporary sibling folder that is renamed into place at the
 * end, so a failure leaves either the old folder or the new one, never half of one.
 */
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { makeFolder, refuseOtherKind } from '../experiment/make-folder.js';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * `e`, a file-system error met while writing through `temporary`, told of `target` instead: the place the user named
 * (the command line reports the path of such errors).
 */
function ofTarget(e: unknown, temporary: string, target: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (err?.path === temporary || err?.path?.startsWith(`${temporary}/`)) err.path = target;
  return e;
}

export function writeFolder(folder: string, files: Record<string, string>): void {
  const target = resolve(folder);
  // a file in the way is not replaced by the folder (an --out that named a file deleted it)
  refuseOtherKind(target, true, 'mkdir');
  makeFolder(dirname(target));
  const temporary = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
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
  const target = resolve(file);
  makeFolder(dirname(target));
  const temporary = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  try {
    writeFileSync(temporary, text);
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, target);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw ofTarget(e, temporary, target);
  }
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
  const probe = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  try {
    writeFileSync(probe, '');
  } catch (e) {
    throw ofTarget(e, probe, target);
  } finally {
    rmSync(probe, { force: true });
  }
}
