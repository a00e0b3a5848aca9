import { describe, expect, it } from 'vitest';
import { isSipError } from './errors.js';
import type { SipMessage } from './message.js';
import { parseMessage } from './parse.js';

const INVITE = [
  'INVITE sip:alice@10.77.0.20:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.30:40211;branch=z9hG4bK-guard1',
  'Via: SIP/2.0/UDP 203.0.113.10;branch=z9hG4bK-prov1;rport',
  'Route: <sip:192.0.2.30:40211;lr>',
  'Route: <sip:10.77.0.1;lr>, <sip:198.51.100.9;lr>',
  'Max-Forwards: 69',
  'From: "Caller" <sip:0312345678@voip.example.test>;tag=c1',
  'To: <sip:alice@voip.example.test>',
  'Call-ID: call-1@203.0.113.10',
  'CSeq: 1 INVITE',
  'X-Custom: kept',
  'Content-Type: application/sdp',
  'Content-Length: 5',
  '',
  'v=0\r\n',
].join('\r\n');

function parse(text: string): SipMessage {
  const msg = parseMessage(Buffer.from(text, 'latin1'));
  if (isSipError(msg)) throw new Error(msg.message);
  return msg;
}

function ok<T>(value: T): Exclude<T, { isError: true }> {
  if (isSipError(value)) throw new Error(`${value.code}: ${value.message}`);
  return value as Exclude<T, { isError: true }>;
}

describe('SipMessage changes (what a proxy does, RFC 3261 §16.6)', () => {
  it('serializes an unchanged message to exactly its received bytes (extra datagram bytes cut)', () => {
    const msg = parse(`${INVITE}TRAILING`);
    expect(msg.modified).toBe(false);
    expect(msg.serialize().toString('latin1')).toBe(INVITE);
  });

  it('answers from the latest change every time, not only after the first one', () => {
    const msg = parse(INVITE);
    expect(ok(msg.routes())).toHaveLength(3);
    msg.removeFirst('Route');
    expect(ok(msg.routes()).map((r) => (r.uri as { host: string }).host)).toEqual(['10.77.0.1', '198.51.100.9']);
    msg.removeFirst('Route');
    expect(ok(msg.routes()).map((r) => (r.uri as { host: string }).host)).toEqual(['198.51.100.9']);
    msg.setHeader('Max-Forwards', '68');
    expect(ok(msg.maxForwards())).toBe(68);
    msg.setHeader('Max-Forwards', '67');
    expect(ok(msg.maxForwards())).toBe(67);
    msg.prependHeader('Via', 'SIP/2.0/UDP 10.77.0.1:5060;branch=z9hG4bK-lan1');
    expect(ok(msg.topVia()).host).toBe('10.77.0.1');
    msg.removeFirst('Via');
    expect(ok(msg.topVia()).host).toBe('192.0.2.30');
    msg.setRequestUri('sip:alice@10.77.0.21:5062');
    expect((ok(msg.uri()) as { host: string }).host).toBe('10.77.0.21');
  });

  it('writes a changed message canonically: headers in order with their names, Content-Length = body', () => {
    const msg = parse(INVITE);
    msg.prependHeader('Record-Route', '<sip:10.77.0.1;lr>');
    msg.setBody(Buffer.from('v=0\r\no=- 1 1 IN IP4 10.77.0.20\r\n'));
    const text = msg.serialize().toString('latin1');
    const [head, body] = text.split('\r\n\r\n');
    expect(head!.split('\r\n')[0]).toBe('INVITE sip:alice@10.77.0.20:5060 SIP/2.0');
    expect(head).toContain('Record-Route: <sip:10.77.0.1;lr>\r\nVia: SIP/2.0/UDP 192.0.2.30:40211');
    expect(head).toContain('X-Custom: kept');
    expect(head).toContain(`Content-Length: ${body!.length}`);
    const again = parse(text);
    expect(again.body.toString()).toBe(body);
    expect(ok(again.callId())).toBe('call-1@203.0.113.10');
  });

  it('refuses a value with a line break (no header injection from code)', () => {
    const msg = parse(INVITE);
    expect(() => msg.setHeader('Subject', 'hi\r\nVia: evil')).toThrow(TypeError);
    expect(() => msg.addHeader('X\nY', 'v')).toThrow(TypeError);
  });

  it('changes a clone without touching the original', () => {
    const msg = parse(INVITE);
    expect(ok(msg.topVia()).host).toBe('192.0.2.30');
    const copy = msg.clone();
    copy.removeFirst('Via');
    copy.setHeader('To', '<sip:alice@voip.example.test>;tag=p1');
    expect(ok(copy.topVia()).host).toBe('203.0.113.10');
    expect(ok(copy.to()).params.get('tag')).toBe('p1');
    expect(ok(msg.topVia()).host).toBe('192.0.2.30');
    expect(ok(msg.to()).params.get('tag')).toBeUndefined();
    expect(msg.serialize().toString('latin1')).toBe(INVITE);
  });

  it('removes every line of a header and reports how many', () => {
    const msg = parse(INVITE);
    expect(msg.removeHeader('route')).toBe(2);
    expect(msg.has('Route')).toBe(false);
    expect(ok(msg.routes())).toEqual([]);
  });
});
