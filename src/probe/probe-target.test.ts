import { describe, expect, it } from 'vitest';
import { MAX_PROBE_PORTS, parseProbeTarget } from './probe-target.js';

describe('parseProbeTarget: HOST[:PORT[-PORT]]', () => {
  it('takes an address, a name, a port, a range, and IPv6 with and without brackets', () => {
    expect(parseProbeTarget('192.0.2.20')).toEqual({ host: '192.0.2.20', ports: [5060], transport: 'udp' });
    expect(parseProbeTarget('pbx.example.test:5080', 'tcp')).toEqual({ host: 'pbx.example.test', ports: [5080], transport: 'tcp' });
    expect(parseProbeTarget('192.0.2.20:5060-5063').ports).toEqual([5060, 5061, 5062, 5063]);
    expect(parseProbeTarget('[::1]:5060-5070').ports).toHaveLength(11);
    expect(parseProbeTarget('[::1]:5060-5070').host).toBe('::1');
    expect(parseProbeTarget('[2001:db8::1]')).toEqual({ host: '2001:db8::1', ports: [5060], transport: 'udp' });
    expect(parseProbeTarget('2001:db8::1').ports).toEqual([5060]);
  });

  it(`caps a range at ${MAX_PROBE_PORTS} ports, with a clear error past that`, () => {
    expect(parseProbeTarget('192.0.2.20:1-1000').ports).toHaveLength(1000);
    expect(() => parseProbeTarget('192.0.2.20:1-1001')).toThrow(/1001 ports is too many: at most 1000 ports per probe/);
  });

  it.each([
    ['', /no host/],
    ['192.0.2.20:', /port is empty/],
    ['192.0.2.20:0', /port 0/],
    ['192.0.2.20:70000', /out of range/],
    ['192.0.2.20:5070-5060', /backwards/],
    ['192.0.2.20:abc', /not a port/],
    ['[::1', /closing/],
    ['[::1]5060', /":PORT"/],
    ['[192.0.2.1]:5060', /not an IPv6/],
    ['bad host!:5060', /neither an IP address nor a host name/],
    ['x'.repeat(400), /too long/],
  ])('refuses %j', (text, why) => {
    expect(() => parseProbeTarget(text)).toThrow(why);
    try {
      parseProbeTarget(text);
    } catch (err) {
      expect((err as { code: string }).code).toBe('GG_ERR_PROBE_TARGET');
    }
  });
});
