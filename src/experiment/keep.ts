/** Which variables a `keep` pattern names: `"cooperation.*"` every variable that starts `cooperation.`, else the one. */
export function keepMatches(pattern: string, variable: string): boolean {
  return pattern.endsWith('.*') ? variable.startsWith(pattern.slice(0, -1)) : variable === pattern;
}

/** The patterns of a comma-separated `keep` list, as the command line gives it (`"cooperation.*, trade_usd"`). */
export function keepPatterns(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}
