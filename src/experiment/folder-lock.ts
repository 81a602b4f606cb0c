/**
 * One command at a time in an experiment's output folder. Two commands writing one folder lost one's work without a
 * word: two shards given the same --out both exited 0, and the folder held the second's runs only (each made its run
 * store anew, and the last to finish published its outputs over the other's). Now the second is refused.
 *
 * The lock is a file in the folder, `.lock`, naming its holder: process, host, start, command. It is made whole
 * elsewhere and linked into place, which fails if one is there (atomic on local file systems and on NFS), so a
 * reader never sees half a lock (see `linkOrCreate` for file systems without links). A lock outlives a process killed with -9 or a node that failed; it is taken over
 * when its holder is surely gone:
 * - on this host, when no process has its id (or a zombie: killed, and not yet collected by its parent), or the one
 *   that has it started after the lock was made (an id reused, as in a container started again);
 * - from another host (a cluster's shared disk, a job requeued on another node), when it has not been refreshed for
 *   STALE_MS: the holder refreshes its time every REFRESH_MS.
 * A lock's age is read on the file system's clock, never a host's: the holder refreshes by writing the lock's bytes
 * again (the file system stamps the time), and a reader measures the age against its own draft, which it has just
 * written (with `utimes` and `Date.now`, two hosts whose clocks differed by two minutes took a live lock for one left,
 * or a left one for live).
 */
import { closeSync, linkSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../scenario/errors.js';
import { ofTarget } from './make-folder.js';

/** The lock's file name in the folder. */
export const LOCK_FILE = '.lock';

/** How often a holder refreshes its lock's time, and how old a lock from another host must be to count as left. */
const REFRESH_MS = 15_000, STALE_MS = 120_000;

interface Holder {
  pid: number;
  host: string;
  /** When the lock was made (ms since 1970). */
  started: number;
  command: string;
}

export interface FolderLock {
  /** Removes the lock (once; later calls do nothing). */
  release(): void;
}

/**
 * Whether process `pid` is running on this host. A zombie is not: a process killed with -9 whose parent has not
 * collected it still answers `kill(pid, 0)`, and in a container whose first process collects no orphans (Docker without
 * `--init`, this sandbox) it stays so, and its lock was never taken over.
 */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // running, another user's
  }
  return processStat(pid)?.state !== 'Z';
}

/**
 * Removes the entries of `folder` that a process left while writing and that no process will finish: those whose
 * name `pidOf` reads a process id from, when that process is this one (an earlier write of its own) or is gone.
 * Anything else, a user's file or what a running process still writes, is left alone. A missing folder holds nothing.
 */
export function removeLeftBehind(folder: string, pidOf: (name: string) => string | undefined): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = pidOf(name);
    if (pid !== undefined && (Number(pid) === process.pid || !running(Number(pid)))) rmSync(join(folder, name), { recursive: true, force: true });
  }
}

/**
 * Process `pid`'s state (R, S, Z, ...) and start (ms since 1970), from Linux's /proc: the start in clock ticks of
 * 1/100 s after boot, and the boot time. Undefined where there is no /proc.
 */
function processStat(pid: number): { state: string; start: number | undefined } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name, which is in parentheses and may hold spaces: the state is field 3, the
    // start field 22
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return { state: fields[0], start: Number.isFinite(ticks) && Number.isFinite(boot) ? boot * 1000 + ticks * 10 : undefined };
  } catch {
    return undefined;
  }
}

/**
 * Whether the lock's holder may still be writing (see the module's comment). `draft` is a file this process has just
 * written beside the lock: its time is now on the file system's clock.
 */
function alive(holder: Holder | undefined, file: string, draft: string): boolean {
  const age = () => {
    try {
      return statSync(draft).mtimeMs - statSync(file).mtimeMs;
    } catch {
      return Infinity;
    }
  };
  // unreadable or not a lock of ours: left alone while it is being refreshed, like another host's
  if (!holder) return age() < STALE_MS;
  if (holder.host !== hostname()) return age() < STALE_MS;
  return holderRunning(holder);
}

/**
 * Whether a holder on this host is still running: its process is not this one, is running, and started no later than
 * the lock (a process started since has only been given its id again).
 */
function holderRunning(holder: Holder): boolean {
  if (holder.pid === process.pid || !running(holder.pid)) return false;
  const start = processStat(holder.pid)?.start;
  // a second's leeway for the clock ticks' rounding
  return start === undefined || start <= holder.started + 1000;
}

function parse(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text);
    return Number.isInteger(h?.pid) && typeof h.host === 'string' && typeof h.started === 'number' ? h : undefined;
  } catch {
    return undefined;
  }
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Errors of a file system that has no hard links (FAT, some object stores), where `linkSync` cannot make a lock. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Makes `file` hold `text` unless it exists (EEXIST then): by linking `draft`, which holds the text already, so that a
 * reader never sees half a lock; on a file system without hard links, by creating the file exclusively and writing it
 * (a reader that finds it empty takes it as held, see `alive`).
 */
export function linkOrCreate(draft: string, file: string, text: string, link: (from: string, to: string) => void = linkSync): void {
  try {
    link(draft, file);
  } catch (e) {
    if (!NO_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    writeFileSync(file, text, { flag: 'wx' });
  }
}

/**
 * Who holds `folder`'s lock, for a reader's message (a merge given a shard still running): the holder as the refusal
 * names it, and whether it is running (on this host: its process; from another host, undefined: only a writer's
 * draft can tell, and a reader may not write there). Undefined when there is no lock, or its holder is gone.
 */
export function lockHolder(folder: string): { who: string; running: boolean | undefined } | undefined {
  const file = join(folder, LOCK_FILE);
  let holder: Holder | undefined;
  try {
    holder = parse(read(file) ?? '');
  } catch {
    return undefined;
  }
  if (!holder) return undefined;
  const who = describe(holder);
  if (holder.host !== hostname()) return { who, running: undefined };
  return holderRunning(holder) ? { who, running: true } : undefined;
}

/**
 * What to do about a folder's unfinished runs, for a reader that wants them finished: `stopped` (the advice for a
 * command that was stopped, say "run it again with --resume"), unless the command writing them still holds the folder.
 * A shard still running was told to run again with --resume, which its lock then refused.
 */
export function unfinishedAdvice(folder: string, expected: string, stopped: string): string {
  const holder = lockHolder(folder);
  if (!holder) return `expected ${expected} (${stopped})`;
  return holder.running
    ? `the command writing the folder is still running (${holder.who}); expected ${expected}: wait for it to end`
    : `the command writing the folder may still be running (${holder.who}); expected ${expected}: wait for it to end, or if it was stopped, ${stopped}`;
}

function describe(holder: Holder): string {
  return `process ${holder.pid} on ${holder.host === hostname() ? 'this host' : `host ${holder.host}`}, since ${new Date(holder.started).toISOString()}: ${holder.command}`;
}

/** The refusal: who holds the folder, and what to do. */
function refused(folder: string, holder: Holder | undefined, file: string): InputError {
  const who = holder ? describe(holder) : `its lock ${file} cannot be read`;
  return new InputError(folder, '', `is being written by another command (${who}); expected a folder no other command is writing: wait for it, or choose another --out (each shard needs a folder of its own). If that command is surely gone, remove ${file}`);
}

/**
 * Locks `folder` (which exists) for the command `command`, or throws an input error naming the command that holds it.
 * The lock is released by `release`, and at the latest when the process exits (Ctrl-C's handler exits).
 */
export function lockFolder(folder: string, command: string): FolderLock {
  const file = join(folder, LOCK_FILE);
  const mine: Holder = { pid: process.pid, host: hostname(), started: Date.now(), command };
  const text = `${JSON.stringify(mine)}\n`;
  const draft = join(folder, `${LOCK_FILE}.${process.pid}`);
  try {
    writeFileSync(draft, text);
  } catch (e) {
    // the folder cannot be written: say so of the folder the user named, not of a file of ours inside it
    throw ofTarget(e, draft, folder);
  }
  try {
    // a few tries: each either takes the lock, refuses, or moves a stale lock aside and tries again
    for (let attempt = 0; ; attempt++) {
      try {
        linkOrCreate(draft, file, text);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const found = read(file);
      if (found === undefined) continue; // released meanwhile
      const holder = parse(found);
      if (attempt >= 3 || alive(holder, file, draft)) throw refused(folder, holder, file);
      // Stale. Moved aside, not removed: if another command took it over meanwhile, what moved is that command's
      // live lock, which goes back.
      const aside = `${file}.stale-${process.pid}`;
      try {
        renameSync(file, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      const moved = read(aside);
      if (moved !== found) {
        try {
          linkOrCreate(aside, file, moved ?? '');
        } finally {
          rmSync(aside, { force: true });
        }
        throw refused(folder, parse(moved ?? ''), file);
      }
      rmSync(aside, { force: true });
    }
  } finally {
    rmSync(draft, { force: true });
  }
  // the lock's own file, even if it is removed by hand and another command's takes its name: that one is never refreshed
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r+');
  } catch {
    // removed already: nothing to refresh
  }
  const refresh = setInterval(() => {
    try {
      if (fd !== undefined) writeSync(fd, text, 0); // the same bytes: a reader never sees another lock
    } catch {
      // the folder went away: the command fails on its own writes
    }
  }, REFRESH_MS).unref();
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    clearInterval(refresh);
    if (fd !== undefined) closeSync(fd);
    process.off('exit', release);
    // only our own lock: one removed by hand and taken by another command stays
    if (read(file) === text) rmSync(file, { force: true });
  };
  process.on('exit', release);
  return { release };
}
