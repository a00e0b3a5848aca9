import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReaderCore, type ReaderCoreOptions } from './reader-core.js';
import { SOURCE_FIELDS, type ReaderTally } from './reader-protocol.js';

const SCANNERS = join(import.meta.dirname, '../../../test/fixtures/scanners');
const fixture = (name: string): Buffer => Buffer.from(readFileSync(join(SCANNERS, name), 'latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
const INVITE = fixture('sipvicious-svmap-invite.sip');
const OPTIONS = fixture('sipvicious-svmap-options.sip');
const RESPONSE = Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.30:5080;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n', 'latin1');
const ACK = Buffer.from('ACK sip:100@192.0.2.30 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.66:5060;branch=z9hG4bK2\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:100@192.0.2.30>;tag=2\r\nCall-ID: y\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n', 'latin1');
const GARBAGE = Buffer.from('INVITE this is not SIP at all\r\n\r\n', 'latin1');

function core(options: Partial<ReaderCoreOptions> = {}) {
  let now = 1_700_000_040_000; // the start of a sample window (windows are aligned to the epoch, as the guard's event windows)
  const handed: Array<{ index: number; address: string; port: number; data: Buffer }> = [];
  const c = new ReaderCore(
    { maxMessageSize: 65_535, handOverPerSecond: 10, sampleWindowMs: 60_000, now: () => now, ...options },
    (index, data, address, port) => handed.push({ index, data, address, port }),
  );
  return { c, handed, advance: (ms: number) => (now += ms) };
}

function entries(tally: ReaderTally | null): Array<{ index: number; address: string; port: number; reason: string; method: string | null; count: number }> {
  const out = [];
  for (const [index, reason, method, sources] of tally?.g ?? []) {
    for (let k = 0; k < sources.length; k += SOURCE_FIELDS) {
      out.push({ index, address: sources[k] as string, port: sources[k + 1] as number, reason, method, count: sources[k + 2] as number });
    }
  }
  return out;
}

/** The requests a tally counts without names, by kind. */
function unnamed(tally: ReaderTally | null): Array<{ index: number; reason: string; method: string | null; count: number }> {
  return (tally?.g ?? []).filter((g) => g[4] > 0).map(([index, reason, method, , count]) => ({ index, reason, method, count }));
}

describe('ReaderCore: what a WAN reader does with a datagram', () => {
  it('hands every datagram from a provider address over whole, never rationed', () => {
    const { c, handed } = core({ handOverPerSecond: 1 });
    c.setTrusted(['203.0.113.10', '198.51.100.0/28', '2001:db8::10']);
    for (let i = 0; i < 5; i++) expect(c.datagram(0, INVITE, '203.0.113.10', 5060)).toBe('trusted');
    expect(c.datagram(0, INVITE, '198.51.100.7', 5060)).toBe('trusted');
    expect(c.datagram(0, INVITE, '::ffff:203.0.113.10', 5060)).toBe('trusted');
    expect(c.datagram(0, INVITE, '2001:db8:0::10', 5060)).toBe('trusted');
    expect(handed).toHaveLength(8);
    expect(handed[6]!.address).toBe('::ffff:203.0.113.10');
    expect(entries(c.takeTally())).toEqual([]);
  });

  it("hands a stranger's first request over (the guard labels and explains it) and tallies the rest by method", () => {
    const { c, handed } = core();
    expect(c.datagram(0, INVITE, '198.51.100.66', 5070)).toBe('handed-over');
    for (let i = 0; i < 3; i++) expect(c.datagram(0, INVITE, '198.51.100.66', 5070)).toBe('tallied');
    expect(c.datagram(0, OPTIONS, '198.51.100.66', 5071)).toBe('tallied');
    expect(c.datagram(1, GARBAGE, '198.51.100.66', 5070)).toBe('handed-over'); // first of its reason
    expect(c.datagram(1, GARBAGE, '198.51.100.66', 5070)).toBe('tallied');
    expect(handed.map((h) => h.index)).toEqual([0, 1]);
    const tally = c.takeTally();
    expect(tally?.read).toBe(7);
    expect(entries(tally)).toEqual([
      { index: 0, address: '198.51.100.66', port: 5070, reason: 'not-from-provider', method: 'INVITE', count: 3 },
      { index: 0, address: '198.51.100.66', port: 5071, reason: 'not-from-provider', method: 'OPTIONS', count: 1 },
      { index: 1, address: '198.51.100.66', port: 5070, reason: 'malformed', method: null, count: 1 },
    ]);
    expect(c.takeTally()).toBeNull();
  });

  it('hands a source over again in the next sample window, not before', () => {
    const { c, advance } = core();
    expect(c.datagram(0, INVITE, '198.51.100.66', 5060)).toBe('handed-over');
    advance(59_000);
    expect(c.datagram(0, INVITE, '198.51.100.66', 5060)).toBe('tallied');
    advance(60_000);
    expect(c.datagram(0, INVITE, '198.51.100.66', 5060)).toBe('handed-over');
  });

  it('rations hand-overs of strangers (a second of them in a burst), then tallies requests and sheds the rest by kind', () => {
    const { c, handed, advance } = core({ handOverPerSecond: 3 });
    for (let i = 0; i < 5; i++) c.datagram(0, INVITE, `198.51.100.${i}`, 5060);
    expect(handed).toHaveLength(3);
    expect(c.datagram(0, RESPONSE, '198.51.100.99', 5060)).toBe('shed');
    expect(c.datagram(0, ACK, '198.51.100.99', 5060)).toBe('shed');
    expect(c.datagram(0, Buffer.from('\r\n\r\n'), '198.51.100.99', 5060)).toBe('shed');
    expect(c.datagram(0, Buffer.alloc(70_000, 0x41), '198.51.100.99', 5060)).toBe('shed');
    const tally = c.takeTally();
    // Sources never sighted before, with the budget spent: counted, not named.
    expect(entries(tally)).toEqual([]);
    expect(unnamed(tally)).toEqual([{ index: 0, reason: 'not-from-provider', method: 'INVITE', count: 2 }]);
    expect(tally?.shed).toEqual({ response: 1, ACK: 1, keepalive: 1, 'too-large': 1 });
    advance(1000); // a second later the bucket is full again
    expect(c.datagram(0, RESPONSE, '198.51.100.99', 5060)).toBe('handed-over');
  });

  it('keeps its tally bounded: requests of sources beyond the cap are counted as lost', () => {
    const { c } = core({ handOverPerSecond: 0, maxTallyKeys: 2 });
    for (let i = 0; i < 5; i++) for (let k = 0; k < 2; k++) c.datagram(0, INVITE, `198.51.100.${i}`, 5060);
    const tally = c.takeTally();
    expect(entries(tally)).toHaveLength(2);
    expect(unnamed(tally)[0]?.count).toBe(5);
    expect(tally?.lost).toBe(3);
    expect(tally?.read).toBe(10);
  });

  it('learns new provider addresses when the guard sends them', () => {
    const { c } = core();
    expect(c.datagram(0, INVITE, '203.0.113.20', 5060)).toBe('handed-over');
    expect(c.datagram(0, INVITE, '203.0.113.20', 5060)).toBe('tallied');
    c.setTrusted(['203.0.113.20']);
    expect(c.datagram(0, INVITE, '203.0.113.20', 5060)).toBe('trusted');
  });

  it('tallies a method the guard does not count by name as other, so a flood of made-up methods cannot grow the tally', () => {
    const { c } = core({ handOverPerSecond: 0 });
    for (let i = 0; i < 50; i++) c.datagram(0, Buffer.from(INVITE.toString('latin1').replace(/INVITE/g, `X${i}`), 'latin1'), '198.51.100.66', 5060);
    const tally = c.takeTally();
    expect(entries(tally)).toEqual([{ index: 0, address: '198.51.100.66', port: 5060, reason: 'not-from-provider', method: 'other', count: 49 }]);
    expect(unnamed(tally)).toEqual([{ index: 0, reason: 'not-from-provider', method: 'other', count: 1 }]);
  });

  it('tallies a source by the address the guard knows it by (an IPv4-mapped address of a dual-stack socket as plain IPv4)', () => {
    const { c } = core({ handOverPerSecond: 0 });
    c.datagram(0, INVITE, '::ffff:198.51.100.66', 5060);
    c.datagram(0, INVITE, '198.51.100.66', 5060); // sighted before, under its mapped form
    c.datagram(0, INVITE, '::ffff:198.51.100.66', 5060);
    expect(entries(c.takeTally())).toEqual([{ index: 0, address: '198.51.100.66', port: 5060, reason: 'not-from-provider', method: 'INVITE', count: 2 }]);
  });

  it('counts a flood of one-packet sources without their names while the hand-over budget is spent, and names a source from its second request', () => {
    const { c, handed } = core({ handOverPerSecond: 0 });
    for (let i = 0; i < 3000; i++) c.datagram(0, i % 3 === 0 ? OPTIONS : INVITE, `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 5060);
    c.datagram(0, INVITE, '10.0.0.1', 5061);
    c.datagram(1, GARBAGE, '10.0.0.2', 5060);
    const tally = c.takeTally();
    expect(handed).toEqual([]);
    expect(tally?.read).toBe(3002);
    expect(unnamed(tally)).toEqual([
      { index: 0, reason: 'not-from-provider', method: 'OPTIONS', count: 1000 },
      { index: 0, reason: 'not-from-provider', method: 'INVITE', count: 2000 },
    ]);
    expect(entries(tally)).toEqual([
      { index: 0, address: '10.0.0.1', port: 5061, reason: 'not-from-provider', method: 'INVITE', count: 1 },
      { index: 1, address: '10.0.0.2', port: 5060, reason: 'malformed', method: null, count: 1 },
    ]);
  });

  it('forgets first sightings after the doorkeeper period: a source is then unnamed once more', () => {
    const { c, advance } = core({ handOverPerSecond: 0, doorkeeperMs: 10_000 });
    c.datagram(0, INVITE, '198.51.100.66', 5060);
    c.datagram(0, INVITE, '198.51.100.66', 5060);
    advance(10_000);
    c.datagram(0, INVITE, '198.51.100.66', 5060);
    c.datagram(0, INVITE, '198.51.100.66', 5060);
    const tally = c.takeTally();
    expect(unnamed(tally)).toEqual([{ index: 0, reason: 'not-from-provider', method: 'INVITE', count: 2 }]);
    expect(entries(tally).map((e) => e.count)).toEqual([2]);
  });
});
