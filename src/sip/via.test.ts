import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyBytes, distinctParams, linearity, mutationsOf, sipish } from '../../test/support/fuzz-strings.js';
import { tortureHeader, tortureHeaders } from '../../test/support/torture-headers.js';
import { SipError } from './errors.js';
import { splitHeaderValues } from './split-values.js';
import type { Via } from './types.js';
import { parseVia } from './via.js';

function ok(text: string): Via {
  const r = parseVia(text);
  if (r instanceof SipError) throw new Error(`${JSON.stringify(text)}: ${r.code} ${r.message} @${r.offset}`);
  return r;
}

function fail(text: string): SipError {
  const r = parseVia(text);
  if (!(r instanceof SipError)) throw new Error(`${JSON.stringify(text)}: expected an error, got ${JSON.stringify(r)}`);
  return r;
}

/** Every via-parm of every Via / v header of a torture message. */
function vias(file: string): string[] {
  return tortureHeaders(file, 'Via', 'v').flatMap((h) => splitHeaderValues(h).map((p) => p.value));
}

describe('parseVia (RFC 3261 §20.42)', () => {
  it('reads the SIPVicious Via: SIP/2.0/UDP 127.0.1.1:5060;branch=z9hG4bK-1131591547;rport', () => {
    const v = ok('SIP/2.0/UDP 127.0.1.1:5060;branch=z9hG4bK-1131591547;rport');
    expect(v).toMatchObject({
      protocol: 'SIP/2.0',
      transport: 'UDP',
      host: '127.0.1.1',
      hostKind: 'ipv4',
      port: 5060,
      branch: 'z9hG4bK-1131591547',
      received: null,
      rport: true, // RFC 3581 §3: rport without a value asks for the source port
      maddr: null,
      ttl: null,
      raw: 'SIP/2.0/UDP 127.0.1.1:5060;branch=z9hG4bK-1131591547;rport',
    });
    expect([...v.params.keys()]).toEqual(['branch', 'rport']);
  });

  it('reads every Via of RFC 4475 §3.1.1.1 wsinv (LWS and folds around "/" and ";")', () => {
    const all = vias('rfc4475/wsinv.dat').map(ok);
    expect(all.map((v) => [v.transport, v.host, v.branch])).toEqual([
      ['UDP', '192.0.2.2', '390skdjuw'],
      ['TCP', 'spindle.example.com', 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', 'z9hG4bK30239'],
    ]);
    expect(all.every((v) => v.protocol === 'SIP/2.0')).toBe(true);
  });

  it('reads the five transports of RFC 4475 §3.1.1.10 transports, the unknown one included', () => {
    expect(vias('rfc4475/transports.dat').map((t) => ok(t).transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP']);
  });

  it('keeps unusual branches as written (RFC 4475 §3.1.1.2 intmeth, §3.1.1.5 esc02, §3.2.1 badbranch)', () => {
    expect(ok(tortureHeader('rfc4475/intmeth.dat', 'Via')).branch).toBe("z9hG4bK-.!%66*_+`'~");
    expect(ok(tortureHeader('rfc4475/esc02.dat', 'Via')).branch).toBe('z9hG4bK209%fzsnel234');
    expect(ok(tortureHeader('rfc4475/badbranch.dat', 'Via')).branch).toBe('z9hG4bK');
  });

  it('accepts a Via without branch (RFC 4475 §3.4.1 inv2543, RFC 2543 style)', () => {
    expect(ok(tortureHeader('rfc4475/inv2543.dat', 'Via'))).toMatchObject({ host: 'iftgw.example.com', branch: null, port: null });
  });

  it('reads the broadcast sent-by of RFC 4475 §3.3.10 bcast (the policy decides about it)', () => {
    expect(vias('rfc4475/bcast.dat').map((t) => ok(t).host)).toEqual(['192.0.2.198', '255.255.255.255']);
  });

  it('refuses stray separators (RFC 4475 §3.1.2.1 badinv01: "SIP/2.0/UDP 192.0.2.15;;,;,,")', () => {
    const parts = vias('rfc4475/badinv01.dat');
    expect(parts).toEqual(['SIP/2.0/UDP 192.0.2.15;;', ';', '', '']);
    expect(fail(parts[0]!)).toMatchObject({ code: 'SIP_BAD_PARAM', offset: 23 });
    for (const p of parts.slice(1)) expect(fail(p).code).toBe('SIP_BAD_VIA');
  });

  it('reads IPv6 sent-by, with and without port (RFC 5118 §4.1, §4.7, §4.9)', () => {
    expect(ok(tortureHeader('rfc5118/ipv6-good.dat', 'Via'))).toMatchObject({ host: '2001:db8::9:1', hostKind: 'ipv6', port: null });
    expect(vias('rfc5118/mult-ip-in-header.dat').map((t) => ok(t)).map((v) => [v.host, v.port, v.received])).toEqual([
      ['2001:db8::9:1', 6050, null],
      ['192.0.2.1', null, null],
      ['2001:db8::9:255', null, '192.0.2.200'],
    ]);
    expect(vias('rfc5118/ipv4-mapped-ipv6.dat').map((t) => ok(t)).map((v) => [v.host, v.port])).toEqual([
      ['::ffff:192.0.2.10', 19823],
      ['::ffff:192.0.2.2', null],
    ]);
  });

  it('RFC 5118 §4.5: received holds a bare IPv6 address; a bracketed one is accepted too', () => {
    const bare = ok(tortureHeader('rfc5118/via-received-param-no-delim.dat', 'Via'));
    expect(bare).toMatchObject({ received: '2001:db8::9:255', branch: 'z9hG4bKas3' });
    const bracketed = ok(tortureHeader('rfc5118/via-received-param-with-delim.dat', 'Via'));
    expect(bracketed.received).toBe('2001:db8::9:255');
    expect(bracketed.params.get('received')).toBe('[2001:db8::9:255]');
  });

  it('allows LWS around ":" of sent-by and upper-cases protocol and transport', () => {
    expect(ok('sip/2.0/tcp host.example.com : 5061;ttl=16;maddr=224.2.0.1;rport=5062')).toMatchObject({
      protocol: 'SIP/2.0',
      transport: 'TCP',
      port: 5061,
      ttl: 16,
      maddr: '224.2.0.1',
      rport: 5062,
    });
    expect(ok('SIP/3.0/ws h').protocol).toBe('SIP/3.0');
    expect(ok('SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKx').transport).toBe('WSS');
    expect(ok('  SIP/2.0/UDP h  ').raw).toBe('SIP/2.0/UDP h');
  });

  it('checks the Via parameters it knows (RFC 3261 §20.42, RFC 3581)', () => {
    expect(ok('SIP/2.0/UDP h;ttl=0').ttl).toBe(0);
    expect(ok('SIP/2.0/UDP h;ttl=255').ttl).toBe(255);
    expect(fail('SIP/2.0/UDP h;ttl=256').message).toMatch(/ttl/);
    expect(fail('SIP/2.0/UDP h;ttl=0255').message).toMatch(/ttl/); // 1*3DIGIT
    expect(fail('SIP/2.0/UDP h;ttl').message).toMatch(/ttl/);
    expect(ok('SIP/2.0/UDP h;rport=0').rport).toBe(0);
    expect(fail('SIP/2.0/UDP h;rport=65536').message).toMatch(/rport/);
    expect(fail('SIP/2.0/UDP h;rport=12ab').message).toMatch(/rport/);
    expect(fail('SIP/2.0/UDP h;received=host.example.com').message).toMatch(/received/);
    expect(fail('SIP/2.0/UDP h;received').message).toMatch(/received/);
    expect(fail('SIP/2.0/UDP h;maddr=-x').message).toMatch(/maddr/);
    expect(fail('SIP/2.0/UDP h;branch').message).toMatch(/branch/);
    expect(fail('SIP/2.0/UDP h;branch="a b"').message).toMatch(/branch/);
    expect(fail('SIP/2.0/UDP h;branch=a;branch=b').code).toBe('SIP_BAD_PARAM');
  });

  it('refuses a malformed sent-protocol or sent-by with the offset of the fault', () => {
    expect(fail('')).toMatchObject({ code: 'SIP_BAD_VIA', offset: 0 });
    expect(fail('SIP 2.0/UDP h').offset).toBe(4);
    expect(fail('SIP/2.0 UDP h').offset).toBe(8);
    expect(fail('SIP/2.0/ h')).toMatchObject({ offset: 10, message: 'expected the sent-by host' }); // "h" is the transport
    expect(fail('SIP/2.0/UDP').offset).toBe(11);
    expect(fail('SIP/2.0/;').offset).toBe(8);
    expect(fail('SIP/2.0/UDPh').offset).toBe(12);
    expect(fail('SIP/2.0/UDP 2001:db8::1').offset).toBe(12); // IPv6 sent-by needs brackets
    expect(fail('SIP/2.0/UDP [2001:db8::1').offset).toBe(12);
    expect(fail('SIP/2.0/UDP 192.0.2.300').offset).toBe(12);
    expect(fail('SIP/2.0/UDP h:').offset).toBe(14);
    expect(fail('SIP/2.0/UDP h:99999').offset).toBe(14);
    expect(fail('SIP/2.0/UDP h:5060 x').offset).toBe(19);
    expect(fail('SIP/2.0/UDP h, SIP/2.0/UDP i').offset).toBe(13); // split the values first
  });

  it('returns a Via or a SipError with an offset inside the text, never throws (property)', () => {
    const check = (text: string) => {
      const r = parseVia(text);
      if (r instanceof SipError) {
        expect(['SIP_BAD_VIA', 'SIP_BAD_PARAM']).toContain(r.code);
        expect(r.offset).toBeGreaterThanOrEqual(0);
        expect(r.offset).toBeLessThanOrEqual(text.length);
      } else {
        expect(text).toContain(r.raw);
      }
    };
    const seeds = [
      'SIP/2.0/UDP 127.0.1.1:5060;branch=z9hG4bK-1131591547;rport',
      'SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw',
      'SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3',
      'SIP/2.0/TCP h : 5060;ttl=1;maddr=[::1];rport=1',
    ];
    fc.assert(fc.property(anyBytes, check), { numRuns: 200 });
    fc.assert(fc.property(sipish, check), { numRuns: 300 });
    fc.assert(fc.property(mutationsOf(seeds), check), { numRuns: 800 });
  });

  it('takes time linear in the input', () => {
    for (const build of [
      (n: number) => 'SIP' + ' '.repeat(n),
      (n: number) => 'SIP/2.0/UDP [' + ':'.repeat(n),
      (n: number) => 'SIP/2.0/UDP h' + distinctParams(n / 8, null),
      (n: number) => 'SIP/2.0/UDP h' + distinctParams(n / 10, '[::1]'),
      (n: number) => 'SIP/2.0/UDP h:' + '9'.repeat(n),
      (n: number) => 'SIP/2.0/UDP ' + 'a.'.repeat(n / 2),
    ]) {
      expect(linearity(parseVia, build)).toMatchObject({ ok: true });
    }
  });
});
