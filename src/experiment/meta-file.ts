/** `experiment.json`: what `merge`, `--reuse`, the what-if report and a resumed run read of an experiment. */
import { closeSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { ExperimentMeta } from './layout.js';
import { aroundPoints, packPoints, pointAt, type DesignPoint } from './design.js';

/** Where `writeMetaFile` writes `file` before renaming it: hidden, beside it, named by this process. */
function partialMetaFile(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
}

/** The name of an experiment.json being written (`partialMetaFile`), with the writer's process id. */
export const PARTIAL_META = /^\.experiment\.json\.(\d+)\.partial$/;

/**
 * Writes `JSON.stringify(meta)` and a newline to `file`, its design points as an array of objects (their keys in the
 * order of `parameters`), a block at a time: whole, the text of a million points was a 136 MB string. Written beside
 * and renamed into place, so that a process killed while writing it (a second for a million points) leaves the file
 * that was there, not half of one.
 */
export function writeMetaFile(file: string, meta: ExperimentMeta): void {
  const [before, after] = aroundPoints(JSON.stringify({ ...meta, points: [] }));
  const partial = partialMetaFile(file);
  const fd = openSync(partial, 'w');
  let written = false;
  try {
    writeSync(fd, before);
    let block = '';
    for (let k = 0; k < meta.points.count; k++) {
      block += `${k > 0 ? ',' : ''}${JSON.stringify(pointAt(meta.points, k))}`;
      if (block.length > 1 << 20) {
        writeSync(fd, block);
        block = '';
      }
    }
    writeSync(fd, `${block}${after}\n`);
    written = true;
  } finally {
    closeSync(fd);
    if (!written) rmSync(partial, { force: true });
  }
  renameSync(partial, file);
}

/**
 * The experiment.json of `folder`, if it has one that reads as a JSON object with design points and parameters, the
 * points packed (the rest is the caller's to check). The points are read a block at a time, each block parsed and
 * packed before the next is read: parsed whole, the file of a million points was a string of 190 MB and a million
 * objects, and a merge of three shards of 300,000 points peaked at 460-500 MB. A file not laid out as
 * `writeMetaFile` writes one (its points' array cut out as `aroundPoints` cuts it) is parsed whole.
 */
export function readMetaFile(folder: string): ExperimentMeta | undefined {
  const file = join(folder, 'experiment.json');
  try {
    if (!statSync(file).isFile()) return undefined;
  } catch {
    return undefined;
  }
  try {
    const packed = readInBlocks(file);
    if (packed) return packed;
  } catch {
    // a point that is not an object of numbers: parsed whole below, and checked
  }
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof meta !== 'object' || meta === null || !('points' in meta) || !('parameters' in meta)) return undefined;
  const { points, parameters } = meta;
  if (!Array.isArray(parameters) || !parameters.every((p) => typeof p === 'string')) return undefined;
  if (!Array.isArray(points) || !points.every((p) => typeof p === 'object' && p !== null && parameters.every((name) => typeof p[name] === 'number'))) return undefined;
  return { ...meta, points: packPoints(points as DesignPoint[], parameters as string[]) } as ExperimentMeta;
}

/**
 * experiment.json parsed with its points packed as they are read, or undefined when the file does not start as
 * `writeMetaFile` writes it. Between `"points":[` and the `]` that closes it there are only objects of numbers, their
 * keys parameter paths (letters, digits, `_` and `.`), so the text up to the last `}` read is whole points.
 */
export function readInBlocks(file: string): ExperimentMeta | undefined {
  const fd = openSync(file, 'r');
  try {
    const bytes = Buffer.alloc(1 << 20);
    const decoder = new StringDecoder('utf8');
    let head = '', tail = '', pending = '';
    let parameters: string[] | undefined;
    let values = new Float64Array(1 << 16), used = 0, count = 0, closed = false;
    const add = (text: string) => {
      const objects: unknown = JSON.parse(`[${text}]`);
      if (!Array.isArray(objects)) throw new Error('not points');
      for (const p of objects as DesignPoint[]) {
        if (used + parameters!.length > values.length) {
          const grown = new Float64Array(2 * values.length + parameters!.length);
          grown.set(values.subarray(0, used));
          values = grown;
        }
        for (const name of parameters!) {
          if (typeof p[name] !== 'number') throw new Error('not a point');
          values[used++] = p[name];
        }
        count++;
      }
    };
    for (let n; (n = readSync(fd, bytes, 0, bytes.length, null)) > 0; ) {
      const text = decoder.write(bytes.subarray(0, n));
      if (closed) {
        tail += text;
        continue;
      }
      if (!parameters) {
        head += text;
        const at = head.indexOf('"points":[');
        if (at < 0) {
          if (head.length > 1 << 20) return undefined; // points, if any, are not where writeMetaFile puts them
          continue;
        }
        const start: unknown = JSON.parse(`${head.slice(0, at + '"points":['.length)}]}`);
        if (typeof start !== 'object' || start === null || !('parameters' in start) || !Array.isArray(start.parameters) || !start.parameters.every((p) => typeof p === 'string')) return undefined;
        parameters = start.parameters as string[];
        pending = head.slice(at + '"points":['.length);
        head = head.slice(0, at + '"points":['.length);
      } else pending += text;
      const end = pending.indexOf(']');
      const whole = end >= 0 ? end : pending.lastIndexOf('}') + 1;
      // a block ends after a point's `}` or before its `,`: the comma between two blocks goes with the later one
      const points = pending.slice(pending.startsWith(',') ? 1 : 0, whole);
      if (points.length > 0) add(points);
      if (end >= 0) {
        closed = true;
        tail = pending.slice(end);
      } else pending = pending.slice(whole);
    }
    if (!closed) return undefined;
    const meta: unknown = JSON.parse(head + tail + decoder.end());
    if (typeof meta !== 'object' || meta === null) return undefined;
    return { ...meta, points: { parameters: parameters!, count, values: values.slice(0, used) } } as ExperimentMeta;
  } finally {
    closeSync(fd);
  }
}

/**
 * The hash of the experiment whose outputs or records `folder` holds, if any: from an experiment.json that starts as
 * `writeMetaFile` writes one (its format, name and hash come first). Only its start is read (a million points' is
 * 136 MB), and only from a file.
 */
export function metaFileHash(folder: string): string | undefined {
  const file = join(folder, 'experiment.json');
  try {
    if (!statSync(file).isFile()) return undefined;
    const fd = openSync(file, 'r');
    try {
      const bytes = Buffer.alloc(4096);
      const text = bytes.toString('utf8', 0, readSync(fd, bytes, 0, bytes.length, 0));
      return /^\{"format":"spillover-experiment\/1","name":"(?:[^"\\]|\\.)*","hash":"([0-9a-f]+)"/.exec(text)?.[1];
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
