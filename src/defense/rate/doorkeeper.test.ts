import { describe, expect, it } from 'vitest';
import { Doorkeeper, hashAddress } from './doorkeeper.js';

const spoofed = (n: number): string => `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;

describe('Doorkeeper', () => {
  it('tells a second sighting from a first, and changes nothing when only asked', () => {
    const door = new Doorkeeper();
    const h = hashAddress('198.51.100.66');
    expect(door.has(h)).toBe(false);
    expect(door.has(h)).toBe(false);
    expect(door.sight(h, 1000)).toBe(false);
    expect(door.has(h)).toBe(true);
    expect(door.sight(h, 1001)).toBe(true);
    expect(door.sight(hashAddress('198.51.100.67'), 1002)).toBe(false);
  });

  it('forgets everything after its period', () => {
    const door = new Doorkeeper(1 << 20, 10_000);
    const h = hashAddress('198.51.100.66');
    door.sight(h, 1000);
    expect(door.sight(h, 10_999)).toBe(true);
    expect(door.sight(h, 11_000)).toBe(false); // cleared at 11,000 (10 s after the first sighting cleared it)
    expect(door.sight(h, 11_001)).toBe(true);
  });

  it('is cleared once a quarter of its bits went in, so false positives stay few', () => {
    const bits = 1 << 12;
    const door = new Doorkeeper(bits);
    let falsePositives = 0;
    for (let n = 0; n < bits / 4; n++) if (door.sight(hashAddress(spoofed(n)), 0)) falsePositives++;
    expect(falsePositives / (bits / 4)).toBeLessThan(0.1);
    const early = hashAddress(spoofed(0));
    expect(door.has(early)).toBe(true);
    // A false positive adds no sighting: a few hundred more new sources fill the quarter, and the filter starts over.
    for (let n = bits / 4; n < bits / 4 + 300; n++) door.sight(hashAddress(spoofed(n)), 0);
    expect(door.has(early)).toBe(false);
    expect(door.has(hashAddress(spoofed(bits / 4 + 299)))).toBe(true);
  });

  it('refuses a size that is not a power of two in range', () => {
    expect(() => new Doorkeeper(1000)).toThrow(/power of two/);
    expect(() => new Doorkeeper(1 << 8)).toThrow(/power of two/);
    expect(new Doorkeeper(1 << 10).bytes).toBe(128);
  });
});
