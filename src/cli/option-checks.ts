/** Checks of numeric options, shared by the commands (yargs `check` callbacks that throw one-line input errors). */
import { decimalNumber } from '../scenario/csv.js';
import { formatValue, InputError, listed } from '../scenario/errors.js';

/** The options as typed, in order, up to `--`: `--name value` or `--name=value` (the text undefined when none follows). */
function typedOptions(): Array<{ name: string; text: string | undefined }> {
  const argv = process.argv.slice(2);
  const options: Array<{ name: string; text: string | undefined }> = [];
  for (let k = 0; k < argv.length && argv[k] !== '--'; k++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(argv[k]);
    if (m) options.push({ name: m[1], text: m[2] ?? argv[k + 1] });
  }
  return options;
}

/** The text the user typed for an option (yargs has already turned it into a number). */
export function rawOption(name: string): string | undefined {
  return typedOptions().find((o) => o.name === name)?.text;
}

/** The options any command reads as numbers. */
const NUMBER_OPTIONS = new Set(['runs', 'seed', 'workers', 'shard-count', 'replicates', 'year']);

/**
 * yargs middleware, before validation: a number option is written in decimal, as design files and `--set` values are
 * (`decimalNumber`). yargs reads numbers with `Number()`, which took `--runs 0x10` for 16 runs and `--seed 0b1` for
 * seed 1 without a word. Text that is no number at all is left to each option's own check, which names the option's
 * range.
 */
export function refuseNonDecimal(): void {
  for (const { name, text } of typedOptions()) {
    if (!NUMBER_OPTIONS.has(name) || text === undefined || Number.isNaN(Number(text)) || !Number.isNaN(decimalNumber(text))) continue;
    // blank text, which Number() reads as 0 (`--seed ""` ran seed 0)
    if (text.trim() === '') throw new InputError(`--${name}`, '', `${formatValue(text)} is not a number; expected one written in decimal`);
    throw new InputError(`--${name}`, '', `${formatValue(text)} is not a decimal number; expected one written in decimal, as ${Number(text)}`);
  }
}

/** yargs `check`: a seed is a whole number from 0 to 2^32 - 1. */
export function checkSeed(argv: { seed?: number }): true {
  if (argv.seed !== undefined && !(Number.isInteger(argv.seed) && argv.seed >= 0 && argv.seed < 2 ** 32))
    throw new InputError('--seed', '', `${formatValue(rawOption('seed'))} is not a seed; expected a whole number from 0 to 4294967295`);
  return true;
}

/** A yargs `check` that `--name` is a whole number of `what` from `min` to `max`. */
export function checkWholeNumber(name: string, what: string, min: number, max: number) {
  return (argv: Record<string, unknown>): true => {
    const value = argv[name] as number;
    // text that is no number is shown as typed: yargs made it NaN, and `--runs abc` said "NaN is not a number of runs"
    const shown = Number.isNaN(value) ? formatValue(rawOption(name) ?? '') : value;
    if (!(Number.isInteger(value) && value >= min && value <= max))
      throw new InputError(`--${name}`, '', `${shown} is not a number of ${what}; expected a whole number from ${min} to ${max}`);
    return true;
  };
}

/** A repeatable list option's text: given more than once, its comma-separated lists add up into one. */
export function listOption(value: string | string[] | undefined): string | undefined {
  return value === undefined ? undefined : [value].flat().join(',');
}

/** Options a command may be given more than once, each time adding a value (and the positionals' own lists). */
const REPEATABLE = new Set(['set', 'reuse', 'keep', '_', '$0', 'dirs', 'scenarios']);

/**
 * yargs middleware, before validation: an option given twice with different values is refused (yargs made a list of
 * them, which `--out` took to an internal error and `--seed 1 --seed 2` to "1 is not a seed"; a last value winning
 * would run something other than what half the command line says). The same value twice, as a script that builds a
 * command may write it, is that value.
 */
export function refuseRepeatedOptions(argv: Record<string, unknown>): void {
  for (const key of Object.keys(argv)) {
    const value = argv[key];
    if (!Array.isArray(value) || REPEATABLE.has(key) || /[A-Z]/.test(key)) continue;
    const camel = key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (REPEATABLE.has(camel)) continue;
    if (value.every((v) => v === value[0])) {
      argv[key] = argv[camel] = value[0];
      continue;
    }
    const shown = value.map((v) => formatValue(v));
    throw new InputError(`--${key}`, '', `given ${value.length === 2 ? 'twice' : `${value.length} times`} (${listed(shown)}); expected one value`);
  }
}
