import { describe, expect, it } from 'vitest';
import { classifyDatagram } from './classify-datagram.js';

describe('classifyDatagram', () => {
  it('consumes a lone CRLF, the CRLFCRLF ping of RFC 5626 §3.5.1 and an empty datagram as keep-alives', () => {
    for (const text of ['\r\n', '\r\n\r\n', '']) expect(classifyDatagram(Buffer.from(text), 100)).toBe('keepalive');
  });

  it('hands anything else to the parser, including STUN (out of scope here)', () => {
    expect(classifyDatagram(Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n'), 100)).toBe('message');
    expect(classifyDatagram(Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), 100)).toBe('message');
  });

  it('refuses datagrams over the maximum size', () => {
    expect(classifyDatagram(Buffer.alloc(101, 0x41), 100)).toBe('too-large');
    expect(classifyDatagram(Buffer.alloc(100, 0x41), 100)).toBe('message');
  });
});
