/** The names of default output folders made of several parts (values set, scenarios compared). */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Longest name of a default output folder: far below the 255 bytes a file system allows a name. */
const FOLDER_NAME_MAX = 120;

/**
 * `full`, or where it is longer than a folder's name should be, `short` and the first 12 hex digits of `full`'s
 * SHA-256, which keeps two different `full`s apart. A report of five variants with long names had a default folder
 * of 326 characters, which the file system refused (ENAMETOOLONG) after the runs.
 */
export function folderName(full: string, short: string): string {
  return full.length <= FOLDER_NAME_MAX ? full : `${short}-${createHash('sha256').update(full).digest('hex').slice(0, 12)}`;
}

/**
 * The default output folder of `name` with values set by `--set`: `output/<name>`, and with sets, their values in the
 * name (`output/baseline-ensemble-policies.benefitSharing=0.5`), paths in order, or beyond a name's room their hash.
 * A run, an ensemble or a sweep with --set shared the unchanged one's folder, so a robustness check (`sweep x.json
 * --set spillover.strength=0.5`) replaced the outputs and the records of the study it checks.
 */
export function setFolder(name: string, set: Record<string, number> = {}): string {
  const paths = Object.keys(set).sort();
  if (paths.length === 0) return join('output', name);
  return join('output', folderName(`${name}-${paths.map((p) => `${p}=${set[p]}`).join('-')}`, `${name}-set`));
}
