import { describe, expect, it } from 'vitest';
import { StreamBuffer } from './stream-buffer.js';

describe('StreamBuffer', () => {
  it('keeps appended chunks contiguous and copies out consumed frames', () => {
    const b = new StreamBuffer();
    b.append(Buffer.from('hel'));
    b.append(Buffer.from('lo wor'));
    expect(b.bytes.toString()).toBe('hello wor');
    const first = b.copy(5);
    b.consume(5);
    expect(b.head).toBe(5);
    expect(b.pending).toBe(4);
    b.compact();
    expect(b.head).toBe(0);
    expect(b.bytes.toString()).toBe(' wor');
    b.append(Buffer.from('ld'));
    expect(b.bytes.toString()).toBe(' world');
    expect(first.toString()).toBe('hello');
  });

  it('grows past its initial capacity without losing bytes', () => {
    const b = new StreamBuffer();
    const big = Buffer.alloc(10_000, 0x61);
    for (let i = 0; i < 3; i++) b.append(big);
    expect(b.pending).toBe(30_000);
    expect(b.bytes.every((x) => x === 0x61)).toBe(true);
  });

  it('resets to empty when everything is consumed', () => {
    const b = new StreamBuffer();
    b.append(Buffer.alloc(50_000));
    b.consume(50_000);
    b.compact();
    expect(b.pending).toBe(0);
    expect(b.bytes.length).toBe(0);
  });
});
