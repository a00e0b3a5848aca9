import { describe, expect, it } from 'vitest';
import { isSipError } from '../sip/errors.js';
import { buildAck } from './build-ack.js';
import { buildCancel } from './build-cancel.js';
import { buildResponse } from './build-response.js';
import { composeMessage } from './compose-message.js';
import { request, response, sip } from './test-kit.js';

function text(message: unknown): string {
  if (isSipError(message)) throw new Error(message.message);
  return (message as { serialize(): Buffer }).serialize().toString('latin1');
}

const INVITE = sip(
  [
    'INVITE sip:bob@192.0.2.4;transport=udp SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bKg1;rport, SIP/2.0/UDP 10.77.0.5:5060;branch=z9hG4bKp1',
    'Via: SIP/2.0/UDP 10.77.0.9;branch=z9hG4bKp0',
    'Max-Forwards: 69',
    'Route: <sip:203.0.113.10;lr>, <sip:203.0.113.11;lr>',
    'From: "Alice" <sip:alice@example.test>;tag=a1',
    'To: <sip:bob@example.test>',
    'Call-ID: c1@10.77.0.5',
    'CSeq: 314 INVITE',
    'Contact: <sip:alice@10.77.0.5>',
    'Content-Type: application/sdp',
    'Content-Length: 4',
    '',
    'v=0\n',
  ].join('\n'),
);

describe('messages the transaction layer builds', () => {
  it('ACK for a non-2xx: INVITE Request-URI, top Via only, Route, From, Call-ID, CSeq number; To of the response (§17.1.1.3)', () => {
    const busy = sip(
      [
        'SIP/2.0 486 Busy Here',
        'Via: SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bKg1;rport=5060',
        'From: "Alice" <sip:alice@example.test>;tag=a1',
        'To: <sip:bob@example.test>;tag=xyz',
        'Call-ID: c1@10.77.0.5',
        'CSeq: 314 INVITE',
        'Content-Length: 0',
        '',
        '',
      ].join('\n'),
    );
    expect(text(buildAck(INVITE, busy))).toBe(
      [
        'ACK sip:bob@192.0.2.4;transport=udp SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bKg1;rport',
        'Route: <sip:203.0.113.10;lr>, <sip:203.0.113.11;lr>',
        'Max-Forwards: 70',
        'From: "Alice" <sip:alice@example.test>;tag=a1',
        'To: <sip:bob@example.test>;tag=xyz',
        'Call-ID: c1@10.77.0.5',
        'CSeq: 314 ACK',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });

  it('CANCEL: same Request-URI, Call-ID, To, From, CSeq number; a single Via equal to the top one; Route (§9.1)', () => {
    expect(text(buildCancel(INVITE))).toBe(
      [
        'CANCEL sip:bob@192.0.2.4;transport=udp SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bKg1;rport',
        'Route: <sip:203.0.113.10;lr>, <sip:203.0.113.11;lr>',
        'Max-Forwards: 70',
        'From: "Alice" <sip:alice@example.test>;tag=a1',
        'To: <sip:bob@example.test>',
        'Call-ID: c1@10.77.0.5',
        'CSeq: 314 CANCEL',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });

  it('a response copies every Via in order, From, To, Call-ID and CSeq; adds a To tag only when asked and absent (§8.2.6.2)', () => {
    expect(text(buildResponse(INVITE, 487, 'Request Terminated', { toTag: 't9' }))).toBe(
      [
        'SIP/2.0 487 Request Terminated',
        'Via: SIP/2.0/UDP 192.0.2.30:5060;branch=z9hG4bKg1;rport, SIP/2.0/UDP 10.77.0.5:5060;branch=z9hG4bKp1',
        'Via: SIP/2.0/UDP 10.77.0.9;branch=z9hG4bKp0',
        'From: "Alice" <sip:alice@example.test>;tag=a1',
        'To: <sip:bob@example.test>;tag=t9',
        'Call-ID: c1@10.77.0.5',
        'CSeq: 314 INVITE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const inDialog = request({ method: 'BYE', toTag: 'b1' });
    expect(text(buildResponse(inDialog, 200, 'OK', { toTag: 'other' }))).toContain('\r\nTo: <sip:bob@example.test>;tag=b1\r\n');
  });

  it('returns errors, never throws, on messages it cannot use', () => {
    const noCallId = sip('OPTIONS sip:x@192.0.2.4 SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\nFrom: <sip:a@b>;tag=1\nTo: <sip:x@y>\nCSeq: 1 OPTIONS\n\n');
    expect(isSipError(buildCancel(noCallId))).toBe(true);
    expect(isSipError(buildAck(noCallId, response(request(), 486, 'b')))).toBe(true);
    expect(isSipError(buildResponse(noCallId, 200, 'OK'))).toBe(true);
    expect(isSipError(buildResponse(request(), 700, 'Nope'))).toBe(true);
    expect(isSipError(buildResponse(request(), 200, 'OK\r\nX-Injected: 1'))).toBe(true);
    expect(isSipError(composeMessage('OPTIONS sip:x SIP/2.0', [['X', 'a\r\nb']]))).toBe(true);
  });
});
