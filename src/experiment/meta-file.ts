/** `experiment.json`: what `merge`, the what-if report and a resumed run read of an experiment. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ExperimentMeta } from './layout.js';
import { aroundPoints } from './design.js';

/**
 * Writes `JSON.stringify(meta)` and a newline to `file`, the design points a block at a time: whole, the text of a
 * million points was a 136 MB string.
 */
export function writeMetaFile(file: string, meta: ExperimentMeta): void {
  const [before, after] = aroundPoints(JSON.stringify({ ...meta, points: [] }));
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, before);
    let block = '';
    for (let k = 0; k < meta.points.length; k++) {
      block += `${k > 0 ? ',' : ''}${JSON.stringify(meta.points[k])}`;
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
