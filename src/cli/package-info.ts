/** The package's own name, version and folder, read from its package.json. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_VERSION } from '../engine/version.js';

/** The package root: two levels above this file in both src/cli and dist/cli (and above the bundled command there). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/**
 * The built command: the CLI bundled into one file by `npm run build`, which starts some 150 ms sooner than from its
 * hundred-odd modules (yargs alone loads in 120 ms).
 */
export const COMMAND = join(PACKAGE_ROOT, 'dist', 'cli', 'spillover.js');
export const PACKAGE = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/**
 * What every manifest a command writes names first, to cite and remake it: the tool, its version, the model's, and the
 * command line (`args`, the arguments after the command's own name; default this process's).
 */
export function provenance(args: readonly string[] = process.argv.slice(2)): { tool: string; version: string; modelVersion: string; command: string } {
  return { tool: PACKAGE.name, version: PACKAGE.version, modelVersion: MODEL_VERSION, command: ['spillover', ...args].join(' ') };
}
