/**
 * Writing a large output to standard output, a block at a time, from synchronous code: `series --out -`, piped into
 * gzip, a database or another program instead of a file of gigabytes. Not through `process.stdout.write`, which
 * queues every block in memory when the reader is slower than the export; and not by `writeSync` to descriptor 1 as it
 * is, which Node makes non-blocking for a pipe (a write to a full pipe fails with EAGAIN).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** The reader closed its end: what it did not read is not wanted (`series ... --out - | head`). */
export class ReaderGone extends Error {}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes the blocks `fill` gives through `put` to standard output, each whole before `put` returns. Throws `ReaderGone`
 * (out of `fill`) when the reader has closed the pipe, so that the export stops there.
 */
export function writeStdoutStreamed(fill: (put: (bytes: Uint8Array) => void) => void): void {
  // on Linux, /dev/stdout opened anew is the same pipe or file in blocking mode, a write waiting for the reader as a
  // command's writes do; where it cannot be opened, descriptor 1, waiting a millisecond whenever the pipe is full
  let fd = 1, own = false;
  try {
    fd = openSync('/dev/stdout', 'a');
    own = true;
  } catch {
    // descriptor 1 it is
  }
  try {
    fill((bytes) => {
      for (let at = 0; at < bytes.length; ) {
        try {
          at += writeSync(fd, bytes, at, bytes.length - at);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EPIPE') throw new ReaderGone('the reader of standard output closed it');
          if (code !== 'EAGAIN') throw e;
          Atomics.wait(pause, 0, 0, 1);
        }
      }
    });
  } finally {
    if (own) closeSync(fd);
  }
}
