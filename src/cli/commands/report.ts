/** `spillover report <baseline> <variant...>`: ensembles of each scenario, compared in a page an analyst can forward. */
import { makeFolder } from '../../experiment/make-folder.js';
import { basename, join, relative, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { counted, shown } from '../shown.js';
import { folderName } from '../folder-name.js';
import { performance } from 'node:perf_hooks';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { formatValue, InputError } from '../../scenario/errors.js';
import { MODEL_VERSION } from '../../engine/version.js';
import { ensembleExperiment, type ResolvedExperiment } from '../../experiment/load.js';
import { prestartWorkers, runExperiment } from '../../experiment/runner.js';
import { readEnsemble } from '../../report/whatif/data.js';
import { buildReport, isReportCsv, readRunByRun, type ScenarioEnsemble } from '../../report/whatif/build.js';
import { reportHtml, reportMarkdown } from '../../report/whatif/render.js';
import { plotlyBundle } from '../../report/plotly-bundle.js';
import { checkSeed, checkWholeNumber, rawOption } from '../option-checks.js';
import { mainComputesFrom, watchProgress, workerCount } from '../experiment-options.js';
import { PACKAGE, PACKAGE_ROOT, provenance } from '../package-info.js';
import { checkReplaceable, writeFileAtomic, writeFolder } from '../write-folder.js';
import { RunStore, STORE_MAGIC } from '../../experiment/store.js';
import { totalmem } from 'node:os';
import { usableCores } from '../../experiment/cores.js';
import { experimentMeta } from '../../experiment/meta.js';

interface ReportArgs {
  scenarios: string[];
  runs: number;
  seed?: number;
  out?: string;
  year?: number;
  workers?: number;
  quiet?: boolean;
}

const REPORT_KEEP = ['cooperation.*', 'trade_usd', 'integration_index', 'security', 'water_stress', 'trust', 'gdp_usd', 'attribution.customs.*', 'attribution.water.*'];

export const command = 'report <scenarios...>';
export const describe = 'Compare a baseline with variants (ensembles on the same seeds): report.html, report.md and the data behind every chart';

export function builder(y: Argv): Argv<ReportArgs> {
  return y
    .positional('scenarios', { type: 'string', array: true, describe: 'the baseline first, then the variants', demandOption: true })
    .option('runs', { type: 'number', default: 100, describe: 'runs per scenario' })
    .option('seed', { type: 'number', describe: 'base seed, shared by all scenarios so runs are paired (default 1)' })
    .option('year', { type: 'number', describe: 'year of the headline comparison (default: five years after the start)' })
    .option('out', { type: 'string', describe: 'output folder (default: output/report-<baseline>-vs-<variants>/)' })
    .option('workers', { type: 'number', describe: 'threads computing runs (default: the number of cores this process may use)' })
    .option('quiet', { type: 'boolean', describe: 'no progress, no summary' })
    .check(checkSeed)
    .check(checkWholeNumber('runs', 'runs', 2, 1000000))
    .example('$0 report scenarios/baseline.json scenarios/severe-drought.json', 'what a severe drought does, 100 paired runs each')
    .example('$0 report scenarios/baseline.json scenarios/eu-global-gateway.json scenarios/deep-integration.json --runs 500', 'two variants at once')
    .example('$0 report scenarios/baseline.json', 'one scenario: an outlook with its uncertainty') as Argv<ReportArgs>;
}

/**
 * A note when the values a report holds of every run, to compare scenarios run by run (`readRunByRun`'s cells, some
 * 6 KB a run of 61 steps), would take more than half of this machine's memory (`total` bytes); none otherwise.
 */
export function memoryNote(bytes: number, total: number): string | undefined {
  if (bytes <= total / 2) return undefined;
  const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;
  return `note: this report holds its runs in memory, ${gb(bytes)}, and this machine has ${gb(total)}; with fewer --runs it holds proportionally less`;
}

export async function handler(argv: ArgumentsCamelCase<ReportArgs>): Promise<void> {
  const seed = argv.seed ?? 1;
  const workers = workerCount(argv), cores = usableCores();
  const fromRuns = mainComputesFrom(); // a bad value is reported before anything runs
  prestartWorkers(workers, cores); // they start while the scenarios load
  const experiments: ResolvedExperiment[] = [];
  for (const file of argv.scenarios) experiments.push(await ensembleExperiment(file, argv.runs, seed, REPORT_KEEP));
  const [base] = experiments;
  const sc = base.loaded.scenario;
  for (const x of experiments.slice(1)) {
    const s = x.loaded.scenario;
    if (s.start !== sc.start || s.end !== sc.end || s.stepsPerYear !== sc.stepsPerYear)
      throw new InputError(x.source, 'start', `${s.start}-${s.end} at ${s.stepsPerYear} steps a year; expected the baseline's ${sc.start}-${sc.end} at ${sc.stepsPerYear}, so that runs can be compared step by step`);
  }
  if (argv.year !== undefined && !(argv.year >= sc.start && argv.year <= sc.end))
    throw new InputError('--year', '', `${Number.isNaN(argv.year) ? `${formatValue(rawOption('year'))} is not a year` : `${argv.year} is outside the scenarios' ${sc.start}-${sc.end}`}; expected a year from ${sc.start} to ${sc.end}`);
  // the findings say "in 2030.5", and a year between two steps was compared at the later step under its own number
  if (argv.year !== undefined && !Number.isInteger(argv.year))
    throw new InputError('--year', '', `${argv.year} is not a whole year; expected one from ${Math.ceil(sc.start)} to ${Math.floor(sc.end)} (the comparison is at its start)`);
  const names = experiments.map((x) => x.loaded.scenario.name);
  // one file under two names (a link, say) is one file given twice, not two scenarios of one name
  const files = experiments.map((x) => realpathSync(x.scenarioFile));
  // a name labels a scenario's charts, rows of data and ensemble folder: two of one name were one, the second's runs
  // in the first's folder, and "baseline is 3% lower than the baseline"
  names.forEach((name, k) => {
    const first = names.indexOf(name);
    if (first !== k && files[k] === files[first])
      throw new InputError(experiments[k].source, '', `given twice (scenarios ${first + 1} and ${k + 1}); expected each scenario once`);
    if (first !== k)
      throw new InputError(experiments[k].source, 'name', `${JSON.stringify(name)} is also the name of ${experiments[first].source}; expected each scenario of a report to have its own name, which labels its charts and data (give one another "name")`);
  });
  const out = argv.out ?? join('output', folderName(`report-${names[0]}${names.length > 1 ? `-vs-${names.slice(1).join('-')}` : ''}`, `report-${names[0]}-vs-${counted(names.length - 1, 'variant')}`.replace(/ /g, '-')));
  // before the runs, not after them: a data/ of the user's is refused whole (see writeFolder)
  checkReplaceable(join(out, 'data'), isReportCsv);
  // made before the note on memory: a folder that could not be made had the note before its one line
  makeFolder(out);
  if (!argv.quiet) {
    const held = (x: ResolvedExperiment) => {
      const meta = experimentMeta(x);
      return x.runs * meta.times.length * meta.cells.filter(readRunByRun).length * Float32Array.BYTES_PER_ELEMENT;
    };
    const note = memoryNote(experiments.reduce((sum, x) => sum + held(x), 0), totalmem());
    if (note) process.stderr.write(`${note}\n`);
  }
  const t0 = performance.now();
  const ensembles: ScenarioEnsemble[] = [];
  for (const x of experiments) {
    const folder = join(out, 'ensembles', x.loaded.scenario.name);
    // the runs an earlier report left here of this very ensemble (the same scenario, runs, seed and model: its hash)
    // are kept, not run again: a report made again, for another year or after a crash, costs only what is missing
    const earlier = RunStore.header(join(folder, 'runs.bin'));
    const resume = earlier?.magic === STORE_MAGIC && earlier.hash === x.hash;
    if (!argv.quiet) process.stderr.write(`${x.loaded.scenario.name}: ${counted(argv.runs, 'run')}${resume ? ' (keeping those an earlier report made)' : ''}\n`);
    const watch = watchProgress(argv.quiet, folder, 'the same report command carries on from them');
    await runExperiment(x, { out: folder, workers, cores, resume, shard: { index: 1, count: 1 }, mainComputesFrom: fromRuns, onProgress: watch.onProgress, manifest: provenance() }).finally(watch.release);
    ensembles.push({ name: x.loaded.scenario.name, file: relative(process.cwd(), x.scenarioFile) || basename(x.scenarioFile), sha256: x.loaded.sha256, scenario: x.loaded.scenario, data: readEnsemble(folder, readRunByRun) });
  }
  const report = buildReport({
    scenarios: ensembles, runs: argv.runs, seed, version: PACKAGE.version, modelVersion: MODEL_VERSION,
    wallSeconds: (performance.now() - t0) / 1000,
    oddLink: relative(resolve(out), join(PACKAGE_ROOT, 'docs', 'ODD.md')).split('\\').join('/'),
    year: argv.year ?? Math.round(sc.start + 5),
  });
  // each output is written whole or not at all; the page last, so a half-made report has no page
  // an earlier report's data/ may hold CSV files of other charts than this one's
  writeFolder(join(out, 'data'), report.csvFiles, isReportCsv);
  writeFileAtomic(join(out, 'report.md'), reportMarkdown(report));
  writeFileAtomic(join(out, 'report.html'), reportHtml(report, plotlyBundle()));
  if (argv.quiet) return;
  for (const line of report.summary) console.log(`- ${line}`);
  const where = shown(out);
  console.log(`wrote ${where}/report.html, report.md and data/ (${Object.keys(report.csvFiles).length} CSV files) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
