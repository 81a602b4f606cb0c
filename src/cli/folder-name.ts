/** The names of default output folders made of several parts (values set, scenarios compared). */
import { createHash } from 'node:crypto';

/** Longest name of a default output folder: far below the 255 bytes a file system allows a name. */
const FOLDER_NAME_MAX = 120;

/**
 * `full`, or where it is longer than a folder's name should be, `short` and the first 12 hex digits of `full`'s
 * SHA-256, which keeps two different `full`s apart. A report of five variants with long names had a default folder
 * of 326 characters, which the file system refused (ENAMETOOLONG) after the runs.
 */
export function folderName(full: string, short: string): string {
  return full.length <= FOLDER_NAME_MAX ? full : `${short}-${createHash('sha256').update(full).digest('hex').slice(0, 12)}`;
}
