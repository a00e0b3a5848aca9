/**
 * The bytes of one stream connection not yet framed: one contiguous, growable Buffer, so that the
 * framer can scan it and a message arriving in many segments is copied once, not once per segment.
 *
 * `head` is the first unframed byte. `consume()` moves it; `compact()` moves the unframed rest to the
 * front (called after framing, so the framer's positions stay valid while it works).
 */
const INITIAL_CAPACITY = 4_096;
/** An empty buffer larger than this is released, so idle connections hold little memory. */
const KEEP_CAPACITY = 16_384;

export class StreamBuffer {
  #data: Buffer = Buffer.alloc(0);
  #head = 0;
  #tail = 0;

  /** Every buffered byte, framed or not; positions are `head`-relative as the framer expects. */
  get bytes(): Buffer {
    return this.#data.subarray(0, this.#tail);
  }

  get head(): number {
    return this.#head;
  }

  /** Bytes not yet framed. */
  get pending(): number {
    return this.#tail - this.#head;
  }

  append(chunk: Uint8Array): void {
    const needed = this.#tail + chunk.length;
    if (needed > this.#data.length) {
      let capacity = Math.max(INITIAL_CAPACITY, this.#data.length * 2);
      while (capacity < needed) capacity *= 2;
      const grown = Buffer.allocUnsafe(capacity);
      this.#data.copy(grown, 0, this.#head, this.#tail);
      this.#tail -= this.#head;
      this.#head = 0;
      this.#data = grown;
    }
    this.#data.set(chunk, this.#tail);
    this.#tail += chunk.length;
  }

  /** Marks `n` bytes from `head` as framed. */
  consume(n: number): void {
    this.#head = Math.min(this.#tail, this.#head + n);
  }

  /** Moves the unframed bytes to the front; releases a large buffer once it is empty. */
  compact(): void {
    if (this.#head === this.#tail) {
      this.#head = 0;
      this.#tail = 0;
      if (this.#data.length > KEEP_CAPACITY) this.#data = Buffer.alloc(0);
      return;
    }
    if (this.#head === 0) return;
    this.#data.copy(this.#data, 0, this.#head, this.#tail);
    this.#tail -= this.#head;
    this.#head = 0;
  }

  /** A copy of `[head, head + n)`: safe to keep after the buffer is reused. */
  copy(n: number): Buffer {
    return Buffer.from(this.#data.subarray(this.#head, this.#head + n));
  }

  clear(): void {
    this.#data = Buffer.alloc(0);
    this.#head = 0;
    this.#tail = 0;
  }
}
