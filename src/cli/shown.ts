/** Paths and counts as the command prints them. */
import { resolve } from 'node:path';
import { fileHost } from '../scenario/load.js';

/** A count and its noun, singular for one: `1 run`, `2 runs`. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A path as messages show it (`fileHost.display`: relative inside the working folder, else absolute), `.` for that folder. */
export function shown(path: string): string {
  const full = resolve(path);
  return full === process.cwd() ? '.' : fileHost.display(full);
}
