/**
 * Reads a file through one reused buffer (1 MiB, grown only for a record larger than that, up to
 * `maxRecord`), so that a capture of any size is read in constant memory. The format readers look at
 * `buf[pos, end)` synchronously and ask for `fill(n)` only when a record is not all there.
 */
import type { FileHandle } from 'node:fs/promises';

export const CHUNK_BYTES = 1 << 20;

export class ChunkReader {
  buf: Buffer;
  view: DataView;
  /** Next unread byte in `buf`. */
  pos = 0;
  /** End of the valid bytes in `buf`. */
  end = 0;
  /** File offset of `buf[0]`. */
  base = 0;
  /** True once the file has no more bytes. */
  eof = false;
  /** Bytes read from the file so far. */
  bytesRead = 0;
  private readonly fh: FileHandle;
  private readonly maxRecord: number;

  constructor(fh: FileHandle, maxRecord: number, chunkBytes = CHUNK_BYTES) {
    this.fh = fh;
    this.maxRecord = maxRecord;
    this.buf = Buffer.allocUnsafe(chunkBytes);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** File offset of `buf[pos]`. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Bytes available from `pos`. */
  get available(): number {
    return this.end - this.pos;
  }

  /**
   * Makes at least `need` bytes available from `pos` (moving the unread bytes to the front: every
   * view into `buf` taken before is invalid afterwards). False when the file ends first.
   */
  async fill(need: number): Promise<boolean> {
    if (need > this.maxRecord) throw new RangeError(`record of ${need} bytes exceeds ${this.maxRecord}`);
    while (this.end - this.pos < need) {
      if (this.eof) return false;
      if (need > this.buf.length) this.grow(need);
      else if (this.pos > 0) this.compact();
      const { bytesRead } = await this.fh.read(this.buf, this.end, this.buf.length - this.end, null);
      if (bytesRead === 0) this.eof = true;
      this.end += bytesRead;
      this.bytesRead += bytesRead;
    }
    return true;
  }

  private compact(): void {
    this.buf.copy(this.buf, 0, this.pos, this.end);
    this.base += this.pos;
    this.end -= this.pos;
    this.pos = 0;
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.min(this.maxRecord, Math.max(need, this.buf.length * 2)));
    this.buf.copy(next, 0, this.pos, this.end);
    this.base += this.pos;
    this.end -= this.pos;
    this.pos = 0;
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }
}
