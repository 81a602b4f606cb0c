/** Paths as the command prints them. */
import { relative, resolve } from 'node:path';

/** A path relative to the working folder when it lies inside it (`.` for the folder itself), else absolute. */
export function shown(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel === '' ? '.' : rel.startsWith('..') ? resolve(path) : rel;
}
