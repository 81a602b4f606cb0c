/** Scenario files written to a temporary folder for tests of bad input and of `extends`. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BASELINE = resolve('scenarios/baseline.json');
export const WORLD = resolve('scenarios/world/central-asia.json');

/** A fresh temporary folder. */
export function tempFolder(prefix = 'spillover-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `content` (an object as JSON, or raw text) as `name` in `folder`; returns its path. */
export function writeFixture(folder: string, name: string, content: unknown): string {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}
