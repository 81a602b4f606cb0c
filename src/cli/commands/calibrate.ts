/** `spillover calibrate <scenario>`: fit the scenario's free parameters to its observed targets. */
import { StatusLine } from '../status-line.js';
import { dirname, join, relative, resolve } from 'node:path';
import { counted, shown } from '../shown.js';
import { performance } from 'node:perf_hooks';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { loadScenario } from '../../scenario/load.js';
import { runFailureAsInput } from '../../engine/overflow.js';
import { MODEL_VERSION } from '../../engine/version.js';
import { calibrationInputs } from '../../calibrate/targets.js';
import { fit, type FitResult } from '../../calibrate/fit.js';
import { annualMean, mape, rmse } from '../../calibrate/objective.js';
import { setAtPath } from '../../scenario/paths.js';
import { fitPage, type FitSeries } from '../../report/fit-page.js';
import { checkReplaceable, checkWritable, GENERATED_MARK, GENERATED_SCENARIO, refuseHandWritten, writeFileAtomic, writeFolder } from '../write-folder.js';
import { provenance } from '../package-info.js';
import { checkSeed } from '../option-checks.js';
import { schemaReference } from '../write-state.js';

/** What a calibration writes into its folder (which it replaces whole). */
const CALIBRATION_FILES = ['calibration.json', 'fit.html'];

interface CalibrateArgs {
  scenario: string;
  seed?: number;
  out?: string;
  writeScenario?: string;
  quiet?: boolean;
}

export const command = 'calibrate <scenario>';
export const describe = 'Fit the free parameters declared in the scenario\'s "calibration" to its observed targets';

export function builder(y: Argv): Argv<CalibrateArgs> {
  return y
    .positional('scenario', { type: 'string', describe: 'scenario file with a "calibration" section', demandOption: true })
    .option('seed', { type: 'number', describe: 'seed of the replicates (default: the scenario\'s own)' })
    .option('out', { type: 'string', describe: 'output folder (default: output/<scenario name>-calibration/)' })
    .option('write-scenario', { type: 'string', describe: 'also write the fitted parameters as a scenario file that others extend' })
    .option('quiet', { type: 'boolean', describe: 'no progress, no summary' })
    .check(checkSeed)
    .example('$0 calibrate scenarios/historical.json', 'fit, write output/historical-calibration/calibration.json and fit.html')
    .example('$0 calibrate scenarios/historical.json --write-scenario scenarios/calibrated/parameters.json', 'and save the fitted values for projections') as Argv<CalibrateArgs>;
}

export async function handler(argv: ArgumentsCamelCase<CalibrateArgs>): Promise<void> {
  const loaded = await loadScenario(argv.scenario, { seed: argv.seed });
  const inputs = calibrationInputs(loaded);
  const sc = loaded.scenario;
  const out = argv.out ?? join('output', `${sc.name}-calibration`);
  // before the fit, which takes minutes, rather than after it
  checkWritable(out, true);
  checkReplaceable(out, (name) => CALIBRATION_FILES.includes(name));
  if (argv.writeScenario) {
    refuseHandWritten(argv.writeScenario, GENERATED_SCENARIO, '--write-scenario');
    checkWritable(argv.writeScenario, false);
  }
  const log = (text: string) => { if (!argv.quiet) process.stderr.write(text); };
  const status = process.stderr.isTTY && !argv.quiet ? new StatusLine() : undefined;
  log(`calibrating ${counted(inputs.parameters.length, 'parameter')} of ${sc.name} to ${inputs.targets.length} target series, ${counted(inputs.spec.replicates, 'replicate')} per evaluation\n`);
  const t0 = performance.now();
  let lastLine = 0, line = '';
  let result: ReturnType<typeof fit>;
  try {
    result = fit(loaded, inputs, sc.seed, (p) => {
      const seconds = (performance.now() - t0) / 1000;
      line = `  evaluations ${p.evaluations}, start ${p.start}/${p.starts}, objective ${p.best.toPrecision(4)}, ${seconds.toFixed(1)} s`;
      if (status) status.draw(line, seconds);
      else if (performance.now() - lastLine > 2000) { log(`${line}\n`); lastLine = performance.now(); }
    });
  } catch (e) {
    if (status) process.stderr.write('\n');
    throw runFailureAsInput(e, argv.scenario);
  }
  status?.draw(line, Infinity, true);
  const wallSeconds = (performance.now() - t0) / 1000;

  // every simulated year, for the charts: the fit's own evaluation at the fitted values, its runs kept
  const fitted = result.best;
  const years = Array.from({ length: Math.round(sc.end - sc.start) }, (_, k) => Math.floor(sc.start) + k);
  const checkRuns = inputs.checks.map((t) => t.years.map((y) => fitted.runs.reduce((sum, run) => sum + annualMean(run, t.entity, t.variable, y), 0) / fitted.runs.length));
  const charts: FitSeries[] = [...inputs.targets, ...inputs.checks].map((t, index) => {
    const perRun = fitted.runs.map((run) => years.map((y) => annualMean(run, t.entity, t.variable, y)));
    const scale = t.variable.endsWith('_usd') ? 1e9 : 1;
    const col = (k: number) => perRun.map((r) => r[k] / scale);
    return {
      name: index < inputs.targets.length ? t.name : `${t.name} (not fitted)`, unit: scale === 1e9 ? 'USD bn per year' : t.variable, years: t.years, observed: t.observed.map((v) => v / scale), simYears: years,
      simMean: years.map((_, k) => col(k).reduce((a, b) => a + b, 0) / perRun.length),
      simLow: years.map((_, k) => Math.min(...col(k))), simHigh: years.map((_, k) => Math.max(...col(k))),
    };
  });

  const report = {
    ...provenance(),
    scenario: { name: sc.name, files: loaded.chain, sha256: loaded.sha256 },
    seed: sc.seed,
    replicates: inputs.spec.replicates,
    replicateSeeds: result.seeds,
    optimiser: {
      method: 'Levenberg-Marquardt (ml-levenberg-marquardt), bounded, multi-start', maxIterations: inputs.spec.maxIterations, starts: inputs.spec.restarts + 1, evaluations: result.evaluations, iterations: result.iterations,
      overflowed: result.overflowed.evaluations,
      formulaFailed: result.formulaFailed.evaluations,
      startValues: result.startValues.map((values) => Object.fromEntries(inputs.parameters.map((p, k) => [p.path, values[k]]))),
      redrawnStarts: result.redrawn,
    },
    objective: { definition: 'weighted mean over targets of the mean squared log error of calendar-year means', start: result.startObjective, fitted: result.objective },
    parameters: inputs.parameters.map((p, k) => ({ path: p.path, min: p.min, max: p.max, start: p.start, fitted: result.values[k] })),
    targets: inputs.targets.map((t, k) => ({
      name: t.name, entity: t.entity, variable: t.variable, file: t.file, years: t.years, observed: t.observed,
      simulated: result.targets[k].simulated, rmse: result.targets[k].rmse, mapePercent: result.targets[k].mape,
    })),
    checks: inputs.checks.map((t, k) => ({
      name: t.name, entity: t.entity, variable: t.variable, file: t.file, years: t.years, observed: t.observed,
      simulated: checkRuns[k], rmse: rmse(checkRuns[k], t.observed), mapePercent: mape(checkRuns[k], t.observed),
    })),
    wallSeconds: Number(wallSeconds.toFixed(2)),
  };
  const summary = [
    `Fitted ${inputs.parameters.map((p, k) => `${p.path} = ${result.values[k].toPrecision(4)}`).join(', ')}.`,
    `Objective ${result.startObjective.toPrecision(3)} at the start, ${result.objective.toPrecision(3)} fitted, after ${result.evaluations} evaluations in ${wallSeconds.toFixed(1)} s.`,
    ...inputs.targets.map((t, k) => `${t.name}: MAPE ${result.targets[k].mape.toFixed(1)}%, RMSE ${(result.targets[k].rmse / (t.variable.endsWith('_usd') ? 1e9 : 1)).toPrecision(3)}${t.variable.endsWith('_usd') ? ' USD bn' : ''}.`),
    ...inputs.checks.map((t, k) => `Not fitted, ${t.name}: MAPE ${mape(checkRuns[k], t.observed).toFixed(1)}%.`),
    ...missNotes(result),
  ];
  writeFolder(out, {
    'calibration.json': `${JSON.stringify(report, null, 2)}\n`,
    'fit.html': fitPage(`spillover: calibration of ${sc.name}`, [sc.description, `Seed ${sc.seed}; ${counted(inputs.spec.replicates, 'replicate')} per evaluation; model ${MODEL_VERSION}.`], summary, charts),
  });
  if (argv.writeScenario) {
    const file = resolve(argv.writeScenario);
    const document: Record<string, unknown> = {
      $schema: schemaReference(file),
      extends: relative(dirname(file), resolve(loaded.chain[0])).split('\\').join('/'),
      name: `${sc.name}-fitted`,
      description: `Parameters fitted by \`spillover calibrate ${argv.scenario}\` (seed ${sc.seed}, objective ${result.objective.toPrecision(3)}, model ${MODEL_VERSION}). ${GENERATED_MARK} the calibration rather than edit.`,
    };
    inputs.parameters.forEach((p, k) => setAtPath(document, p.path, Number(result.values[k].toPrecision(6))));
    writeFileAtomic(file, `${JSON.stringify(document, null, 2)}\n`);
  }
  if (argv.quiet) return;
  for (const line of summary) console.log(line);
  console.log(`wrote ${shown(out)}/: calibration.json, fit.html${argv.writeScenario ? `; and ${argv.writeScenario}` : ''}`);
}

/**
 * What a fit whose bounds reach values where the model breaks down says of it: the trials that overflowed, and those
 * whose formula gave no number, counted as misses, how many, and the first of each (its values and what happened), so
 * that the bounds can be narrowed where that matters.
 */
function missNotes({ overflowed, formulaFailed, evaluations, redrawn }: FitResult): string[] {
  const kinds = [
    { misses: overflowed, what: 'overflowed' },
    { misses: formulaFailed, what: "stopped on the scenario's formula" },
  ].filter((k) => k.misses.first);
  const again = redrawn ? `; ${counted(redrawn, 'restart')} drawn there ${redrawn === 1 ? 'was' : 'were'} drawn again` : '';
  return kinds.map(({ misses, what }, k) =>
    `${misses.evaluations} of ${counted(evaluations, 'evaluation')} ${what} and counted as misses (the first ${misses.first!.at}: ${misses.first!.reached})${k === kinds.length - 1 ? again : ''}: the bounds reach values where the model breaks down.`);
}
