/** `experiment.json`: what `merge`, `--reuse`, the what-if report and a resumed run read of an experiment. */
import { closeSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentMeta } from './layout.js';
import { aroundPoints, packPoints, pointAt, type DesignPoint } from './design.js';

/**
 * Writes `JSON.stringify(meta)` and a newline to `file`, its design points as an array of objects (their keys in the
 * order of `parameters`), a block at a time: whole, the text of a million points was a 136 MB string.
 */
export function writeMetaFile(file: string, meta: ExperimentMeta): void {
  const [before, after] = aroundPoints(JSON.stringify({ ...meta, points: [] }));
  const fd = openSync(file, 'w');
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
  } finally {
    closeSync(fd);
  }
}

/**
 * The experiment.json of `folder`, if it has one that reads as a JSON object with design points and parameters, the
 * points packed (the rest is the caller's to check).
 */
export function readMetaFile(folder: string): ExperimentMeta | undefined {
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(join(folder, 'experiment.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof meta !== 'object' || meta === null || !('points' in meta) || !('parameters' in meta)) return undefined;
  const { points, parameters } = meta;
  if (!Array.isArray(points) || !points.every((p) => typeof p === 'object' && p !== null) || !Array.isArray(parameters)) return undefined;
  return { ...meta, points: packPoints(points as DesignPoint[], parameters as string[]) } as ExperimentMeta;
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
