/** Which variables a `keep` pattern names: `"cooperation.*"` every variable that starts `cooperation.`, else the one. */
export function keepMatches(pattern: string, variable: string): boolean {
  return pattern.endsWith('.*') ? variable.startsWith(pattern.slice(0, -1)) : variable === pattern;
}
