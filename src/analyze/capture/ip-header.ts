/**
 * IPv4 (RFC 791, options skipped through IHL) and IPv6 (RFC 8200: hop-by-hop, routing, destination
 * options, fragment and AH extension headers) decoding into one reused, mutable `IpPacket`, so that
 * decoding a packet allocates nothing.
 */

export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AH = 51;
const NO_NEXT = 59;
const DEST_OPTS = 60;
const MOBILITY = 135;
/** RFC 8200 sets no limit; real packets carry a few. */
const MAX_EXTENSIONS = 16;

export interface IpPacket {
  version: number;
  /** Offsets of the source and destination addresses in the decoded buffer (4 or 16 bytes). */
  srcOff: number;
  dstOff: number;
  /** Upper-layer protocol; for a fragment, the protocol of the datagram it is part of. */
  protocol: number;
  payloadStart: number;
  payloadEnd: number;
  /** The capture holds fewer bytes than the IP header says (snaplen). */
  truncated: boolean;
  fragmented: boolean;
  /** Byte offset of this fragment in the datagram's payload. */
  fragOffset: number;
  moreFragments: boolean;
  fragId: number;
}

export function newIpPacket(): IpPacket {
  return {
    version: 0,
    srcOff: 0,
    dstOff: 0,
    protocol: 0,
    payloadStart: 0,
    payloadEnd: 0,
    truncated: false,
    fragmented: false,
    fragOffset: 0,
    moreFragments: false,
    fragId: 0,
  };
}

/** Decodes the IP header at `buf[off]` (captured bytes end at `end`); false when it is not IP. */
export function decodeIp(buf: Uint8Array, off: number, end: number, out: IpPacket): boolean {
  if (off >= end) return false;
  const version = buf[off]! >> 4;
  if (version === 4) return decodeIpv4(buf, off, end, out);
  if (version === 6) return decodeIpv6(buf, off, end, out);
  return false;
}

function decodeIpv4(buf: Uint8Array, off: number, end: number, out: IpPacket): boolean {
  if (off + 20 > end) return false;
  const ihl = (buf[off]! & 0x0f) * 4;
  const total = (buf[off + 2]! << 8) | buf[off + 3]!;
  if (ihl < 20 || total < ihl || off + ihl > end) return false;
  const flagsOffset = (buf[off + 6]! << 8) | buf[off + 7]!;
  out.version = 4;
  out.srcOff = off + 12;
  out.dstOff = off + 16;
  out.protocol = buf[off + 9]!;
  out.payloadStart = off + ihl;
  out.truncated = off + total > end;
  // A frame may be padded past the IP length (Ethernet minimum size): trust the IP length.
  out.payloadEnd = out.truncated ? end : off + total;
  out.fragOffset = (flagsOffset & 0x1fff) * 8;
  out.moreFragments = (flagsOffset & 0x2000) !== 0;
  out.fragmented = out.moreFragments || out.fragOffset !== 0;
  out.fragId = (buf[off + 4]! << 8) | buf[off + 5]!;
  return true;
}

function decodeIpv6(buf: Uint8Array, off: number, end: number, out: IpPacket): boolean {
  if (off + 40 > end) return false;
  const payloadLength = (buf[off + 4]! << 8) | buf[off + 5]!;
  out.version = 6;
  out.srcOff = off + 8;
  out.dstOff = off + 24;
  out.fragmented = false;
  out.fragOffset = 0;
  out.moreFragments = false;
  out.fragId = 0;
  // Payload length 0 means a jumbogram (RFC 2675): take what was captured.
  const ipEnd = payloadLength === 0 ? end : off + 40 + payloadLength;
  out.truncated = ipEnd > end;
  out.payloadEnd = out.truncated ? end : ipEnd;
  return skipIpv6Extensions(buf, off + 40, out.payloadEnd, buf[off + 6]!, out);
}

/**
 * Walks IPv6 extension headers from `p` with next header `next`; sets `protocol` and `payloadStart`
 * (and the fragment fields when a fragment header is met, where the walk stops: the rest belongs to
 * the datagram being reassembled). False when a header runs past `end` or the chain is too long.
 */
export function skipIpv6Extensions(buf: Uint8Array, p: number, end: number, next: number, out: IpPacket): boolean {
  for (let n = 0; n < MAX_EXTENSIONS; n++) {
    if (next === HOP_BY_HOP || next === ROUTING || next === DEST_OPTS || next === MOBILITY) {
      if (p + 8 > end) return false;
      const nextHeader = buf[p]!;
      p += (buf[p + 1]! + 1) * 8;
      next = nextHeader;
    } else if (next === AH) {
      if (p + 8 > end) return false;
      const nextHeader = buf[p]!;
      p += (buf[p + 1]! + 2) * 4;
      next = nextHeader;
    } else if (next === FRAGMENT) {
      if (p + 8 > end) return false;
      const offsetFlags = (buf[p + 2]! << 8) | buf[p + 3]!;
      out.fragOffset = offsetFlags & 0xfff8;
      out.moreFragments = (offsetFlags & 1) !== 0;
      // RFC 6946: an "atomic fragment" (offset 0, M=0) is a whole datagram.
      out.fragmented = out.moreFragments || out.fragOffset !== 0;
      out.fragId = ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0;
      if (!out.fragmented) {
        next = buf[p]!;
        p += 8;
        continue;
      }
      out.protocol = buf[p]!;
      out.payloadStart = p + 8;
      return p + 8 <= end;
    } else {
      out.protocol = next === NO_NEXT ? -1 : next;
      out.payloadStart = p;
      return p <= end;
    }
  }
  return false;
}
