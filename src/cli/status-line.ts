/**
 * A line of progress on a terminal, drawn again in place. It fits the terminal: a line wider than the terminal wrapped,
 * and each redraw left a line behind (a 40-column terminal filled with hundreds). It is drawn at most ten times a
 * second, not at every update (some hundred a second, a lot over a slow link), and erased to the line's end, so a
 * shorter line leaves nothing of the one before.
 */
export class StatusLine {
  private drawn = -Infinity;
  private readonly stream: NodeJS.WriteStream;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.stream = stream;
  }

  /** The terminal's width in characters. */
  get columns(): number {
    return this.stream.columns || 80;
  }

  /**
   * Draws `line`, cut to the terminal's width, unless one was drawn less than a tenth of a second before `seconds` (any
   * clock, in seconds); a `last` line is always drawn, and ends the line.
   */
  draw(line: string, seconds: number, last = false): void {
    if (seconds - this.drawn < 0.1 && !last) return;
    this.drawn = seconds;
    this.stream.write(`\r${line.slice(0, this.columns - 1)}\x1b[K${last ? '\n' : ''}`);
  }
}
