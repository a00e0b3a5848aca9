import { describe, expect, it } from 'vitest';
import { nameAddrParts, splitParams, withParam, withoutParam } from './name-addr-parts.js';

describe('nameAddrParts: a Contact kept byte for byte', () => {
  it('splits name-addr form, keeping quoted parameters as written (RFC 5626 +sip.instance)', () => {
    expect(nameAddrParts('"Alice" <sip:alice@10.77.0.20:5062;transport=udp>;expires=60;+sip.instance="<urn:uuid:1>";reg-id=1')).toEqual({
      uri: 'sip:alice@10.77.0.20:5062;transport=udp',
      params: ';expires=60;+sip.instance="<urn:uuid:1>";reg-id=1',
    });
  });

  it('skips a quoted display name holding "<"', () => {
    expect(nameAddrParts('"a<b" <sip:x@y>')).toEqual({ uri: 'sip:x@y', params: '' });
  });

  it('splits addr-spec form: the parameters after the URI are header parameters (RFC 3261 §20.10)', () => {
    expect(nameAddrParts('sip:100@1.1.1.1:5060;expires=0')).toEqual({ uri: 'sip:100@1.1.1.1:5060', params: ';expires=0' });
  });
});

describe('parameter text', () => {
  it('splits on ";" outside quotes', () => {
    expect(splitParams(';a=1;b="x;y";c')).toEqual(['a=1', 'b="x;y"', 'c']);
  });

  it('replaces, appends and removes a parameter', () => {
    expect(withParam(';expires=3600;q=0.5', 'expires', '60')).toBe(';expires=60;q=0.5');
    expect(withParam(';q=0.5', 'expires', '60')).toBe(';q=0.5;expires=60');
    expect(withoutParam(';Expires=1;q=0.5', 'expires')).toBe(';q=0.5');
  });
});
