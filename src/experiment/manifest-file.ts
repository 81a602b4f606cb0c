/**
 * A folder's manifest.json, read back: every experiment, shard and merge writes one beside its outputs. Read here alone,
 * for what a merge's says of its shards and a shard's says of its last command.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { metaFileHash } from './meta-file.js';

/** A folder's manifest.json as an object, or undefined: missing, unreadable, or not a JSON object. */
export function readManifest(folder: string): Record<string, unknown> | undefined {
  try {
    const m = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8'));
    return m !== null && typeof m === 'object' && !Array.isArray(m) ? m : undefined;
  } catch {
    return undefined;
  }
}

/** The shard folders a merged output folder was made from, as the merge was given them (its manifest's `mergedFrom`). */
export function mergedFrom(folder: string): string[] | undefined {
  const from = readManifest(folder)?.mergedFrom;
  return Array.isArray(from) && from.length > 0 && from.every((f) => typeof f === 'string') ? from : undefined;
}

/**
 * The shard folders of a merge's output folder that holds no records of its own, each found as the merge was given it
 * (absolute, or relative to where it ran) or else inside the merged folder under its own name, where `--emit-slurm`
 * and a shard's default `--out` put it (so a study moved, or read from another folder, still finds them), and holding
 * the merged experiment's records; undefined when the folder is not such a merge's or a shard is found in neither place.
 */
export function shardsOfMerge(folder: string): string[] | undefined {
  const found = findShards(folder)?.found;
  return found?.every((f) => f !== undefined) ? (found as string[]) : undefined;
}

/** The shard folders of a merge's output folder, as its manifest names them, that `shardsOfMerge` did not find. */
export function shardsNotFound(folder: string): string[] {
  const shards = findShards(folder);
  return shards ? shards.from.filter((_, k) => shards.found[k] === undefined) : [];
}

/** Each shard folder of a merge's output folder without records (as given; undefined where not found), if it is one. */
function findShards(folder: string): { from: string[]; found: Array<string | undefined> } | undefined {
  if (existsSync(join(folder, 'runs.bin'))) return undefined;
  const from = mergedFrom(folder);
  const hash = from && metaFileHash(folder);
  if (!from || !hash) return undefined;
  return { from, found: from.map((f) => [f, join(folder, basename(f))].find((c) => existsSync(join(c, 'runs.bin')) && metaFileHash(c) === hash)) };
}

/**
 * `folders` with each merge's output folder given in place of its shards' folders (`shardsOfMerge`): after a cluster
 * run and its merge, `series` and `--reuse` take the folder the results are in, where they needed every shard's.
 */
export function withShardsOfMerges(folders: string[]): string[] {
  return folders.flatMap((f) => shardsOfMerge(f) ?? [f]);
}

/** What names one folder however it is given (relative, through links): its real path, or where it would be. */
export function folderIdentity(folder: string): string {
  return existsSync(folder) ? realpathSync(folder) : resolve(folder);
}

/**
 * `withShardsOfMerges`, each folder once, where first named (through links too): runs to reuse from a merge's folder
 * and from one of its shards' (`--reuse out/x --reuse out/x/shard-2`), or from one folder named twice, are the same
 * runs, and the manifest's `reusedFrom` listed the folder twice, the second time with none.
 */
export function distinctShardFolders(folders: string[]): string[] {
  const seen = new Set<string>();
  return withShardsOfMerges(folders).filter((f) => {
    const path = folderIdentity(f);
    if (seen.has(path)) return false;
    seen.add(path);
    return true;
  });
}
