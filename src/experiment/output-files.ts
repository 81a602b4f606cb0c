/**
 * The outputs an experiment writes into its folder, and refusing a folder where files of their names are another's.
 * An experiment writes into its folder file by file (its records stay there between commands), so anything else in it
 * is left alone; but a file of the same name as one of its outputs is replaced. An ensemble given the folder of a single
 * run (`--out output/baseline`, where `run` writes by default) replaced the run's manifest.json with its own, leaving
 * the run's time series and plots described by an ensemble's manifest: a provenance a scholar would cite wrongly.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, listed } from '../scenario/errors.js';
import { readManifest } from './manifest-file.js';

/** Every output an experiment or a merge may publish in its folder. */
export const OUTPUTS: readonly string[] = ['runs.csv', 'points.csv', 'quantiles.csv', 'manifest.json'];

/**
 * The outputs written for an experiment of `parameters` design parameters: the whole experiment's (or a merge's), or
 * a shard's, which is its manifest alone (the rest is made by the merge).
 */
export function outputsOf(parameters: number, whole: boolean): string[] {
  return whole ? OUTPUTS.filter((name) => name !== 'points.csv' || parameters > 0) : ['manifest.json'];
}

/** Whether a manifest is an experiment's, a shard's or a merge's: each names its experiment's hash and runs. */
function isExperimentManifest(m: Record<string, unknown>): boolean {
  return typeof m.hash === 'string' && typeof m.runs === 'number';
}

/**
 * Throws when `folder` is not an experiment's (it has no experiment.json, and its manifest.json, if any, is not an
 * experiment's) yet holds a file this command `writes` (`outputsOf`) and would replace. A new or missing folder, an
 * experiment's (of this experiment or another, whose outputs are made again from their command), or one whose files
 * of other names are the user's (left as they are), passes.
 */
export function refuseForeignOutputs(folder: string, writes: readonly string[]): void {
  if (existsSync(join(folder, 'experiment.json'))) return;
  const present = writes.filter((name) => existsSync(join(folder, name)));
  if (present.length === 0) return;
  const manifest = present.includes('manifest.json') ? readManifest(folder) : undefined;
  if (manifest && isExperimentManifest(manifest)) return;
  const by = typeof manifest?.command === 'string' ? JSON.stringify(manifest.command) : 'no experiment';
  throw new InputError(folder, '', `holds ${listed(present)}, which ${by} wrote and this experiment's outputs would replace; expected a new folder, or an experiment's output folder (choose another --out)`);
}
