import { describe, expect, it } from 'vitest';
import { dnsFailure } from './dns-failure.js';

const err = (code: string): Error => Object.assign(new Error(`queryA ${code} x`), { code });

describe('dnsFailure', () => {
  it('treats NXDOMAIN and "no records" as definitive answers', () => {
    expect(dnsFailure(err('ENOTFOUND'))).toEqual({ code: 'ENOTFOUND', message: 'no such domain (NXDOMAIN) (ENOTFOUND)', transient: false });
    expect(dnsFailure(err('ENODATA')).transient).toBe(false);
  });

  it('treats timeouts and server failures as transient', () => {
    expect(dnsFailure(err('ETIMEOUT'))).toEqual({ code: 'ETIMEOUT', message: 'timed out (ETIMEOUT)', transient: true });
    expect(dnsFailure(err('ESERVFAIL')).message).toBe('the DNS server failed (SERVFAIL) (ESERVFAIL)');
    expect(dnsFailure(err('ECONNREFUSED')).transient).toBe(true);
  });

  it('keeps unknown codes and code-less rejections', () => {
    expect(dnsFailure(err('EWHATEVER'))).toEqual({ code: 'EWHATEVER', message: 'queryA EWHATEVER x (EWHATEVER)', transient: true });
    expect(dnsFailure('nope')).toEqual({ code: 'EUNKNOWN', message: 'nope', transient: true });
    expect(dnsFailure(undefined).code).toBe('EUNKNOWN');
  });
});
