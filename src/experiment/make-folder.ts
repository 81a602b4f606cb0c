/** Making output folders, and naming in errors the place the user gave rather than a file of ours inside it. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates a folder and its missing parents, one level at a time. Not `mkdirSync(folder, { recursive: true })`: in
 * Node 20 that loops for ever where the file system refuses a folder with ENOENT, as /proc does (`--out /proc/x` kept
 * a command at full CPU until killed). A parent made meanwhile by another process (shards sharing one) is fine.
 */
export function makeFolder(folder: string): void {
  const missing: string[] = [];
  // a file where the folder should be is reported as mkdir would (sweep --out FILE was an internal error, ENOTDIR, later)
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
  refuseOtherKind(resolve(folder), true, 'mkdir');
}

/**
 * Throws, as the system would, when `target` exists and is not what is to be written there (a folder with `folder`,
 * else a file): the error of the system call `syscall` (which the command line reports as a place it cannot write).
 */
export function refuseOtherKind(target: string, folder: boolean, syscall: string): void {
  if (!existsSync(target) || statSync(target).isDirectory() === folder) return;
  const [code, reason] = folder ? ['ENOTDIR', 'not a directory'] : ['EISDIR', 'illegal operation on a directory'];
  throw Object.assign(new Error(`${code}: ${reason}, ${syscall} '${target}'`), { code, syscall, path: target });
}

/**
 * `e`, a file-system error met while writing through `temporary` (a file or folder of ours), told of `target` instead:
 * the place the user named (the command line reports the path of such errors).
 */
export function ofTarget(e: unknown, temporary: string, target: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (err?.path === temporary || err?.path?.startsWith(`${temporary}/`)) err.path = target;
  return e;
}
