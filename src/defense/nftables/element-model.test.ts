import { describe, expect, it } from 'vitest';
import { ElementModel } from './element-model.js';

const NOW = 1_000_000;

function sendAll(model: ElementModel, now = NOW) {
  const plan = model.plan(now);
  model.commit(plan);
  return { adds: plan.adds.map((a) => `${a.key}/${a.timeoutSeconds}`), deletes: plan.deletes.map((d) => d.key) };
}

describe('ElementModel', () => {
  it('sends a new ban once, canonical, with the time left as timeout', () => {
    const model = new ElementModel();
    expect(model.set('::ffff:198.51.100.66', NOW + 60_000)).toEqual({ key: '198.51.100.66' });
    expect(sendAll(model)).toEqual({ adds: ['198.51.100.66/60'], deletes: [] });
    expect(model.pending).toBe(0);
    model.set('198.51.100.66', NOW + 60_000);
    expect(model.pending).toBe(0);
  });

  it('replaces an element whose ban was extended, and deletes a removed one', () => {
    const model = new ElementModel();
    model.set('198.51.100.66', NOW + 60_000);
    sendAll(model);
    model.set('198.51.100.66', NOW + 120_000);
    expect(sendAll(model)).toEqual({ adds: ['198.51.100.66/120'], deletes: ['198.51.100.66'] });
    model.delete('198.51.100.66');
    expect(sendAll(model)).toEqual({ adds: [], deletes: ['198.51.100.66'] });
  });

  it('never sends overlapping intervals: a block shadows the addresses inside it', () => {
    const model = new ElementModel();
    model.set('198.51.100.66', NOW + 60_000);
    model.set('203.0.113.7', null);
    sendAll(model);
    model.set('198.51.100.0/24', null);
    expect(sendAll(model)).toEqual({ adds: ['198.51.100.0/24/null'], deletes: ['198.51.100.66'] });
    model.set('198.51.100.70', null);
    expect(sendAll(model)).toEqual({ adds: [], deletes: [] });
    model.delete('198.51.100.0/24');
    const after = sendAll(model);
    expect(after.deletes).toEqual(['198.51.100.0/24']);
    expect(after.adds.sort()).toEqual(['198.51.100.66/60', '198.51.100.70/null']);
  });

  it('marks a delete as uncertain when the kernel timeout may already have removed the element', () => {
    const model = new ElementModel();
    model.set('198.51.100.66', NOW + 10_000);
    model.set('198.51.100.67', NOW + 60_000);
    model.set('198.51.100.68', null);
    model.commit(model.plan(NOW));
    for (const a of ['198.51.100.66', '198.51.100.67', '198.51.100.68']) model.delete(a);
    const plan = model.plan(NOW + 8_000);
    expect(plan.deletes.map((d) => `${d.key} ${d.present}`).sort()).toEqual([
      '198.51.100.66 false',
      '198.51.100.67 true',
      '198.51.100.68 true',
    ]);
  });

  it('does not send a ban that has run out', () => {
    const model = new ElementModel();
    model.set('198.51.100.66', NOW - 1);
    expect(sendAll(model)).toEqual({ adds: [], deletes: [] });
  });

  it('keeps a key dirty when it changed while its batch was being sent', () => {
    const model = new ElementModel();
    model.set('198.51.100.66', NOW + 60_000);
    const plan = model.plan(NOW);
    model.delete('198.51.100.66');
    model.commit(plan);
    expect(model.pending).toBe(1);
    expect(sendAll(model)).toEqual({ adds: [], deletes: ['198.51.100.66'] });
  });

  it('lists every element for a table built afresh, IPv6 included', () => {
    const model = new ElementModel();
    model.set('2001:db8::/32', null);
    model.set('2001:db8::1', null);
    model.set('2001:db9::1', NOW + 1000);
    const full = model.full(NOW);
    expect(full.adds.map((a) => `${a.family} ${a.key}`).sort()).toEqual(['6 2001:db8::/32', '6 2001:db9::1']);
    model.commit(full);
    expect(model.pending).toBe(0);
  });

  it('reports a bad address instead of taking it', () => {
    const model = new ElementModel();
    expect(model.set('not-an-ip', null)).toEqual({ error: expect.stringMatching(/not an IPv4 or IPv6 address/) });
    expect(model.size).toBe(0);
  });

  it('takes a blocklist of 50,000 blocks and 50,000 addresses without a quadratic walk', () => {
    const model = new ElementModel();
    const started = performance.now();
    for (let i = 0; i < 50_000; i++) model.set(`${20 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`, NOW + 60_000);
    for (let i = 0; i < 50_000; i++) model.set(`${20 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.9`, NOW + 60_000);
    const plan = model.plan(NOW);
    model.commit(plan);
    // Every address lies in one of the blocks: only the blocks go to the kernel.
    expect(plan.adds).toHaveLength(50_000);
    expect(plan.adds.every((a) => a.key.endsWith('/24'))).toBe(true);
    model.delete('20.0.0.0/24');
    expect(model.plan(NOW).adds.map((a) => a.key)).toEqual(['20.0.0.9']);
    // About a second on an idle machine; a walk over every element per block would take many minutes.
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
