/**
 * The engine and its fingerprints (engine-fingerprint.ts) bundled for any JavaScript engine, and run in Chromium:
 * shared by browser-engine.test.ts and scripts/cross-engine.ts, which compare a run's bits across engines.
 */
import { build } from 'esbuild';
import type { Scenario } from '../src/scenario/schema.js';
import { launch, watchProblems } from './browser.js';
import type { fingerprints } from './engine-fingerprint.js';

/** The bundle: an IIFE that sets `spilloverEngine`, whose `fingerprints` is engine-fingerprint.ts's. */
export async function engineBundle(): Promise<string> {
  const out = await build({ entryPoints: ['test/engine-fingerprint.ts'], bundle: true, platform: 'browser', format: 'iife', globalName: 'spilloverEngine', write: false, logLevel: 'silent' });
  return out.outputFiles[0].text;
}

/**
 * The fingerprints of `runs` seeds of each scenario, computed by the bundle `code` in headless Chromium, with the
 * browser's user agent and whatever the page did that it must not (see `watchProblems`).
 */
export async function fingerprintsInChromium(code: string, scenarios: Scenario[], runs: number): Promise<{ runtime: string; prints: string[][]; problems: string[] }> {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const problems = watchProblems(page);
    await page.addScriptTag({ content: code });
    const prints = await page.evaluate(({ scenarios, runs }) => {
      const engine = (globalThis as unknown as { spilloverEngine: { fingerprints: typeof fingerprints } }).spilloverEngine;
      return scenarios.map((s) => engine.fingerprints(s, runs));
    }, { scenarios, runs });
    return { runtime: await page.evaluate(() => navigator.userAgent), prints, problems };
  } finally {
    await browser.close();
  }
}
