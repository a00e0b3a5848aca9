import { describe, expect, it } from 'vitest';
import { orderSrv } from './srv-order.js';
import { srv } from './test-kit.js';

const names = (records: { name: string }[]): string[] => records.map((r) => r.name);

describe('orderSrv (RFC 2782)', () => {
  const records = [srv(20, 5, 5060, 'p20'), srv(10, 90, 5060, 'c90'), srv(10, 0, 5060, 'a0'), srv(10, 10, 5060, 'b10')];

  it('MUST try the lowest-numbered priority first', () => {
    for (const r of [0, 0.5, 0.999]) expect(orderSrv(records, () => r).at(-1)!.name).toBe('p20');
  });

  it('places weight 0 first and draws by running sum of weights', () => {
    // Order before the draws: a0 (weight 0 first), then c90, b10 as listed.
    // Draw 0: the running sum of "a0" (0) already reaches it; then "c90" (90 >= 0), then "b10".
    expect(names(orderSrv(records, () => 0))).toEqual(['a0', 'c90', 'b10', 'p20']);
    // Draw 100 of 0..100: only the last running sum (0 + 90 + 10) reaches it; then 90 of 0..90.
    expect(names(orderSrv(records, () => 0.999))).toEqual(['b10', 'c90', 'a0', 'p20']);
  });

  it('gives heavier records the first place more often', () => {
    let seed = 1;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const first = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const name = orderSrv(records, random)[0]!.name;
      first.set(name, (first.get(name) ?? 0) + 1);
    }
    expect(first.get('c90')!).toBeGreaterThan(1500);
    expect(first.get('b10')!).toBeGreaterThan(100);
  });

  it('leaves out a target of "." (service not available)', () => {
    expect(names(orderSrv([srv(1, 0, 0, '.'), srv(1, 0, 0, ''), srv(2, 0, 5060, 'x')]))).toEqual(['x']);
  });
});
