/** Checks of numeric options, shared by the commands (yargs `check` callbacks that throw one-line input errors). */
import { formatValue, InputError } from '../scenario/errors.js';

/** The text the user typed for an option (yargs has already turned it into a number). */
export function rawOption(name: string): string | undefined {
  const argv = process.argv;
  const k = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (k < 0) return undefined;
  return argv[k].includes('=') ? argv[k].slice(argv[k].indexOf('=') + 1) : argv[k + 1];
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
    if (!(Number.isInteger(value) && value >= min && value <= max))
      throw new InputError(`--${name}`, '', `${value} is not a number of ${what}; expected a whole number from ${min} to ${max}`);
    return true;
  };
}
