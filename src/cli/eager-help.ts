/**
 * yargs formats a command's whole help every time the command runs, to keep it in case a failure shows it
 * (yargs/yargs#1865): each line of the options and examples wrapped and measured, some 40-80 ms of every command on the
 * development machine, a tenth of a 100-run ensemble from start to exit. The command line's `fail` prints one line and
 * never the help, and `--help` formats it when asked, so the cache is never read.
 */

interface UsageInternals {
  cacheHelpMessage?: () => void;
  hasCachedHelpMessage?: () => boolean;
}

/** yargs' usage object behind a parser, through its internal methods; undefined where a version lacks them. */
export function usageOf(parser: unknown): UsageInternals | undefined {
  return (parser as { getInternalMethods?: () => { getUsageInstance?: () => UsageInternals } }).getInternalMethods?.().getUsageInstance?.();
}

/**
 * Makes `parser` format its help only when asked (`--help`), not each time a command runs: the Angular CLI's override
 * (angular/angular-cli#34087). Returns the parser; one without yargs' internal methods is left as it is.
 */
export function withoutEagerHelp<T>(parser: T): T {
  const usage = usageOf(parser);
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
  return parser;
}
