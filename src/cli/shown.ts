/** Paths and counts as the command prints them. */
import { resolve } from 'node:path';
import { fileHost } from '../scenario/load.js';

/** A count and its noun, singular for one: `1 run`, `2 runs`. */
export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * A span of seconds as progress shows it: `45 s`, `3 min 05 s`, `2 h 05 min`. Rounded up, so that an estimate never
 * reads as past (`ETA 0 s` was shown for the last half second), and minutes beyond a minute, so that an estimate of a
 * long study reads at a glance.
 */
export function durationShown(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.ceil(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A path as messages show it (`fileHost.display`: relative inside the working folder, else absolute), `.` for that folder. */
export function shown(path: string): string {
  const full = resolve(path);
  return full === process.cwd() ? '.' : fileHost.display(full);
}
