#!/usr/bin/env node
/**
 * The `spillover` command. The only place that touches argv, exit codes and the terminal: bad input prints
 * one line and exits 2, with no stack trace.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../scenario/errors.js';
import { refuseNonDecimal, refuseRepeatedOptions } from './option-checks.js';
import { withoutEagerHelp } from './eager-help.js';
import { PACKAGE } from './package-info.js';
import * as calibrate from './commands/calibrate.js';
import * as ensemble from './commands/ensemble.js';
import * as merge from './commands/merge.js';
import * as report from './commands/report.js';
import * as sweep from './commands/sweep.js';
import * as run from './commands/run.js';
import * as series from './commands/series.js';
import * as scenarios from './commands/scenarios.js';
import * as validate from './commands/validate.js';

const EXIT_INPUT = 2;
/** System calls that write, and the errors of theirs that come from the place named rather than the machine. */
const WRITE_SYSCALLS = new Set(['mkdir', 'open', 'write', 'rename', 'rmdir', 'unlink', 'ftruncate']);
const PATH_ERRORS = new Set(['ENOENT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY', 'ENAMETOOLONG']);
/**
 * A full disk or an exceeded quota (EDQUOT, as a cluster's home or scratch space says it): writes through an open
 * file name no path, and an experiment stopped by one can carry on once there is room.
 */
const SPACE_ERRORS = new Set(['ENOSPC', 'EDQUOT']);
/** How the commands that store runs as they go carry on after a full disk (the others start again: merge, series, run). */
const RESUME = 'make room, then run the same command with --resume to keep the runs already stored (another --out starts over)';
const CARRY_ON: Record<string, string> = {
  ensemble: RESUME,
  sweep: RESUME,
  report: 'make room, then run the same command, which keeps the runs already stored (another --out starts over)',
};

const PATH_OPTIONS = ['out', 'emit-slurm', 'write-state', 'write-scenario'];

/**
 * The arguments with `--out -` given as `--out=-`: yargs reads a lone "-" as a positional argument and the option as
 * "", so `series x --out -` was told that "" names nothing and took "-" for a folder to read.
 */
function withDashValues(args: string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < args.length; k++) {
    if (args[k + 1] === '-' && PATH_OPTIONS.some((name) => args[k] === `--${name}`)) out.push(`${args[k++]}=-`);
    else out.push(args[k]);
  }
  return out;
}

/**
 * A yargs `check` of every command: the options that name a place to write name one, and "-", standard output, only
 * where a command writes there (`series --out -`).
 */
function checkPaths(argv: Record<string, unknown>): true {
  for (const name of PATH_OPTIONS) {
    if (argv[name] === '') throw new InputError(`--${name}`, '', '"" names nothing; expected a path');
    if (argv[name] === '-' && !(name === 'out' && argv._ instanceof Array && argv._[0] === 'series'))
      throw new InputError(`--${name}`, '', `"-" is standard output, where only series writes (--out -); expected a path${name === 'out' ? ' (a folder)' : ''}`);
  }
  return true;
}

// A reader that stops early (`spillover validate x | head -1`) closes its pipe: what it did not read is not wanted,
// which is no failure of the command, so the work goes on and the exit code is the work's. Unhandled, the write's EPIPE
// crashed the command with a stack trace, and on stderr a progress line stopped an experiment part-way.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });

function fail(message: string, code: number): never {
  process.stderr.write(`spillover: ${message}\n`);
  process.exit(code);
}

// Nothing is read after "--": yargs set it aside unread, so `spillover run x.json -- --seed 3` ran seed 2025 without a
// word, and `-- --seed 3 --out q` was taken for an option "--" given four times.
const afterEnd = process.argv.slice(2).indexOf('--');
if (afterEnd >= 0 && afterEnd < process.argv.length - 3)
  fail(`${JSON.stringify(process.argv.slice(afterEnd + 3).join(' '))} comes after "--", and nothing after it is read; expected every option and argument before "--"`, EXIT_INPUT);

// Options go after the command's name: yargs took `spillover --quiet ensemble x.json --runs 3` for --quiet=ensemble and
// no command, and listed "Unknown arguments: quiet, runs, x.json"
const COMMANDS = ['run', 'validate', 'scenarios', 'calibrate', 'ensemble', 'sweep', 'merge', 'series', 'report'];
const named = process.argv.slice(2).findIndex((a) => COMMANDS.includes(a));
const lead = process.argv.slice(2, 2 + Math.max(named, 0));
if (lead.some((a) => a.startsWith('-') && a !== '--help' && a !== '--version'))
  fail(`${lead.join(' ')}: comes before the command's name; expected the command first, then its options (spillover ${process.argv[2 + named]} ... ${lead.join(' ')})`, EXIT_INPUT);

// a lone "-" where a file is named (standard input, as many tools read it): yargs made it "", and `run -` said that the
// working folder was "a folder, not a file"
// (after an option other than a path's, `--keep -`, it is that option's value, and no path was expected)
const given = withDashValues(hideBin(process.argv));
const dash = given.indexOf('-');
if (dash >= 0) {
  const option = given[dash - 1]?.match(/^--?([A-Za-z][\w-]*)$/)?.[1];
  fail(option ? `--${option}: "-" would be standard input, which no command reads; expected the option's value (spillover ${given[0]} --help lists them)` : '"-" would be standard input, which no command reads; expected the path of a file or folder', EXIT_INPUT);
}

/**
 * yargs' "Unknown argument: resume" as the user typed it: `--resume: not an option of "run"` (yargs drops the dashes,
 * so an option and a stray argument read the same), and anything else as it is.
 */
function unknownAsTyped(message: string, args: string[]): string {
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (!m) return message;
  const typed = (name: string) => {
    for (const dashes of ['--', '-']) if (args.some((a) => a === `${dashes}${name}` || a.startsWith(`${dashes}${name}=`))) return `${dashes}${name}`;
    return undefined;
  };
  // yargs names `--foo-bar` twice, the second time as "fooBar"
  const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const names = m[1].split(', ').filter((name) => typed(name) || !typed(kebab(name))).map((name) => typed(name) ?? JSON.stringify(name));
  const options = names.every((n) => n.startsWith('-')), stray = names.every((n) => !n.startsWith('-'));
  const what = options ? (names.length > 1 ? 'options' : 'an option') : stray ? (names.length > 1 ? 'arguments' : 'an argument') : 'options or arguments';
  const command = COMMANDS.find((c) => args[0] === c);
  return `${names.join(', ')}: not ${what} of ${command ? `"spillover ${command}"` : 'spillover'}`;
}

try {
  const cli = yargs(given)
    .scriptName('spillover')
    .usage('$0 <command> [options]\n\nAgent-based simulation of regional integration in Central Asia.')
    .command(run)
    .command(validate)
    .command(scenarios)
    .command(calibrate)
    .command(ensemble)
    .command(sweep)
    .command(merge)
    .command(series)
    .command(report)
    .middleware(refuseNonDecimal, true)
    .middleware(refuseRepeatedOptions, true)
    .check(checkPaths, true)
    .demandCommand(1, `name a command: ${COMMANDS.slice(0, -1).join(', ')} or ${COMMANDS[COMMANDS.length - 1]}`)
    .strict()
    .example('$0 run scenarios/baseline.json', 'run the baseline, write output/baseline/')
    .example('$0 validate my-scenario.json', 'check a scenario file')
    .example('$0 scenarios', 'list the shipped scenarios')
    .epilogue('Docs: README.md and docs/ODD.md. Exit codes: 0 ok, 1 internal error, 2 bad input.')
    .fail((msg, err) => {
      if (err) throw err;
      fail(`${unknownAsTyped(msg, given)} (see --help)`, EXIT_INPUT);
    })
    .help()
    // the package's own version: yargs looks for a package.json from the working folder up, and outside the project
    // (a linked or installed command run elsewhere) found none and printed "unknown"
    .version(PACKAGE.version)
    .wrap(100);
  withoutEagerHelp(cli);
  await cli.parseAsync();
} catch (e) {
  if (e instanceof InputError) fail(e.message, EXIT_INPUT);
  // a run that overflowed where no command said which file it came from: still bad input, in one line
  if (e instanceof Error && e.name === 'RunOverflow') fail(e.message, EXIT_INPUT);
  const err = e as NodeJS.ErrnoException;
  // the process's limit of open files, not the file named: it said "cannot write" of a file being read
  if (err.code === 'EMFILE' || err.code === 'ENFILE')
    fail(`too many open files (${err.code}${err.syscall ? `, ${err.syscall}` : ''}${err.path ? ` ${JSON.stringify(err.path)}` : ''}); expected a higher limit of open files (ulimit -n)`, 1);
  // a place that cannot be written (an output folder the user named, as a rule): one line, not an internal error
  if (err.code && err.path && err.syscall && WRITE_SYSCALLS.has(err.syscall)) {
    const reason = /^[A-Z]+: ([^,]+),/.exec(err.message)?.[1] ?? err.code;
    const input = PATH_ERRORS.has(err.code);
    const expected = err.code === 'EISDIR' ? '; expected the name of a file, not a folder' : err.code === 'ENAMETOOLONG' ? '; expected a shorter name' : input ? '; expected a folder that can be written' : '';
    fail(`cannot write ${JSON.stringify(err.path)}: ${reason} (${err.code}, ${err.syscall})${expected}`, input ? EXIT_INPUT : 1);
  }
  if (err.code && SPACE_ERRORS.has(err.code)) {
    const reason = /^[A-Z]+: ([^,]+),/.exec(err.message)?.[1] ?? err.code;
    const what = err.path ? ` writing ${JSON.stringify(err.path)}` : '';
    fail(`${reason}${what} (${err.code}${err.syscall ? `, ${err.syscall}` : ''}); the outputs were not written: ${CARRY_ON[process.argv[2]] ?? 'make room or choose another --out'}`, 1);
  }
  if (process.env.SPILLOVER_DEBUG) console.error(err);
  fail(`internal error: ${err.message ?? String(err)} (set SPILLOVER_DEBUG=1 for details)`, 1);
}
