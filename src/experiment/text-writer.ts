/** Appends text to a file in large chunks, for outputs written row by row (or, already encoded, a block of rows). */
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
    // 64 KB, not more: lines waiting here survive young-generation collections, which copy them each time (a row is a
    // tree of concatenated pieces until joined). When runs.csv rows came as lines, waiting for a megabyte cost a
    // 20,000-run ensemble's main thread some 300 ms in such collections, 15-38 ms each; at 64 KB, about 110 ms. Rows
    // now come as bytes (`bytes`); lines are headers and points.csv.
    if (this.size > 1 << 16) this.flush();
  }
  /** Appends bytes as they are (whole lines, newlines included). */
  bytes(bytes: Uint8Array): void {
    this.flush();
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done);
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
