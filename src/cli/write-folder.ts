/**
 * Writes a folder all at once: files go into a temporary sibling folder that is renamed into place at the
 * end, so a failure leaves either the old folder or the new one, never half of one.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { makeFolder } from '../experiment/make-folder.js';
import { basename, dirname, join, resolve } from 'node:path';

export function writeFolder(folder: string, files: Record<string, string>): void {
  const target = resolve(folder);
  makeFolder(dirname(target));
  const temporary = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary);
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(temporary, name), text);
    rmSync(target, { recursive: true, force: true });
    renameSync(temporary, target);
  } catch (e) {
    rmSync(temporary, { recursive: true, force: true });
    throw e;
  }
}

/** Writes one file through a temporary sibling renamed into place. */
export function writeFileAtomic(file: string, text: string): void {
  const target = resolve(file);
  makeFolder(dirname(target));
  const temporary = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  writeFileSync(temporary, text);
  renameSync(temporary, target);
}
