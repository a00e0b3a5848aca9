import { describe, expect, it } from 'vitest';
import { addressFamily, endpointKey, formatEndpoint, formatFlow, makeFlow, normalizeAddress, sameEndpoint } from './flow.js';

describe('Flow', () => {
  it('formats a flow in the direction a message arrives (remote → local)', () => {
    const flow = makeFlow('udp', { address: '192.0.2.30', port: 40211 }, { address: '198.51.100.66', port: 5060 });
    expect(formatFlow(flow)).toBe('udp 198.51.100.66:5060 → 192.0.2.30:40211');
    expect(flow.id).toBe('udp:192.0.2.30:40211-198.51.100.66:5060');
  });

  it('brackets IPv6 addresses (RFC 5118 §4.1 style references)', () => {
    const flow = makeFlow('tls', { address: '::1', port: 5061 }, { address: '2001:db8::7', port: 50000 });
    expect(formatFlow(flow)).toBe('tls [2001:db8::7]:50000 → [::1]:5061');
    expect(formatEndpoint({ address: '2001:db8::7', port: 1 })).toBe('[2001:db8::7]:1');
    expect(endpointKey('tcp', { address: '::1', port: 5060 })).toBe('tcp:[::1]:5060');
  });

  it('normalises IPv4-mapped IPv6 addresses from dual-stack sockets to IPv4', () => {
    expect(normalizeAddress('::ffff:198.51.100.66')).toBe('198.51.100.66');
    expect(normalizeAddress('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(normalizeAddress('::ffff:1')).toBe('::ffff:1');
    expect(normalizeAddress('2001:db8::1')).toBe('2001:db8::1');
    const flow = makeFlow('tcp', { address: '::ffff:127.0.0.1', port: 5060 }, { address: '::ffff:127.0.0.2', port: 9 });
    expect(flow.remote.address).toBe('127.0.0.2');
    expect(flow.local.address).toBe('127.0.0.1');
    expect(sameEndpoint({ address: '::ffff:127.0.0.2', port: 9 }, flow.remote)).toBe(true);
  });

  it('gives the address family of an address', () => {
    expect(addressFamily('::1')).toBe(6);
    expect(addressFamily('127.0.0.1')).toBe(4);
  });

  it('gives equal ids to flows of the same 5-tuple and different ids otherwise', () => {
    const a = makeFlow('udp', { address: '10.0.0.1', port: 5060 }, { address: '10.0.0.2', port: 5060 });
    const b = makeFlow('udp', { address: '10.0.0.1', port: 5060 }, { address: '10.0.0.2', port: 5060 });
    const c = makeFlow('tcp', { address: '10.0.0.1', port: 5060 }, { address: '10.0.0.2', port: 5060 });
    expect(a.id).toBe(b.id);
    expect(a.id).not.toBe(c.id);
  });
});
