/** Appends text to a file in large chunks, for outputs written row by row. */
import { closeSync, openSync, writeSync } from 'node:fs';

export class TextWriter {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  line(text: string): void {
    this.chunks.push(text);
    this.size += text.length + 1;
    if (this.size > 1 << 20) this.flush();
  }
  private flush(): void {
    if (this.chunks.length) writeSync(this.fd, `${this.chunks.join('\n')}\n`);
    this.chunks = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
