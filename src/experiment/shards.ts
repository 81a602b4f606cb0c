/**
 * The run stores of one experiment's output folders: an unsharded run's folder, or its shards' folders, in any order.
 * What `merge` and `series` read.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../scenario/errors.js';
import type { ExperimentMeta } from './layout.js';
import { metaFileHash, readMetaFile } from './meta-file.js';
import { folderIdentity, shardsNotFound, withShardsOfMerges } from './manifest-file.js';
import { RunStore } from './store.js';

export interface ShardStore {
  folder: string;
  store: RunStore;
}

export interface OpenShards {
  /** The experiment, from the first folder's experiment.json. */
  meta: ExperimentMeta;
  /** The folders' stores, by the first run each holds. */
  shards: ShardStore[];
  /** The folders read, in the order given, a merge's folder replaced by its shards' (see `shardsOfMerge`). */
  folders: string[];
  /** Closes every store. */
  close(): void;
}

/** Runs `from` to `to` (inclusive) missing from the folders given, as a sentence's start: "run 5 is", "runs 5-9 are". */
export function runsNotGiven(from: number, to: number): string {
  return from === to ? `run ${from} is` : `runs ${from}-${to} are`;
}

/**
 * Where the runs of a folder `merge` wrote are, as a hint when its shards' folders were not found: a merge writes the
 * outputs, not the records, which stay in the shards' folders (its manifest names them).
 */
function whereMergedRunsAre(folder: string): string {
  const missing = shardsNotFound(folder);
  return missing.length ? ` (a merge's folder, whose runs are in the folders of the shards it was merged from; not found from here: ${missing.map((f) => JSON.stringify(f)).join(', ')})` : '';
}

/**
 * Opens the run store of each folder, all of one experiment (a merge's folder, which holds none, stands for its shards'
 * folders: see `shardsOfMerge`), and sorts them by their first run. Refused with one line:
 * a folder given twice, one without experiment.json or run store, one of another experiment. Their runs are not
 * checked here: a merge wants them all, finished; an export, those it exports.
 */
export function openShards(given: string[]): OpenShards {
  const folders = withShardsOfMerges(given);
  // a folder not there at all is most often a shard whose task never ran (or ran elsewhere): said so, not "has no experiment.json"
  const missing = (f: string) =>
    existsSync(f)
      ? new InputError(f, '', 'has no experiment.json; expected the output folder of a sweep or an ensemble, or of a shard of one')
      : new InputError(f, '', 'does not exist; expected the output folder of a sweep or an ensemble, or of a shard of one (a shard whose task has not run yet?)');
  // a folder named twice (a glob and a name, say, or a name and a link to it) was refused as overlapping itself
  const seen = new Map<string, number>();
  folders.forEach((f, k) => {
    const path = folderIdentity(f);
    const first = seen.get(path);
    if (first !== undefined) throw new InputError(f, '', `given twice (folders ${first + 1} and ${k + 1}); expected each shard once`);
    seen.set(path, k);
  });
  const meta = readMetaFile(folders[0]);
  if (!meta) throw missing(folders[0]);
  // of the other folders only the hash is read (a design of a million points is 190 MB of experiment.json a shard); their
  // run stores' headers hold it too, and are checked below
  folders.slice(1).forEach((f) => {
    const hash = metaFileHash(f) ?? readMetaFile(f)?.hash;
    if (hash === undefined) throw missing(f);
    if (hash !== meta.hash) throw new InputError(f, '', `holds experiment ${hash.slice(0, 12)}, not ${meta.hash.slice(0, 12)} like ${folders[0]}; expected shards of one experiment`);
  });
  // every store opened is closed, whichever folder is refused: a program that merges and carries on keeps no file open
  const shards: ShardStore[] = [];
  const close = () => shards.forEach((s) => s.store.close());
  try {
    for (const folder of folders) {
      const store = RunStore.open(join(folder, 'runs.bin'), meta, true);
      if (!store) throw new InputError(join(folder, 'runs.bin'), '', `is missing or not a run store; expected the records of a shard${whereMergedRunsAre(folder)}`);
      shards.push({ folder, store });
      if (store.header.hash !== meta.hash)
        throw new InputError(join(folder, 'runs.bin'), '', `holds runs of experiment ${store.header.hash.slice(0, 12)}, not ${meta.hash.slice(0, 12)} like its experiment.json; expected the records of a shard`);
      // opened again when read: a merge of 1,000 shards held 1,000 files open (see `RunStore.release`)
      store.release();
    }
  } catch (e) {
    close();
    throw e;
  }
  // an empty shard (more shards than runs) starts where the next one does: it goes first, or, given after that one,
  // it was taken for an overlap
  shards.sort((a, b) => a.store.header.first - b.store.header.first || a.store.header.end - b.store.header.end);
  return { meta, shards, folders, close };
}
