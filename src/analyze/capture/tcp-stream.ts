/**
 * One direction of a TCP connection, put back in order (RFC 9293 §3.4 sequence numbers, modulo 2^32)
 * and cut into SIP messages by Content-Length with src/sip/framing.ts (RFC 3261 §18.3).
 *
 * - Retransmissions and overlaps: bytes before `next` are already delivered and are trimmed.
 * - Out of order: a segment ahead of `next` waits (a copy) while it lies within `WINDOW` bytes and
 *   fewer than `MAX_WAITING` segments (`MAX_WAITING_BYTES` bytes) wait; past that, the hole is given
 *   up (a gap). With the message cap, one stream holds at most ~256 KiB.
 * - A gap, or bytes the framer refuses, lose the message in progress: the stream resynchronises at
 *   the next line that starts like SIP (src/analyze/capture/sip-sniff.ts).
 * - A stream first seen mid-connection (no SYN) starts at its first segment, and synchronises the
 *   same way.
 */
import { isSipError } from '../../sip/errors.js';
import { frameStream, newFrameProgress, type FrameProgress } from '../../sip/framing.js';
import type { CaptureEndpoint } from './captured-message.js';
import { sniffSip } from './sip-sniff.js';

/** The largest SIP message accepted over TCP. */
export const MAX_TCP_MESSAGE = 128 * 1024;
/** How far ahead of the next expected byte a segment may wait, and how much may wait in all. */
const WINDOW = 256 * 1024;
const MAX_WAITING = 64;
const MAX_WAITING_BYTES = 128 * 1024;
/** A buffer larger than this is released once it is empty (a large message passed). */
const KEEP_BUFFER = 16 * 1024;
const LF = 10;
const CR = 13;

export interface TcpSink {
  message(stream: TcpStream, bytes: Uint8Array): void;
  problem(stream: TcpStream, code: string, message: string): void;
  gap(stream: TcpStream): void;
}

interface Waiting {
  readonly seq: number;
  readonly bytes: Buffer;
}

export class TcpStream {
  readonly src: CaptureEndpoint;
  readonly dst: CaptureEndpoint;
  /** Next expected sequence number; -1 before the first segment. */
  private next = -1;
  private data: Buffer = Buffer.alloc(0);
  private start = 0;
  private len = 0;
  private synced = false;
  /** Whether `start` is known to be the start of a line (after a SYN or a line feed). */
  private atLineStart = false;
  private readonly waiting: Waiting[] = [];
  private waitingBytes = 0;
  private readonly progress: FrameProgress = newFrameProgress();

  constructor(src: CaptureEndpoint, dst: CaptureEndpoint) {
    this.src = src;
    this.dst = dst;
  }

  /** Bytes held (unframed data plus segments waiting): about MAX_TCP_MESSAGE + MAX_WAITING_BYTES at most. */
  get heldBytes(): number {
    return this.len - this.start + this.waitingBytes;
  }

  /** One segment: `syn` consumes one sequence number before the data. */
  segment(seq: number, syn: boolean, buf: Uint8Array, from: number, to: number, sink: TcpSink): void {
    if (syn) {
      // A SYN (or a retransmitted one) resets the stream to its initial sequence number.
      this.next = (seq + 1) >>> 0;
      this.reset();
      this.waiting.length = 0;
      this.waitingBytes = 0;
      this.atLineStart = true;
      seq = this.next;
    } else if (this.next < 0) {
      this.next = seq;
    }
    if (to <= from) return;
    const ahead = (seq - this.next) | 0;
    if (ahead > 0) {
      this.wait(seq, buf, from, to, sink);
      return;
    }
    if (to - from <= -ahead) return; // all of it delivered before: a retransmission
    this.append(buf, from - ahead, to);
    this.drainWaiting();
    this.frame(sink);
  }

  private wait(seq: number, buf: Uint8Array, from: number, to: number, sink: TcpSink): void {
    const ahead = (seq - this.next) | 0;
    if (ahead > WINDOW || this.waiting.length >= MAX_WAITING || this.waitingBytes + (to - from) > MAX_WAITING_BYTES) {
      this.giveUpHole(sink);
      // After the gap the stream continues at the earliest segment we have, or at this one.
      if (this.waiting.length === 0 || ((seq - this.waiting[0]!.seq) | 0) < 0) this.next = seq;
      if (((seq - this.next) | 0) > 0) this.insertWaiting(seq, buf, from, to);
      else this.append(buf, from, to);
      this.drainWaiting();
      this.frame(sink);
      return;
    }
    this.insertWaiting(seq, buf, from, to);
  }

  private insertWaiting(seq: number, buf: Uint8Array, from: number, to: number): void {
    let i = this.waiting.length;
    while (i > 0 && ((this.waiting[i - 1]!.seq - seq) | 0) > 0) i--;
    const prev = this.waiting[i - 1];
    if (prev !== undefined && prev.seq === seq && prev.bytes.length >= to - from) return; // duplicate
    this.waiting.splice(i, 0, { seq, bytes: Buffer.from(buf.subarray(from, to)) });
    this.waitingBytes += to - from;
  }

  /** A hole that will not be filled: drop the message in progress and continue at the first waiting segment. */
  private giveUpHole(sink: TcpSink): void {
    sink.gap(this);
    this.reset();
    this.atLineStart = false;
    const first = this.waiting[0];
    if (first !== undefined) this.next = first.seq;
  }

  private drainWaiting(): void {
    while (this.waiting.length > 0) {
      const w = this.waiting[0]!;
      const ahead = (w.seq - this.next) | 0;
      if (ahead > 0) return;
      this.waiting.shift();
      this.waitingBytes -= w.bytes.length;
      if (w.bytes.length > -ahead) this.append(w.bytes, -ahead, w.bytes.length);
    }
  }

  private append(buf: Uint8Array, from: number, to: number): void {
    const n = to - from;
    this.next = (this.next + n) >>> 0;
    if (this.start === this.len) {
      this.start = 0;
      this.len = 0;
      if (this.data.length > KEEP_BUFFER) this.data = Buffer.alloc(0);
    }
    if (this.len + n > this.data.length) {
      if (this.start > 0) {
        this.data.copy(this.data, 0, this.start, this.len);
        this.len -= this.start;
        this.start = 0;
        this.progress.start = -1;
      }
      if (this.len + n > this.data.length) {
        const grown = Buffer.allocUnsafe(Math.max(this.len + n, this.data.length * 2, 4096));
        this.data.copy(grown, 0, 0, this.len);
        this.data = grown;
      }
    }
    this.data.set(buf.subarray(from, to), this.len);
    this.len += n;
  }

  private reset(): void {
    this.start = 0;
    this.len = 0;
    this.synced = false;
    this.progress.start = -1;
  }

  /** Hands out every complete message; keeps the incomplete rest. */
  private frame(sink: TcpSink): void {
    const view = this.data.subarray(0, this.len);
    for (let guard = 0; guard < 1_000_000 && this.start < this.len; guard++) {
      if (!this.synced && !this.resync()) return;
      if (view[this.start] !== CR) {
        // Every message must start like SIP, not only the first after a resync.
        const s = sniffSip(view, this.start, this.len);
        if (s === -1) return;
        if (s === 0) {
          this.synced = false;
          this.atLineStart = true;
          continue;
        }
      }
      const f = frameStream(view, this.start, MAX_TCP_MESSAGE, this.progress);
      if (isSipError(f)) {
        sink.problem(this, f.code, f.message);
        // Skip the refused start line; look for the next message from the following line on.
        this.synced = false;
        const lf = view.indexOf(LF, this.start);
        this.start = lf < 0 ? this.len : lf + 1;
        this.atLineStart = true;
        continue;
      }
      if (f.kind === 'incomplete') return;
      if (f.kind === 'message') {
        sink.message(this, view.subarray(this.start, f.end));
        this.start = f.end;
      } else {
        this.start = f.end; // a CRLF keep-alive (RFC 5626 §3.5.1)
      }
    }
  }

  /**
   * Moves `start` to the next line start that looks like SIP. True when found; false when more
   * bytes are needed (the tail that could still begin one is kept, the rest dropped).
   */
  private resync(): boolean {
    const buf = this.data;
    let p = this.start;
    let anchored = this.atLineStart;
    while (p < this.len) {
      const s = sniffSip(buf, p, this.len, !anchored);
      if (s === 1) {
        this.start = p;
        this.synced = true;
        this.progress.start = -1;
        return true;
      }
      if (s === -1) {
        // Could be a start line whose end has not arrived (bounded by MAX_LINE): keep it.
        this.start = p;
        this.atLineStart = anchored;
        return false;
      }
      const lf = buf.indexOf(LF, p);
      if (lf < 0 || lf >= this.len) break;
      p = lf + 1;
      anchored = true;
    }
    // Nothing here starts a message; the next bytes continue the last (unfinished) line.
    this.start = this.len;
    this.atLineStart = this.len > 0 && buf[this.len - 1] === LF;
    return false;
  }
}
