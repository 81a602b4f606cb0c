/** `experiment.json`: what `merge`, the what-if report and a resumed run read of an experiment. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ExperimentMeta } from './layout.js';

/**
 * Writes `JSON.stringify(meta)` and a newline to `file`, the design points a block at a time: whole, the text of a
 * million points was a 136 MB string.
 */
export function writeMetaFile(file: string, meta: ExperimentMeta): void {
  const text = JSON.stringify({ ...meta, points: [] });
  // the key, not text inside a string value: there every quote is escaped
  const at = text.indexOf('"points":[]') + '"points":['.length;
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, text.slice(0, at));
    let block = '';
    for (let k = 0; k < meta.points.length; k++) {
      block += `${k > 0 ? ',' : ''}${JSON.stringify(meta.points[k])}`;
      if (block.length > 1 << 20) {
        writeSync(fd, block);
        block = '';
      }
    }
    writeSync(fd, `${block}${text.slice(at)}\n`);
  } finally {
    closeSync(fd);
  }
}
