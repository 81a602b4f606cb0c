/** Paths as the command prints them. */
import { resolve } from 'node:path';
import { fileHost } from '../scenario/load.js';

/** A path as messages show it (`fileHost.display`: relative inside the working folder, else absolute), `.` for that folder. */
export function shown(path: string): string {
  const full = resolve(path);
  return full === process.cwd() ? '.' : fileHost.display(full);
}
