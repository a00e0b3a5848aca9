/**
 * Builds packets byte by byte for the capture writer: IPv4 (RFC 791) and IPv6 (RFC 8200) headers,
 * UDP (RFC 768) and TCP (RFC 9293) with correct checksums, IP fragmentation, and the link-layer
 * headers of the link types the reader knows. For tests, fixtures and the benchmark's generator.
 */
import { isIP } from 'node:net';
import { LinkType } from './link-layer.js';

export interface IpAddress {
  readonly version: 4 | 6;
  readonly bytes: Buffer;
}

/** An IPv4 or IPv6 literal as bytes; throws on anything else. */
export function parseAddress(text: string): IpAddress {
  const kind = isIP(text);
  if (kind === 4) return { version: 4, bytes: Buffer.from(text.split('.').map(Number)) };
  if (kind !== 6) throw new Error(`not an IP address: ${text}`);
  let t = text;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  const tail: number[] = [];
  if (v4 !== null) {
    const b = v4[1]!.split('.').map(Number);
    tail.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
    t = t.slice(0, -v4[1]!.length) + '0';
    t = t.replace(/:0$/, '');
  }
  const [head, rest] = t.split('::') as [string, string | undefined];
  const hs = head === '' ? [] : head.split(':').map((g) => parseInt(g, 16));
  const rs = rest === undefined || rest === '' ? [] : rest.split(':').map((g) => parseInt(g, 16));
  const fill = 8 - hs.length - rs.length - tail.length;
  const groups = rest === undefined ? [...hs, ...tail] : [...hs, ...new Array<number>(fill).fill(0), ...rs, ...tail];
  const bytes = Buffer.alloc(16);
  groups.forEach((g, i) => bytes.writeUInt16BE(g, 2 * i));
  return { version: 6, bytes };
}

/** The Internet checksum (RFC 1071) of the buffers, one's complement of the one's complement sum. */
export function internetChecksum(parts: readonly Uint8Array[]): number {
  let sum = 0;
  let odd = -1;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd < 0) odd = p[i]!;
      else {
        sum += (odd << 8) | p[i]!;
        odd = -1;
      }
    }
  }
  if (odd >= 0) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function pseudoHeader(src: IpAddress, dst: IpAddress, protocol: number, length: number): Buffer {
  if (src.version === 4) {
    const p = Buffer.alloc(12);
    src.bytes.copy(p, 0);
    dst.bytes.copy(p, 4);
    p[9] = protocol;
    p.writeUInt16BE(length, 10);
    return p;
  }
  const p = Buffer.alloc(40);
  src.bytes.copy(p, 0);
  dst.bytes.copy(p, 16);
  p.writeUInt32BE(length, 32);
  p[39] = protocol;
  return p;
}

export function udpDatagram(src: IpAddress, dst: IpAddress, sport: number, dport: number, payload: Uint8Array): Buffer {
  const u = Buffer.alloc(8 + payload.length);
  u.writeUInt16BE(sport, 0);
  u.writeUInt16BE(dport, 2);
  u.writeUInt16BE(Math.min(0xffff, u.length), 4);
  u.set(payload, 8);
  const sum = internetChecksum([pseudoHeader(src, dst, 17, u.length), u]);
  u.writeUInt16BE(sum === 0 ? 0xffff : sum, 6);
  return u;
}

export interface TcpFlags {
  readonly syn?: boolean;
  readonly ack?: boolean;
  readonly fin?: boolean;
  readonly rst?: boolean;
  readonly psh?: boolean;
}

export function tcpSegment(
  src: IpAddress,
  dst: IpAddress,
  sport: number,
  dport: number,
  seq: number,
  ack: number,
  flags: TcpFlags,
  payload: Uint8Array,
): Buffer {
  const t = Buffer.alloc(20 + payload.length);
  t.writeUInt16BE(sport, 0);
  t.writeUInt16BE(dport, 2);
  t.writeUInt32BE(seq >>> 0, 4);
  t.writeUInt32BE(ack >>> 0, 8);
  t[12] = 5 << 4;
  t[13] = (flags.fin ? 1 : 0) | (flags.syn ? 2 : 0) | (flags.rst ? 4 : 0) | (flags.psh ? 8 : 0) | (flags.ack ? 16 : 0);
  t.writeUInt16BE(65535, 14);
  t.set(payload, 20);
  t.writeUInt16BE(internetChecksum([pseudoHeader(src, dst, 6, t.length), t]), 16);
  return t;
}

export interface IpOptions {
  /** IPv4 identification / IPv6 fragment identification. */
  readonly id?: number;
  /** Split into fragments so that no IP packet exceeds this many bytes (RFC 791 §2.3, RFC 8200 §4.5). */
  readonly mtu?: number;
  /** IPv4 only: header options (padded to 4 bytes). */
  readonly ipv4Options?: Uint8Array;
  /** IPv6 only: add a hop-by-hop and a destination options header before the upper layer. */
  readonly ipv6Extensions?: boolean;
  /** Reverse the order of the fragments (to test reassembly out of order). */
  readonly reverseFragments?: boolean;
}

/** The IP packet(s) carrying `payload` of `protocol` (several when `mtu` forces fragments). */
export function ipPackets(src: IpAddress, dst: IpAddress, protocol: number, payload: Uint8Array, o: IpOptions = {}): Buffer[] {
  if (src.version !== dst.version) throw new Error('source and destination are of different IP versions');
  const packets = src.version === 4 ? ipv4Packets(src, dst, protocol, payload, o) : ipv6Packets(src, dst, protocol, payload, o);
  return o.reverseFragments === true ? packets.reverse() : packets;
}

function ipv4Packets(src: IpAddress, dst: IpAddress, protocol: number, payload: Uint8Array, o: IpOptions): Buffer[] {
  const options = o.ipv4Options ?? new Uint8Array(0);
  const headerLength = 20 + ((options.length + 3) & ~3);
  const room = o.mtu === undefined ? payload.length : ((o.mtu - headerLength) & ~7);
  if (room <= 0 && payload.length > 0) throw new Error(`mtu ${o.mtu} leaves no room for data`);
  const packets: Buffer[] = [];
  for (let off = 0; off < payload.length || off === 0; off += room) {
    const part = payload.subarray(off, Math.min(payload.length, off + room));
    const more = off + part.length < payload.length;
    const h = Buffer.alloc(headerLength + part.length);
    h[0] = 0x40 | (headerLength / 4);
    h.writeUInt16BE(h.length, 2);
    h.writeUInt16BE((o.id ?? 0x1234) & 0xffff, 4);
    h.writeUInt16BE((more ? 0x2000 : 0) | (off / 8), 6);
    h[8] = 64;
    h[9] = protocol;
    src.bytes.copy(h, 12);
    dst.bytes.copy(h, 16);
    h.set(options, 20);
    h.writeUInt16BE(internetChecksum([h.subarray(0, headerLength)]), 10);
    h.set(part, headerLength);
    packets.push(h);
    if (payload.length === 0) break;
  }
  return packets;
}

function ipv6Packets(src: IpAddress, dst: IpAddress, protocol: number, payload: Uint8Array, o: IpOptions): Buffer[] {
  // Optional extension headers: hop-by-hop (0) → destination options (60) → upper layer, each 8
  // bytes of PadN. They are in the unfragmentable part here (before the fragment header).
  const ext: Buffer[] = [];
  let first = protocol;
  if (o.ipv6Extensions === true) {
    const dest = Buffer.from([protocol, 0, 1, 4, 0, 0, 0, 0]);
    const hop = Buffer.from([60, 0, 1, 4, 0, 0, 0, 0]);
    ext.push(hop, dest);
    first = 0;
  }
  const unfragmentable = Buffer.concat(ext);
  const header = (next: number, length: number): Buffer => {
    const h = Buffer.alloc(40);
    h.writeUInt32BE(0x60000000, 0);
    h.writeUInt16BE(length, 4);
    h[6] = next;
    h[7] = 64;
    src.bytes.copy(h, 8);
    dst.bytes.copy(h, 24);
    return h;
  };
  if (o.mtu === undefined || 40 + unfragmentable.length + payload.length <= o.mtu) {
    return [Buffer.concat([header(first, unfragmentable.length + payload.length), unfragmentable, payload])];
  }
  const room = (o.mtu - 40 - unfragmentable.length - 8) & ~7;
  if (room <= 0) throw new Error(`mtu ${o.mtu} leaves no room for data`);
  const packets: Buffer[] = [];
  for (let off = 0; off < payload.length; off += room) {
    const part = payload.subarray(off, Math.min(payload.length, off + room));
    const more = off + part.length < payload.length;
    const frag = Buffer.alloc(8);
    frag[0] = protocol;
    frag.writeUInt16BE(off | (more ? 1 : 0), 2);
    frag.writeUInt32BE((o.id ?? 0x12345678) >>> 0, 4);
    let ue = unfragmentable;
    if (ext.length > 0) {
      // The last unfragmentable header now points at the fragment header (44).
      ue = Buffer.from(unfragmentable);
      ue[8] = 44;
    }
    const next = ext.length > 0 ? 0 : 44;
    packets.push(Buffer.concat([header(next, ue.length + 8 + part.length), ue, frag, part]));
  }
  return packets;
}

export interface LinkOptions {
  /** Ethernet only: 802.1Q/802.1ad tags, outermost first (the outer ones as 802.1ad). */
  readonly vlan?: readonly number[];
  /** NULL/LOOP: the byte order of the 4-byte family (NULL defaults to little, LOOP to big). */
  readonly familyByteOrder?: 'le' | 'be';
  /** NULL/LOOP: the AF_INET6 value (24, 28 or 30; default 30). */
  readonly inet6Family?: number;
}

/** The link-layer frame around one IP packet. */
export function linkFrame(linkType: number, ip: Uint8Array, o: LinkOptions = {}): Buffer {
  const v6 = ip[0]! >> 4 === 6;
  const ethertype = v6 ? 0x86dd : 0x0800;
  switch (linkType) {
    case LinkType.ETHERNET: {
      const tags = o.vlan ?? [];
      const h = Buffer.alloc(14 + 4 * tags.length);
      Buffer.from([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01]).copy(h, 0);
      let p = 12;
      tags.forEach((tag, i) => {
        h.writeUInt16BE(i < tags.length - 1 ? 0x88a8 : 0x8100, p);
        h.writeUInt16BE(tag & 0x0fff, p + 2);
        p += 4;
      });
      h.writeUInt16BE(ethertype, p);
      return Buffer.concat([h, ip]);
    }
    case LinkType.RAW:
    case LinkType.IPV4:
    case LinkType.IPV6:
      return Buffer.from(ip);
    case LinkType.NULL:
    case LinkType.LOOP: {
      const family = v6 ? (o.inet6Family ?? 30) : 2;
      const h = Buffer.alloc(4);
      const order = o.familyByteOrder ?? (linkType === LinkType.LOOP ? 'be' : 'le');
      if (order === 'le') h.writeUInt32LE(family);
      else h.writeUInt32BE(family);
      return Buffer.concat([h, ip]);
    }
    case LinkType.LINUX_SLL: {
      const h = Buffer.alloc(16);
      h.writeUInt16BE(0, 0); // packet type: to us
      h.writeUInt16BE(1, 2); // ARPHRD_ETHER
      h.writeUInt16BE(6, 4);
      Buffer.from([0x02, 0, 0, 0, 0, 0x02]).copy(h, 6);
      h.writeUInt16BE(ethertype, 14);
      return Buffer.concat([h, ip]);
    }
    case LinkType.LINUX_SLL2: {
      const h = Buffer.alloc(20);
      h.writeUInt16BE(ethertype, 0);
      h.writeUInt32BE(1, 4); // interface index
      h.writeUInt16BE(1, 8); // ARPHRD_ETHER
      h[10] = 0;
      h[11] = 6;
      Buffer.from([0x02, 0, 0, 0, 0, 0x02]).copy(h, 12);
      return Buffer.concat([h, ip]);
    }
    default:
      throw new Error(`link type ${linkType} is not supported by the writer`);
  }
}
