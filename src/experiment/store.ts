/**
 * `runs.bin`: one fixed-size record per run at offset `header + (id - first) * size`, written as runs finish
 * in whatever order they finish. A record counts only once sealed (its trailer holds the run id and a checksum),
 * so after a crash or `kill -9` a resumed run redoes exactly the torn and missing records.
 */
import { closeSync, existsSync, fstatSync, ftruncateSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { InputError } from '../scenario/errors.js';
import { isSealed, recordLayout, type ExperimentMeta, type RecordLayout } from './layout.js';

const HEADER_BYTES = 4096;
/** What a store's header says it is: the format, raised whenever the layout of records changes. */
export const STORE_MAGIC = 'spillover-runs/2';

export interface StoreHeader {
  magic: string;
  hash: string;
  runs: number;
  first: number;
  /** One past the last run id of this store. */
  end: number;
  recordBytes: number;
}

/** The header at the start of a store's file, if there is one that reads as JSON. */
function readHeader(fd: number): StoreHeader | undefined {
  const text = Buffer.alloc(HEADER_BYTES);
  readSync(fd, text, 0, HEADER_BYTES, 0);
  try {
    const header = JSON.parse(text.toString('utf8').replace(/\0/g, '').trim());
    return typeof header?.magic === 'string' ? header : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens a store's file. One that may not be read is said so: the command line takes a failed open for a place that
 * cannot be written, and said "cannot write" of a colleague's store that a merge or an export only reads.
 */
function openFile(file: string, flags: 'r' | 'r+'): number {
  try {
    return openSync(file, flags);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (flags === 'r' && (code === 'EACCES' || code === 'EPERM'))
      throw new InputError(file, '', `cannot be read (${code}); expected a run store this user may read`);
    throw e;
  }
}

export class RunStore {
  readonly header: StoreHeader;
  readonly layout: RecordLayout;
  private readonly file: string;
  /** 'r' for a store only read (merge, series, --reuse), which a read-only folder serves; 'r+' for one written. */
  private readonly flags: 'r' | 'r+';
  /** The open file, or undefined after `release` until the next read or write. */
  private fd: number | undefined;

  private constructor(file: string, flags: 'r' | 'r+', fd: number, header: StoreHeader, layout: RecordLayout) {
    this.file = file;
    this.flags = flags;
    this.fd = fd;
    this.header = header;
    this.layout = layout;
  }

  /** The open file, opened again after `release`, and refused if it is no longer the store it was (replaced since). */
  private handle(): number {
    if (this.fd !== undefined) return this.fd;
    if (!existsSync(this.file)) throw new InputError(this.file, '', 'was removed while this command read it; expected the store it opened (run the command again)');
    const fd = openFile(this.file, this.flags);
    if (JSON.stringify(readHeader(fd)) !== JSON.stringify(this.header)) {
      closeSync(fd);
      throw new InputError(this.file, '', 'was replaced while this command read it; expected the store it opened (run the command again)');
    }
    this.fd = fd;
    return fd;
  }

  /**
   * Closes the file until the next read or write, which opens it again. A merge or an export of many shards holds one
   * open at a time: a merge of the 1,000 shards `--emit-slurm` may make opened 1,000 files at once, over the limit
   * of open files many clusters set (1,024), and failed on a shard with "too many open files".
   */
  release(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  /**
   * A new, empty store for runs [first, end), in a new file: one that was there is unlinked, not truncated, so that a
   * process still writing into it (another run into the same folder) writes into the old file, never into this one.
   */
  static create(file: string, meta: ExperimentMeta, first: number, end: number): RunStore {
    const layout = recordLayout(meta);
    const header: StoreHeader = { magic: STORE_MAGIC, hash: meta.hash, runs: meta.runs, first, end, recordBytes: layout.bytes };
    rmSync(file, { force: true });
    const fd = openSync(file, 'w+');
    const text = Buffer.alloc(HEADER_BYTES, 0x20);
    text.write(JSON.stringify(header));
    writeSync(fd, text, 0, HEADER_BYTES, 0);
    ftruncateSync(fd, HEADER_BYTES + (end - first) * layout.bytes);
    return new RunStore(file, 'r+', fd, header, layout);
  }

  /**
   * The header of the store in `file`, whatever its experiment or version; undefined when there is no file or no
   * header (a store whose making was cut short, before any run).
   */
  static header(file: string): StoreHeader | undefined {
    if (!existsSync(file)) return undefined;
    const fd = openSync(file, 'r');
    try {
      return readHeader(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * An existing store; undefined when there is none or it is not a store of this layout. `readOnly` for a store only
   * read: a merge, an export or --reuse from a folder that cannot be written (an archived study, a colleague's
   * results) was refused with "permission denied".
   */
  static open(file: string, meta: Pick<ExperimentMeta, 'outcomes' | 'cells' | 'times'>, readOnly = false): RunStore | undefined {
    if (!existsSync(file)) return undefined;
    const flags = readOnly ? 'r' : 'r+';
    const fd = openFile(file, flags);
    const header = readHeader(fd);
    if (!header) {
      closeSync(fd);
      return undefined;
    }
    const layout = recordLayout(meta);
    if (header.magic !== STORE_MAGIC || header.recordBytes !== layout.bytes || fstatSync(fd).size < HEADER_BYTES + (header.end - header.first) * layout.bytes) {
      closeSync(fd);
      return undefined;
    }
    return new RunStore(file, flags, fd, header, layout);
  }

  private offset(id: number): number {
    return HEADER_BYTES + (id - this.header.first) * this.layout.bytes;
  }

  /**
   * Writes consecutive sealed records (see `sealRecords`) from run `from` in one write: a crash tears at most the
   * records of this write, and a torn record fails its checksum.
   */
  writeRecords(from: number, records: Uint8Array): void {
    writeSync(this.handle(), records, 0, records.length, this.offset(from));
  }

  /** Reads `count` consecutive records from `id` into `into`. */
  read(id: number, count: number, into: Uint8Array): void {
    readSync(this.handle(), into, 0, count * this.layout.bytes, this.offset(id));
  }

  /** Which runs of this store are sealed, scanning in blocks. */
  sealed(): Uint8Array {
    const n = this.header.end - this.header.first;
    const done = new Uint8Array(n);
    const block = Math.max(1, Math.floor((4 << 20) / this.layout.bytes));
    const buffer = new Uint8Array(block * this.layout.bytes);
    for (let k = 0; k < n; k += block) {
      const count = Math.min(block, n - k);
      this.read(this.header.first + k, count, buffer);
      for (let r = 0; r < count; r++)
        done[k + r] = isSealed(buffer.subarray(r * this.layout.bytes, (r + 1) * this.layout.bytes), this.layout, this.header.first + k + r) ? 1 : 0;
    }
    return done;
  }

  /** How many runs of this store are sealed (see `sealed`). */
  finishedRuns(): number {
    let finished = 0;
    for (const sealed of this.sealed()) finished += sealed;
    return finished;
  }

  close(): void {
    this.release();
  }
}
