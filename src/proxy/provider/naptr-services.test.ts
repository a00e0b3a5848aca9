import { describe, expect, it } from 'vitest';
import { defaultSrvName, naptrServices } from './naptr-services.js';
import { naptr } from './test-kit.js';

describe('naptrServices (RFC 3263 §4.1)', () => {
  it('keeps SIP+D2U, SIP+D2T and SIPS+D2T with the "s" flag and an empty regexp, in order/preference', () => {
    const services = naptrServices([
      naptr(50, 50, 'SIPS+D2T', '_sips._tcp.example.test.'),
      naptr(90, 50, 'sip+d2u', '_sip._udp.example.test.'),
      naptr(50, 10, 'SIP+D2T', '_SIP._TCP.Example.Test.'),
      naptr(10, 10, 'SIP+D2S', '_sip._sctp.example.test.'),
      naptr(10, 10, 'E2U+sip', '_x.example.test.'),
      naptr(10, 10, 'SIP+D2U', '_y.example.test.', 'u'),
      { ...naptr(10, 10, 'SIP+D2U', ''), regexp: '!^.*$!sip:x@example.test!' },
    ]);
    expect(services.map((s) => `${s.transport} ${s.srvName}`)).toEqual([
      'tcp _sip._tcp.example.test',
      'tls _sips._tcp.example.test',
      'udp _sip._udp.example.test',
    ]);
  });

  it('names the SRV records to ask without NAPTR', () => {
    expect(defaultSrvName('udp', 'example.test')).toBe('_sip._udp.example.test');
    expect(defaultSrvName('tcp', 'example.test')).toBe('_sip._tcp.example.test');
    expect(defaultSrvName('tls', 'example.test')).toBe('_sips._tcp.example.test');
  });
});
