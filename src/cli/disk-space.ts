/**
 * Sizes on disk, and the room where a command writes: what the notes said before a large write use (the records of
 * an experiment, its quantiles.csv, a series export). Notes, never refusals: a quota or a network file system may say
 * otherwise than `statfs`.
 */
import { existsSync, statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** About how many bytes a row of quantiles.csv takes (97.6 measured over 46 million rows of a sweep's default cells). */
export const QUANTILE_ROW_BYTES = 95;

/** A size on disk as a reader takes it in: GB to a tenth, else whole MB, below a megabyte whole KB (rounded up: a file of a few bytes is "1 KB", not "0 MB" or "1 MB"). */
export function sizeShown(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : bytes >= 1e6 ? `${Math.ceil(bytes / 1e6)} MB` : `${Math.ceil(bytes / 1e3)} KB`;
}

/**
 * The folder a path will be written in, or its nearest existing parent (an output folder is made by the command), and
 * the bytes free there for this user; `free` is Infinity when that cannot be told (no statfs).
 */
export function freeSpace(folder: string): { where: string; free: number } {
  let where = resolve(folder);
  while (!existsSync(where) && dirname(where) !== where) where = dirname(where);
  try {
    const fs = statfsSync(where);
    return { where, free: fs.bavail * fs.bsize };
  } catch {
    return { where, free: Infinity };
  }
}
