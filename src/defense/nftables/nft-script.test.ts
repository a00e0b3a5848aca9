import { describe, expect, it } from 'vitest';
import {
  MAX_TIMEOUT_SECONDS,
  checkPorts,
  createTableScript,
  deleteTableScript,
  elementsScript,
  timeoutFor,
} from './nft-script.js';

describe('nft scripts', () => {
  it('creates its own table in one transaction, replacing a stale one first', () => {
    const script = createTableScript({ udp: [40123, 5060], tcp: [40123, 5061] });
    const lines = script.split('\n');
    expect(lines.indexOf('table inet ghostguard')).toBeLessThan(lines.indexOf('delete table inet ghostguard'));
    expect(lines.indexOf('delete table inet ghostguard')).toBeLessThan(lines.indexOf('table inet ghostguard {'));
    expect(script).toContain('set banned4 { type ipv4_addr; flags interval, timeout; }');
    expect(script).toContain('set banned6 { type ipv6_addr; flags interval, timeout; }');
    expect(script).toContain('type filter hook prerouting priority raw; policy accept;');
    expect(script).toContain('ip saddr @banned4 udp dport { 5060, 40123 } counter name "dropped4" drop');
    expect(script).toContain('ip saddr @banned4 tcp dport { 5061, 40123 } counter name "dropped4" drop');
    expect(script).toContain('ip6 saddr @banned6 udp dport { 5060, 40123 } counter name "dropped6" drop');
    expect(script).not.toContain('add element');
  });

  it('writes a single port without braces and leaves out a protocol without ports', () => {
    const script = createTableScript({ udp: [40123], tcp: [] });
    expect(script).toContain('ip saddr @banned4 udp dport 40123 counter');
    expect(script).not.toContain('tcp dport');
  });

  it('puts the bans in force into the new table', () => {
    const script = createTableScript({ udp: [5060], tcp: [] }, [
      { family: 4, key: '198.51.100.66', timeoutSeconds: 3600 },
      { family: 6, key: '2001:db8::/32', timeoutSeconds: null },
    ]);
    expect(script).toContain('add element inet ghostguard banned4 { 198.51.100.66 timeout 3600s }');
    expect(script).toContain('add element inet ghostguard banned6 { 2001:db8::/32 }');
  });

  it('deletes idempotently (add with 1 s, then delete) before it adds', () => {
    const script = elementsScript(
      [{ family: 4, key: '203.0.113.9', timeoutSeconds: 60 }],
      [{ family: 4, key: '198.51.100.66' }, { family: 6, key: '2001:db8::1' }],
    );
    expect(script.trim().split('\n')).toEqual([
      'add element inet ghostguard banned4 { 198.51.100.66 timeout 1s }',
      'delete element inet ghostguard banned4 { 198.51.100.66 }',
      'add element inet ghostguard banned6 { 2001:db8::1 timeout 1s }',
      'delete element inet ghostguard banned6 { 2001:db8::1 }',
      'add element inet ghostguard banned4 { 203.0.113.9 timeout 60s }',
    ]);
    expect(elementsScript([], [])).toBe('');
  });

  it('deletes an element the kernel surely holds with a plain delete', () => {
    const script = elementsScript(
      [{ family: 4, key: '198.51.100.0/24', timeoutSeconds: 60 }],
      [{ family: 4, key: '198.51.100.66', present: true }, { family: 4, key: '203.0.113.9', present: false }],
    );
    expect(script.trim().split('\n')).toEqual([
      'add element inet ghostguard banned4 { 203.0.113.9 timeout 1s }',
      'delete element inet ghostguard banned4 { 198.51.100.66, 203.0.113.9 }',
      'add element inet ghostguard banned4 { 198.51.100.0/24 timeout 60s }',
    ]);
  });

  it('splits big batches into statements of at most 256 elements', () => {
    const adds = Array.from({ length: 600 }, (_, i) => ({ family: 4 as const, key: `10.0.${i >> 8}.${i & 255}`, timeoutSeconds: 5 }));
    const lines = elementsScript(adds, []).trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.split(',').length)).toEqual([256, 256, 88]);
  });

  it('rounds timeouts up to whole seconds, at least 1, none past the kernel limit', () => {
    expect(timeoutFor(10_001, 0)).toBe(11);
    expect(timeoutFor(5, 10)).toBe(1);
    expect(timeoutFor(null, 0)).toBeNull();
    expect(timeoutFor(MAX_TIMEOUT_SECONDS * 1000, 0)).toBe(MAX_TIMEOUT_SECONDS);
    expect(timeoutFor(MAX_TIMEOUT_SECONDS * 1000 + 1000, 0)).toBeNull();
  });

  it('deletes the table only if it is there', () => {
    expect(deleteTableScript()).toBe('table inet ghostguard\ndelete table inet ghostguard\n');
  });

  it('refuses an offload without ports or with a bad one', () => {
    expect(checkPorts({ udp: [], tcp: [] })).toMatch(/at least one port/);
    expect(checkPorts({ udp: [70000], tcp: [] })).toMatch(/70000/);
    expect(checkPorts({ udp: [5060], tcp: [5061] })).toBeNull();
  });
});
