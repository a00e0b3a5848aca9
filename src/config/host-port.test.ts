import { describe, expect, it } from 'vitest';
import { formatHostPort, isDomainName, parseHostPort, parsePort } from './host-port.js';

describe('parseHostPort', () => {
  it.each([
    ['203.0.113.10:5060', { host: '203.0.113.10', kind: 'ipv4', port: 5060 }],
    ['203.0.113.10', { host: '203.0.113.10', kind: 'ipv4', port: null }],
    ['192.0.2.30:0', { host: '192.0.2.30', kind: 'ipv4', port: 0 }],
    ['Voip.Example.Test.', { host: 'voip.example.test', kind: 'domain', port: null }],
    ['sip.example.test:5080', { host: 'sip.example.test', kind: 'domain', port: 5080 }],
    ['[2001:DB8::1]:5060', { host: '2001:db8::1', kind: 'ipv6', port: 5060 }],
    ['[::]', { host: '::', kind: 'ipv6', port: null }],
    ['2001:db8::1', { host: '2001:db8::1', kind: 'ipv6', port: null }],
  ])('reads %j', (text, expected) => {
    expect(parseHostPort(text)).toEqual(expected);
  });

  it.each([
    ['1.2.3.4:70000', 'port 70000 is out of range (0..65535)'],
    ['1.2.3.4:5o60', '"5o60" is not a port number'],
    ['1.2.3.4:', 'the port is empty'],
    ['300.1.2.3:5060', '"300.1.2.3" is not a valid IPv4 address'],
    ['bad_host:5060', '"bad_host" is neither an IP address nor a host name'],
    ['[2001:db8::1', '"[2001:db8::1" has "[" without "]"'],
    ['[1.2.3.4]:5060', '"1.2.3.4" is not an IPv6 address'],
    ['[::1]5060', 'unexpected "5060" after "]" (expected ":port")'],
    ['2001:db8::1::5060', '"2001:db8::1::5060" is not an IPv6 address (write an IPv6 address with a port as "[2001:db8::1]:5060")'],
    ['', 'the address is empty'],
  ])('explains what is wrong with %j', (text, message) => {
    expect(parseHostPort(text)).toBe(message);
  });

  it('checks host names per RFC 1035/1123', () => {
    expect(isDomainName('a-b.example')).toBe(true);
    expect(isDomainName('3com.example')).toBe(true);
    expect(isDomainName('-a.example')).toBe(false);
    expect(isDomainName('a-.example')).toBe(false);
    expect(isDomainName('a..example')).toBe(false);
    expect(isDomainName(`${'a'.repeat(64)}.example`)).toBe(false);
    expect(isDomainName(`${'a'.repeat(63)}.example`)).toBe(true);
  });

  it('reads ports 0..65535 only', () => {
    expect(parsePort('65535')).toBe(65535);
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65536')).toBe('port 65536 is out of range (0..65535)');
    expect(parsePort('1234567')).toBe('port 1234567 is out of range (0..65535)');
  });

  it('formats with brackets around IPv6 only when there is a port', () => {
    expect(formatHostPort('2001:db8::1', 'ipv6', 5060)).toBe('[2001:db8::1]:5060');
    expect(formatHostPort('2001:db8::1', 'ipv6', null)).toBe('2001:db8::1');
    expect(formatHostPort('voip.example.test', 'domain', null)).toBe('voip.example.test');
  });
});
