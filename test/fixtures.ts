/** Scenario files written to a temporary folder for tests of bad input and of `extends`. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const BASELINE = resolve('scenarios/baseline.json');
export const WORLD = resolve('scenarios/world/central-asia.json');

/** A fresh temporary folder. */
export function tempFolder(prefix = 'spillover-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes `content` (an object as JSON, or raw text) as `name` in `folder`; returns its path. */
export function writeFixture(folder: string, name: string, content: unknown): string {
  const path = join(folder, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}
