/**
 * A word as bash reads it back unchanged: as it is when it holds only characters bash gives no meaning to, else in
 * single quotes (a single quote inside written as '\''). For the scripts `--emit-slurm` writes, whose paths and
 * arguments may hold spaces, quotes or glob characters.
 */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
