/**
 * What a datagram is, before any parsing: a keep-alive, too large, or a message for the parser.
 *
 * Keep-alives on UDP: a lone CRLF and the CRLFCRLF "ping" of RFC 5626 §3.5.1 (strictly a stream
 * technique, but phones send them over UDP too), and an empty or CR/LF-only datagram, are consumed,
 * never delivered as messages. They are not answered: RFC 5626 §4.4.2 uses STUN for UDP keep-alives,
 * and STUN is out of scope here (a STUN packet is delivered like any other datagram, and the parser
 * refuses it).
 *
 * A datagram over `maxSize` is refused whole (RFC 3261 §18.1.1 has large requests go over a
 * congestion-controlled transport instead).
 */
export type DatagramKind = 'keepalive' | 'too-large' | 'message';

export function classifyDatagram(data: Uint8Array, maxSize: number): DatagramKind {
  if (data.length > maxSize) return 'too-large';
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b !== 13 && b !== 10) return 'message';
  }
  return 'keepalive';
}
