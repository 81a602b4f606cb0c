#!/usr/bin/env node
/**
 * The `spillover` command. The only place that touches argv, exit codes and the terminal: bad input prints
 * one line and exits 2, with no stack trace.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../scenario/errors.js';
import * as calibrate from './commands/calibrate.js';
import * as ensemble from './commands/ensemble.js';
import * as merge from './commands/merge.js';
import * as report from './commands/report.js';
import * as sweep from './commands/sweep.js';
import * as run from './commands/run.js';
import * as scenarios from './commands/scenarios.js';
import * as validate from './commands/validate.js';

const EXIT_INPUT = 2;

function fail(message: string, code: number): never {
  process.stderr.write(`spillover: ${message}\n`);
  process.exit(code);
}

try {
  await yargs(hideBin(process.argv))
    .scriptName('spillover')
    .usage('$0 <command> [options]\n\nAgent-based simulation of regional integration in Central Asia.')
    .command(run)
    .command(validate)
    .command(scenarios)
    .command(calibrate)
    .command(ensemble)
    .command(sweep)
    .command(merge)
    .command(report)
    .demandCommand(1, 'name a command: run, validate, scenarios, calibrate, ensemble, sweep, merge or report')
    .strict()
    .example('$0 run scenarios/baseline.json', 'run the baseline, write output/baseline/')
    .example('$0 validate my-scenario.json', 'check a scenario file')
    .example('$0 scenarios', 'list the shipped scenarios')
    .epilogue('Docs: README.md and docs/ODD.md. Exit codes: 0 ok, 1 internal error, 2 bad input.')
    .fail((msg, err) => {
      if (err) throw err;
      fail(`${msg} (see --help)`, EXIT_INPUT);
    })
    .help()
    .version()
    .wrap(100)
    .parseAsync();
} catch (e) {
  if (e instanceof InputError) fail(e.message, EXIT_INPUT);
  const err = e as NodeJS.ErrnoException;
  if (process.env.SPILLOVER_DEBUG) console.error(err);
  fail(`internal error: ${err.message ?? String(err)} (set SPILLOVER_DEBUG=1 for details)`, 1);
}
