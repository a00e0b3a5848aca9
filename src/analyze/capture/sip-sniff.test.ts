import { describe, expect, it } from 'vitest';
import { looksLikeSip, sniffSip } from './sip-sniff.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const sniff = (s: string): number => sniffSip(b(s), 0, s.length);

describe('sniffSip: is this worth parsing as SIP (RFC 3261 §7.1, §7.2)?', () => {
  it('accepts request lines and status lines', () => {
    for (const s of ['INVITE sip:100@x SIP/2.0\r\n', 'OPTIONS sip:nm SIP/2.0\n', 'REGISTER sips:x SIP/2.0\r\nVia: x', 'SIP/2.0 200 OK', 'FOO-BAR tel:+1 SIP/2.0\r\n']) {
      expect(sniff(s), s).toBe(1);
    }
  });
  it('rejects RTP, DNS, HTTP responses and text that is not a start line', () => {
    const rtp = Buffer.from([0x80, 0x00, 0x12, 0x34, 0, 0, 0, 0]);
    expect(looksLikeSip(rtp, 0, rtp.length)).toBe(false);
    const dns = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0]);
    expect(looksLikeSip(dns, 0, dns.length)).toBe(false);
    for (const s of ['HTTP/1.1 200 OK', 'invite sip:x', 'INVITE  sip:x', 'INVITE 123', 'ABCDEFGHIJKLMNOPQRSTU sip:x', 'SIP/2.1 200', 'E sip:100@x;tag=1\r\n', 'INVITE sip:x HTTP/1.1\r\n', 'INVITE sip:xSIP/2.0\r\n']) {
      expect(sniff(s), s).toBe(0);
    }
  });
  it('answers "need more" for a prefix that could still become a start line', () => {
    for (const s of ['', 'INV', 'INVITE', 'INVITE ', 'SIP/2', 'INVITE sip:100@x SIP/2.']) expect(sniff(s), s).toBe(-1);
    expect(sniff(`INVITE sip:${'a'.repeat(3000)}`)).toBe(0); // no line end within 2 KiB
  });
  it('looks only at the given range', () => {
    const buf = b('xxINVITE sip:a SIP/2.0\r\n');
    expect(sniffSip(buf, 2, buf.length)).toBe(1);
    expect(sniffSip(buf, 0, buf.length)).toBe(0);
    // The line end must lie within the range (a UDP payload is not read past its end).
    expect(sniffSip(buf, 2, buf.length - 2)).toBe(-1);
  });
  it('knownMethodOnly (bytes that may start mid-line): only RFC methods and status lines', () => {
    const at = (s: string): number => sniffSip(b(s), 0, s.length, true);
    expect(at('INVITE sip:a SIP/2.0\r\n')).toBe(1);
    expect(at('SUBSCRIBE sip:a SIP/2.0\r\n')).toBe(1);
    expect(at('SIP/2.0 180 Ringing\r\n')).toBe(1);
    expect(at('E sip:a SIP/2.0\r\n')).toBe(0); // the tail of "INVITE sip:a SIP/2.0"
    expect(at('VITE sip:a SIP/2.0\r\n')).toBe(0);
    expect(sniff('E sip:a SIP/2.0\r\n')).toBe(1); // a well-formed extension method at a real line start
  });
});
