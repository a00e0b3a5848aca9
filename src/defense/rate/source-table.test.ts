import { describe, expect, it } from 'vitest';
import { hashAddress } from './doorkeeper.js';
import { DOOR_REFUSAL, DOOR_REQUEST, SourceTable, stringBytes, WAYS } from './source-table.js';

/** The doorkeeper's two Bloom filters of 2^20 bits. */
const DOORKEEPER_BYTES = 2 * 131_072;

/** The n-th address of a spoofed flood: 1,000,000 distinct IPv4 addresses from 10.0.0.0 up. */
function spoofed(n: number): string {
  return `${10 + (n >>> 24)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

describe('SourceTable: bounded per-source state', () => {
  it('holds at most its capacity through 1,000,000 distinct sources, and accounts for its bytes', () => {
    const table = new SourceTable(100_000, 200);
    expect(table.capacity).toBe(100_000);
    const empty = table.bytesUsed();
    expect(empty).toBe(100_000 * 48 + DOORKEEPER_BYTES);
    let max = 0;
    for (let n = 0; n < 1_000_000; n++) {
      table.slot(spoofed(n), 1_000 + n);
      if ((n & 1023) === 0) max = Math.max(max, table.size);
    }
    const stats = table.stats();
    expect(Math.max(max, stats.size)).toBeLessThanOrEqual(100_000);
    // Hashing spreads the sources: the table fills up (every bucket), then only evicts.
    expect(stats.size).toBe(100_000);
    expect(stats.evictions).toBe(1_000_000 - 100_000);
    // 48 bytes of columns + the key string (16 + 16 or 24 characters' worth) per entry: ≤ 88 bytes each.
    const perEntry = (stats.bytes - DOORKEEPER_BYTES) / stats.size;
    expect(perEntry).toBeGreaterThan(48 + 16);
    expect(perEntry).toBeLessThanOrEqual(48 + stringBytes('10.255.255.255'.length));
    expect(stats.bytes).toBeLessThan(9_000_000);
  }, 30_000);

  it('finds a source again in its slot, and claims nothing on find()', () => {
    const table = new SourceTable(64, 5);
    const a = table.slot('198.51.100.7', 1);
    table.tokens[a] = 3;
    expect(table.slot('198.51.100.7', 2)).toBe(a);
    expect(table.tokens[a]).toBe(3);
    expect(table.find('198.51.100.7')).toBe(a);
    expect(table.find('198.51.100.8')).toBe(-1);
    expect(table.size).toBe(1);
  });

  it('evicts the least recently active source of a full bucket, sparing a rate-limited one', () => {
    const table = new SourceTable(WAYS, 1); // one bucket: every address shares it
    const names = Array.from({ length: WAYS }, (_, i) => `203.0.113.${i}`);
    names.forEach((name, i) => table.slot(name, 1_000 + i));
    // The oldest (203.0.113.0) is being rate-limited: it stays; the next oldest goes.
    table.limitedSince[table.find(names[0]!)] = 1_000;
    table.slot('192.0.2.1', 5_000);
    expect(table.find(names[0]!)).toBeGreaterThanOrEqual(0);
    expect(table.find(names[1]!)).toBe(-1);
    expect(table.size).toBe(WAYS);
    expect(table.stats().evictions).toBe(1);
  });

  it('hashes addresses to well spread 32-bit values', () => {
    const buckets = new Uint32Array(64);
    for (let n = 0; n < 64_000; n++) buckets[(hashAddress(spoofed(n)) >>> 0) % 64]!++;
    for (const count of buckets) expect(count).toBeGreaterThan(800);
    expect(hashAddress('2001:db8::1')).not.toBe(hashAddress('2001:db8::2'));
  });

  it('admits a source at its second sighting, with the first one counted: a spoofed flood stays out of the table', () => {
    const table = new SourceTable(100_000, 200);
    let admitted = 0;
    for (let n = 0; n < 200_000; n++) if (table.admit(spoofed(n), 1_000, DOOR_REQUEST) >= 0) admitted++;
    // Only the Bloom filter's false positives get in (its filters are cleared a quarter full).
    expect(admitted).toBeLessThan(10_000);
    expect(table.size).toBe(admitted);

    expect(table.admit('198.51.100.66', 2_000, DOOR_REQUEST)).toBe(-1);
    expect(table.admit('198.51.100.66', 2_000, DOOR_REFUSAL)).toBe(-1);
    const slot = table.admit('198.51.100.66', 2_001, DOOR_REQUEST);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(table.tokens[slot]).toBe(199); // the first request's token
    expect(table.refused[slot]).toBe(1); // and its refusal
    expect(table.admit('198.51.100.66', 2_002, DOOR_REFUSAL)).toBe(slot);
  });

  it('forgets first sightings after doorkeeperMs', () => {
    const table = new SourceTable(64, 5, 10_000);
    expect(table.admit('198.51.100.7', 1_000, DOOR_REFUSAL)).toBe(-1);
    expect(table.admit('198.51.100.7', 11_000, DOOR_REFUSAL)).toBe(-1);
    const slot = table.admit('198.51.100.7', 11_001, DOOR_REFUSAL);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect(table.tokens[slot]).toBe(5); // never sighted as a request
    expect(table.refused[slot]).toBe(1);
  });
});
