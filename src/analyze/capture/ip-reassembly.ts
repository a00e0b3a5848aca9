/**
 * IP fragment reassembly (RFC 791 §3.2 for IPv4, RFC 8200 §4.5 for IPv6), bounded: at most
 * `maxDatagrams` datagrams in progress (the oldest is dropped for a new one), none larger than
 * 65535 bytes of payload, each given up `timeoutMs` of capture time after its first fragment
 * (RFC 8200 §4.5: 60 s; Linux uses 30 s). Every datagram given up is counted once.
 *
 * Out-of-order fragments and exact duplicates are fine. Where fragments overlap, the bytes that
 * arrived first are kept (RFC 5722 would drop an overlapping IPv6 datagram outright; an analyzer
 * wants to show what it can, and the first copy is what most stacks saw).
 */

export interface ReassemblyLimits {
  readonly maxDatagrams: number;
  readonly timeoutMs: number;
}

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = { maxDatagrams: 1024, timeoutMs: 30_000 };

/** The largest payload an IP datagram can carry (the 16-bit length fields). */
const MAX_DATAGRAM = 65535;

interface Piece {
  readonly offset: number;
  readonly bytes: Buffer;
}

interface Pending {
  readonly firstTime: number;
  readonly pieces: Piece[];
  /** Payload length once the last fragment (M=0) has arrived, else -1. */
  total: number;
  bytes: number;
}

export interface ReassemblyCounters {
  fragments: number;
  fragmentsReassembled: number;
  fragmentsDropped: number;
}

export class FragmentTable {
  private readonly table = new Map<string, Pending>();
  private readonly limits: ReassemblyLimits;
  private readonly counters: ReassemblyCounters;
  private lastSweep = -Infinity;

  constructor(counters: ReassemblyCounters, limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS) {
    this.counters = counters;
    this.limits = limits;
  }

  get size(): number {
    return this.table.size;
  }

  /**
   * Adds the fragment `data[start, end)` at byte `offset` of datagram `key`. Returns the whole
   * datagram payload when this fragment completed it, else null. `data` is copied.
   */
  add(key: string, offset: number, more: boolean, data: Uint8Array, start: number, end: number, time: number): Buffer | null {
    this.counters.fragments++;
    this.sweep(time);
    let entry = this.table.get(key);
    if (entry === undefined) {
      if (this.table.size >= this.limits.maxDatagrams) this.dropOldest();
      entry = { firstTime: time, pieces: [], total: -1, bytes: 0 };
      this.table.set(key, entry);
    }
    const length = end - start;
    if (offset + length > MAX_DATAGRAM || (entry.total >= 0 && offset + length > entry.total)) {
      this.drop(key);
      return null;
    }
    if (!more) {
      if (entry.total >= 0 && entry.total !== offset + length) {
        this.drop(key);
        return null;
      }
      entry.total = offset + length;
    }
    if (length > 0) {
      entry.pieces.push({ offset, bytes: Buffer.from(data.subarray(start, end)) });
      entry.bytes += length;
    }
    if (entry.total < 0 || !covers(entry.pieces, entry.total)) return null;
    this.table.delete(key);
    this.counters.fragmentsReassembled++;
    return assemble(entry.pieces, entry.total);
  }

  /** Gives up every datagram still incomplete (end of the capture). */
  flush(): void {
    this.counters.fragmentsDropped += this.table.size;
    this.table.clear();
  }

  /** Drops the datagrams whose first fragment is older than the timeout (checked once a second). */
  sweep(now: number): void {
    if (this.table.size === 0 || now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [key, entry] of this.table) {
      // Map order is insertion order, so the oldest come first.
      if (now - entry.firstTime < this.limits.timeoutMs) break;
      this.drop(key);
    }
  }

  private dropOldest(): void {
    const oldest = this.table.keys().next();
    if (oldest.done !== true) this.drop(oldest.value);
  }

  private drop(key: string): void {
    if (this.table.delete(key)) this.counters.fragmentsDropped++;
  }
}

/** True when the pieces cover `[0, total)` with no hole. */
function covers(pieces: readonly Piece[], total: number): boolean {
  const sorted = [...pieces].sort((a, b) => a.offset - b.offset);
  let covered = 0;
  for (const p of sorted) {
    if (p.offset > covered) return false;
    covered = Math.max(covered, p.offset + p.bytes.length);
    if (covered >= total) return true;
  }
  return covered >= total;
}

/** The datagram payload; pieces are written last-arrived first, so the first arrival wins overlaps. */
function assemble(pieces: readonly Piece[], total: number): Buffer {
  const out = Buffer.alloc(total);
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i]!;
    p.bytes.copy(out, p.offset, 0, Math.min(p.bytes.length, total - p.offset));
  }
  return out;
}
