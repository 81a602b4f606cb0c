/** Making output folders. */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates a folder and its missing parents, one level at a time. Not `mkdirSync(folder, { recursive: true })`: in
 * Node 20 that loops for ever where the file system refuses a folder with ENOENT, as /proc does (`--out /proc/x` kept
 * a command at full CPU until killed). A parent made meanwhile by another process (shards sharing one) is fine.
 */
export function makeFolder(folder: string): void {
  const missing: string[] = [];
  for (let path = resolve(folder); !existsSync(path); path = dirname(path)) {
    missing.push(path);
    if (dirname(path) === path) break;
  }
  for (let k = missing.length - 1; k >= 0; k--) {
    try {
      mkdirSync(missing[k]);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
