import { describe, expect, it } from 'vitest';
import type { DnsResolver } from './dns-resolver.js';
import { resolveProvider } from './resolve-provider.js';
import { FakeDnsResolver, naptr, rr, srv } from './test-kit.js';

const D = 'voip.example.test';

function found<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  expect(result.ok).toBe(true);
  return result as Extract<T, { ok: true }>;
}

function notFound<T extends { ok: boolean }>(result: T): Extract<T, { ok: false }> {
  expect(result.ok).toBe(false);
  return result as Extract<T, { ok: false }>;
}

const targetsOf = (r: { targets: readonly { transport: string; address: string; port: number }[] }): string[] =>
  r.targets.map((t) => `${t.transport} ${t.address}:${t.port}`);

describe('resolveProvider (RFC 3263 §4)', () => {
  it('follows NAPTR → SRV → A/AAAA in NAPTR order, and trusts the records of every transport (§4.1)', async () => {
    const dns = new FakeDnsResolver()
      .naptr(
        D,
        naptr(20, 10, 'SIP+D2U', `_sip._udp.${D}.`),
        naptr(10, 10, 'SIP+D2T', `_sip._tcp.${D}.`),
        naptr(30, 10, 'SIPS+D2T', `_sips._tcp.${D}.`),
      )
      .srv(`_sip._udp.${D}`, srv(10, 0, 5060, `sip1.${D}.`))
      .srv(`_sip._tcp.${D}`, srv(10, 0, 5080, `sip2.${D}.`))
      .srv(`_sips._tcp.${D}`, srv(10, 0, 5061, `tls.${D}.`))
      .a(`sip1.${D}`, rr('203.0.113.10', 120))
      .aaaa(`sip1.${D}`, rr('2001:db8::10', 600))
      .a(`sip2.${D}`, rr('203.0.113.20', 90))
      .a(`tls.${D}`, rr('203.0.113.30', 600));
    const r = found(await resolveProvider(D, { transports: ['udp', 'tcp'], resolver: dns }));
    expect(targetsOf(r)).toEqual(['tcp 203.0.113.20:5080', 'udp 203.0.113.10:5060', 'udp 2001:db8::10:5060']);
    expect(r.targets[0]!.host).toBe(`sip2.${D}`);
    expect(r.addresses.map((a) => a.address).sort()).toEqual(['2001:db8::10', '203.0.113.10', '203.0.113.20', '203.0.113.30']);
    expect(r.addresses.find((a) => a.address === '203.0.113.10')).toEqual({
      address: '203.0.113.10',
      how: 'A',
      name: `sip1.${D}`,
      ttl: 120,
    });
    expect(r.ttl).toBe(90);
    expect(r.problems).toEqual([]);
    expect(dns.asked).not.toContain(`A ${D}`);
  });

  it('orders NAPTR records by order, then preference (RFC 3403 §4.1), and skips unknown services and flags', async () => {
    const dns = new FakeDnsResolver()
      .naptr(
        D,
        naptr(10, 20, 'SIP+D2U', `_sip._udp.${D}`),
        naptr(10, 5, 'SIP+D2T', `_sip._tcp.${D}`),
        naptr(5, 5, 'SIP+D2S', `_sip._sctp.${D}`),
        naptr(5, 5, 'SIP+D2U', `_weird.${D}`, 'a'),
      )
      .srv(`_sip._udp.${D}`, srv(1, 0, 5060, `sip.${D}`))
      .srv(`_sip._tcp.${D}`, srv(1, 0, 5060, `sip.${D}`))
      .a(`sip.${D}`, rr('203.0.113.10'));
    const r = found(await resolveProvider(D, { transports: ['udp', 'tcp'], resolver: dns }));
    expect(targetsOf(r)).toEqual(['tcp 203.0.113.10:5060', 'udp 203.0.113.10:5060']);
    expect(dns.asked).not.toContain(`SRV _sip._sctp.${D}`);
    expect(dns.asked).not.toContain(`SRV _weird.${D}`);
  });

  it('"If no NAPTR records are found, the client constructs SRV queries" (_sip._udp, _sip._tcp, _sips._tcp)', async () => {
    const dns = new FakeDnsResolver()
      .srv(`_sip._udp.${D}`, srv(10, 0, 5060, `a.${D}`), srv(20, 0, 5060, `b.${D}`))
      .srv(`_sip._tcp.${D}`, srv(10, 0, 5060, `a.${D}`))
      .srv(`_sips._tcp.${D}`, srv(10, 0, 5061, `a.${D}`))
      .a(`a.${D}`, rr('203.0.113.10'))
      .a(`b.${D}`, rr('203.0.113.11'));
    const r = found(await resolveProvider(D, { transports: ['tcp', 'udp', 'tls'], resolver: dns }));
    expect(targetsOf(r)).toEqual([
      'tcp 203.0.113.10:5060',
      'udp 203.0.113.10:5060',
      'udp 203.0.113.11:5060',
      'tls 203.0.113.10:5061',
    ]);
    expect(dns.asked).toContain(`NAPTR ${D}`);
    expect(r.ttl).toBe(300); // NAPTR/SRV carry no TTL in node:dns: the 300 s default
  });

  it('tries SRV targets by priority, then by weighted draw (RFC 2782)', async () => {
    const dns = new FakeDnsResolver()
      .srv(
        `_sip._udp.${D}`,
        srv(20, 0, 5060, `backup.${D}`),
        srv(10, 1, 5060, `light.${D}`),
        srv(10, 99, 5060, `heavy.${D}`),
      )
      .a(`backup.${D}`, rr('203.0.113.3'))
      .a(`light.${D}`, rr('203.0.113.1'))
      .a(`heavy.${D}`, rr('203.0.113.2'));
    const r = found(await resolveProvider(D, { transports: ['udp'], resolver: dns, random: () => 0.5 }));
    expect(r.targets.map((t) => t.host)).toEqual([`heavy.${D}`, `light.${D}`, `backup.${D}`]);
  });

  it('"If no SRV records were found, the client SHOULD use an A or AAAA record lookup", port 5060 (5061 for TLS)', async () => {
    const dns = new FakeDnsResolver()
      .a(D, rr('203.0.113.10', 60), rr('203.0.113.11', 30))
      .aaaa(D, rr('2001:db8::5', 45));
    const r = found(await resolveProvider(D, { transports: ['udp', 'tls'], resolver: dns }));
    expect(targetsOf(r)).toEqual([
      'udp 203.0.113.10:5060',
      'udp 203.0.113.11:5060',
      'udp 2001:db8::5:5060',
      'tls 203.0.113.10:5061',
      'tls 203.0.113.11:5061',
      'tls 2001:db8::5:5061',
    ]);
    expect(r.addresses.map((a) => `${a.how} ${a.address}`)).toEqual(['A 203.0.113.10', 'A 203.0.113.11', 'AAAA 2001:db8::5']);
    expect(r.ttl).toBe(30);
  });

  it('uses an IP literal without any lookup (§4.2)', async () => {
    const dns = new FakeDnsResolver();
    const r = found(await resolveProvider('203.0.113.10', { transports: ['udp', 'tls'], resolver: dns }));
    expect(targetsOf(r)).toEqual(['udp 203.0.113.10:5060', 'tls 203.0.113.10:5061']);
    expect(r.ttl).toBeNull();
    const v6 = found(await resolveProvider('[2001:DB8::1]', { transports: ['tcp'], resolver: dns, port: 5070 }));
    expect(targetsOf(v6)).toEqual(['tcp 2001:db8::1:5070']);
    expect(dns.asked).toEqual([]);
  });

  it('looks up only A/AAAA when a port is given (§4.2)', async () => {
    const dns = new FakeDnsResolver().a(`reg.${D}`, rr('203.0.113.50'));
    const r = found(await resolveProvider(`reg.${D}`, { transports: ['udp'], resolver: dns, port: 5070 }));
    expect(targetsOf(r)).toEqual(['udp 203.0.113.50:5070']);
    expect(dns.asked.sort()).toEqual([`A reg.${D}`, `AAAA reg.${D}`]);
  });

  it('leaves out an SRV target of "." (the service is decidedly not available)', async () => {
    const dns = new FakeDnsResolver()
      .srv(`_sip._udp.${D}`, srv(10, 0, 0, '.'))
      .srv(`_sip._tcp.${D}`, srv(10, 0, 5060, `sip.${D}`))
      .a(`sip.${D}`, rr('203.0.113.10'));
    const r = found(await resolveProvider(D, { transports: ['udp', 'tcp'], resolver: dns }));
    expect(targetsOf(r)).toEqual(['tcp 203.0.113.10:5060']);
  });

  it('writes an IPv4-mapped AAAA record as IPv4 and drops records that are not addresses', async () => {
    const dns = new FakeDnsResolver().a(D, rr('not-an-ip')).aaaa(D, rr('::ffff:203.0.113.9'));
    const r = found(await resolveProvider(D, { transports: ['udp'], resolver: dns }));
    expect(r.addresses.map((a) => a.address)).toEqual(['203.0.113.9']);
  });

  it('reports NXDOMAIN as a value, naming every query', async () => {
    const r = notFound(await resolveProvider(D, { transports: ['udp'], resolver: new FakeDnsResolver() }));
    expect(r.error).toContain(`no SIP server found for ${D}`);
    expect(r.error).toContain(`NAPTR ${D}: no such domain (NXDOMAIN) (ENOTFOUND)`);
    expect(r.error).toContain(`A ${D}: no such domain (NXDOMAIN)`);
    expect(r.problems).toEqual([]);
  });

  it('does not fall back to the bare domain when an SRV query timed out', async () => {
    const dns = new FakeDnsResolver()
      .fail('SRV', `_sip._udp.${D}`, 'ETIMEOUT')
      .a(D, rr('192.0.2.80'));
    const r = notFound(await resolveProvider(D, { transports: ['udp'], resolver: dns }));
    expect(r.error).toContain(`SRV _sip._udp.${D}: timed out (ETIMEOUT)`);
    expect(r.problems).toEqual([{ message: `SRV _sip._udp.${D}: timed out (ETIMEOUT)`, transient: true }]);
    expect(dns.asked).not.toContain(`A ${D}`);
  });

  it('goes on with SRV when NAPTR fails (SERVFAIL), reporting the problem', async () => {
    const dns = new FakeDnsResolver()
      .fail('NAPTR', D, 'ESERVFAIL')
      .srv(`_sip._udp.${D}`, srv(10, 0, 5060, `sip.${D}`))
      .a(`sip.${D}`, rr('203.0.113.10'));
    const r = found(await resolveProvider(D, { transports: ['udp'], resolver: dns }));
    expect(targetsOf(r)).toEqual(['udp 203.0.113.10:5060']);
    expect(r.problems).toEqual([{ message: `NAPTR ${D}: the DNS server failed (SERVFAIL) (ESERVFAIL)`, transient: true }]);
  });

  it('never throws, even when the resolver does', async () => {
    const broken: DnsResolver = {
      resolveNaptr: () => {
        throw new Error('boom');
      },
      resolveSrv: () => Promise.reject(new Error('no code')),
      resolve4: () => Promise.reject('a string'),
      resolve6: () => Promise.resolve(null as never),
    };
    const r = notFound(await resolveProvider(D, { transports: ['udp'], resolver: broken }));
    expect(r.error).toContain(`NAPTR ${D}: boom`);
    expect(r.queries.length).toBeGreaterThan(0);
  });

  it('says so when the provider offers none of the transports REGISTER may use, but still trusts its addresses', async () => {
    const dns = new FakeDnsResolver()
      .naptr(D, naptr(10, 10, 'SIPS+D2T', `_sips._tcp.${D}`))
      .srv(`_sips._tcp.${D}`, srv(10, 0, 5061, `tls.${D}`))
      .a(`tls.${D}`, rr('203.0.113.30'));
    const r = found(await resolveProvider(D, { transports: ['udp'], resolver: dns }));
    expect(r.targets).toEqual([]);
    expect(r.addresses.map((a) => a.address)).toEqual(['203.0.113.30']);
    expect(r.problems).toEqual([{ message: `${D} offers SIP over tls only; REGISTER may go over udp`, transient: false }]);
  });

  it('rejects an empty name as a value', async () => {
    const r = notFound(await resolveProvider(' ', { transports: ['udp'], resolver: new FakeDnsResolver() }));
    expect(r.error).toBe('no domain to resolve');
  });
});
