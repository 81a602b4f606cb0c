/**
 * The manifest of a merged folder. A result computed as array tasks is cited like one computed by one command: the
 * manifest names the experiment, the scenario and its SHA-256 (with any `--set`), read from the shards' own manifests,
 * and says of each shard what its last command said of itself (package version, workers, runs, wall time).
 */
import { readManifest } from './manifest-file.js';
import type { ExperimentMeta } from './layout.js';

/**
 * What a shard's manifest says of its last command, as the merged manifest lists it; not the command itself, the same
 * but for the shard's number and folder (a merge of 1,000 shards would list it 1,000 times).
 */
const SHARD_FIELDS = ['version', 'workers', 'ranNow', 'reused', 'resumedFrom', 'wallSeconds', 'runsPerSecond'] as const;

/** A shard folder and the runs its store holds (first, and one past the last). */
export interface MergedShard {
  folder: string;
  first: number;
  end: number;
}

/**
 * A shard folder's own manifest.json, of this experiment (its hash), else undefined: missing, unreadable, another
 * experiment's, or a merge's (a merge written into one of its shards' folders replaces that shard's manifest).
 */
function manifestOf(folder: string, hash: string): Record<string, unknown> | undefined {
  const m = readManifest(folder);
  return m?.hash === hash && m.mergedFrom === undefined ? m : undefined;
}

/**
 * The merged folder's manifest: `base` (tool, versions, command), the experiment and scenario as the first shard's
 * manifest gives them, the hash, runs and design points, the folders as given (`mergedFrom`, which `series` and
 * `--reuse` follow to the records), each shard in run order, the shards' totals, and the merge's own wall time. A field
 * a shard's manifest lacks (a shard made by an older version, a manifest deleted) is left out, never guessed.
 */
export function mergedManifest(base: Record<string, unknown>, meta: ExperimentMeta, folders: string[], shards: MergedShard[], seconds: number): Record<string, unknown> {
  const manifests = shards.map((s) => manifestOf(s.folder, meta.hash));
  const first = manifests.find((m) => m !== undefined);
  const listed = shards.map((s, k) => {
    const m = manifests[k] ?? {};
    const entry: Record<string, unknown> = { folder: s.folder, firstRun: s.first, lastRun: s.end - 1 };
    for (const f of SHARD_FIELDS) if (m[f] !== undefined) entry[f] = m[f];
    return entry;
  });
  const sum = (f: 'ranNow' | 'wallSeconds') => (listed.every((e) => typeof e[f] === 'number') ? listed.reduce((t, e) => t + (e[f] as number), 0) : undefined);
  const ranNow = sum('ranNow'), wall = sum('wallSeconds');
  return {
    ...base,
    ...(first?.experiment !== undefined ? { experiment: first.experiment } : {}),
    ...(first?.scenario !== undefined ? { scenario: first.scenario } : {}),
    hash: meta.hash,
    runs: meta.runs,
    designPoints: meta.points.count,
    mergedFrom: folders,
    shards: listed,
    // the shards' runs and wall time added up: what the array tasks took, one after another, in their last commands
    ...(ranNow !== undefined && wall !== undefined
      ? { shardTotals: { ranNow, wallSeconds: Number(wall.toFixed(3)), runsPerSecond: wall > 0 ? Number((ranNow / wall).toFixed(1)) : null } }
      : {}),
    wallSeconds: Number(seconds.toFixed(3)),
  };
}
