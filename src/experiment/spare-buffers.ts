/**
 * The main thread's own record buffers, kept to be filled again by its next runs (a fresh buffer's every page faults
 * on its first write, see batch-computer.ts).
 */

/**
 * The most bytes of the main thread's own record buffers kept to be filled again (`SpareBuffers`). It makes them to the
 * size of each take, and a take too large for the buffer at hand makes a new one, so the pool kept every buffer its
 * runs ahead of the workers had ever held at once, a running maximum that crept up with the number of runs (from 16
 * to 67 MB over 24,000 monthly runs to 2100). Unshared buffers dropped are freed, unlike a worker's shared ones.
 */
export const MAIN_SPARE_BYTES = 16 << 20;

/** Record buffers to fill again: a stack holding at most MAIN_SPARE_BYTES (the rest are dropped). */
export class SpareBuffers {
  private readonly buffers: ArrayBuffer[] = [];
  private bytes = 0;
  constructor(private readonly most = MAIN_SPARE_BYTES) {}
  push(buffer: ArrayBuffer): void {
    if (this.bytes + buffer.byteLength > this.most) return;
    this.buffers.push(buffer);
    this.bytes += buffer.byteLength;
  }
  pop(): ArrayBuffer | undefined {
    const buffer = this.buffers.pop();
    if (buffer) this.bytes -= buffer.byteLength;
    return buffer;
  }
  /** Bytes held. */
  get held(): number {
    return this.bytes;
  }
}
