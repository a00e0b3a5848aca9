/**
 * Writes pcap and pcapng captures, for tests, fixtures and the benchmark's generator.
 *
 *   const w = new CaptureWriter({ format: 'pcapng', linkType: LinkType.ETHERNET });
 *   w.udp({ time: Date.UTC(2026, 0, 1), src: { address: '198.51.100.7', port: 5060 },
 *           dst: { address: '192.0.2.10', port: 5060 }, payload: 'OPTIONS sip:100@192.0.2.10 SIP/2.0\r\n...' });
 *   w.tcp({ time, src, dst, payload });            // sequence numbers continue per direction
 *   w.tcp({ time, src, dst, flags: { syn: true } }); // or say exactly what to send (seq, ack, flags)
 *   writeFileSync('x.pcapng', w.toBuffer());        // or w.take() now and then for big files
 *
 * Times are ms since the epoch (fractions kept to the file's resolution). `mtu` fragments a packet,
 * `vlan` tags Ethernet frames, `snaplen` cuts the stored frames. pcapng: `section()` starts a new
 * section, `addInterface()` another interface (with its own link type and if_tsresol).
 */
import type { CaptureEndpoint } from './captured-message.js';
import { LinkType } from './link-layer.js';
import { ipPackets, linkFrame, parseAddress, tcpSegment, udpDatagram, type IpOptions, type LinkOptions, type TcpFlags } from './packet-builder.js';

export { LinkType } from './link-layer.js';

export interface CaptureWriterOptions extends LinkOptions {
  readonly format?: 'pcap' | 'pcapng';
  readonly linkType?: number;
  readonly byteOrder?: 'le' | 'be';
  /** Timestamp resolution: pcap µs or ns magic; pcapng if_tsresol 6 or 9 (default us). */
  readonly resolution?: 'us' | 'ns';
  /** Frames longer than this are stored cut (the original length is kept). Default 262144. */
  readonly snaplen?: number;
  /** pcapng packet block kind: enhanced (default), simple, or the obsolete packet block. */
  readonly block?: 'epb' | 'spb' | 'pb';
}

export interface PacketSpec extends IpOptions {
  readonly time: number;
  readonly src: CaptureEndpoint;
  readonly dst: CaptureEndpoint;
  readonly payload?: string | Uint8Array;
  /** pcapng: the interface index (default the last added). */
  readonly iface?: number;
}

export interface TcpSpec extends PacketSpec {
  /** Default: where this direction's previous segment ended (first: 1000). */
  readonly seq?: number;
  readonly ack?: number;
  /** Default { ack: true, psh: true }. */
  readonly flags?: TcpFlags;
}

interface Iface {
  readonly linkType: number;
  readonly unitsPerSecond: number;
}

export class CaptureWriter {
  private readonly o: CaptureWriterOptions;
  private readonly le: boolean;
  private chunks: Buffer[] = [];
  private readonly nextSeq = new Map<string, number>();
  private ifaces: Iface[] = [];

  constructor(options: CaptureWriterOptions = {}) {
    this.o = options;
    this.le = (options.byteOrder ?? 'le') === 'le';
    if ((options.format ?? 'pcap') === 'pcap') this.pcapHeader();
    else {
      this.section();
      this.addInterface(options.linkType ?? LinkType.ETHERNET, options.resolution);
    }
  }

  /** One UDP datagram (several frames when `mtu` fragments it). */
  udp(p: PacketSpec): void {
    const src = parseAddress(p.src.address);
    const dst = parseAddress(p.dst.address);
    this.ip(p.time, ipPackets(src, dst, 17, udpDatagram(src, dst, p.src.port, p.dst.port, bytes(p.payload)), p), p.iface);
  }

  /** One TCP segment. */
  tcp(p: TcpSpec): void {
    const src = parseAddress(p.src.address);
    const dst = parseAddress(p.dst.address);
    const key = `${p.src.address}:${p.src.port}>${p.dst.address}:${p.dst.port}`;
    const payload = bytes(p.payload);
    const flags = p.flags ?? { ack: true, psh: true };
    const seq = p.seq ?? this.nextSeq.get(key) ?? 1000;
    this.nextSeq.set(key, (seq + payload.length + (flags.syn === true ? 1 : 0) + (flags.fin === true ? 1 : 0)) >>> 0);
    const segment = tcpSegment(src, dst, p.src.port, p.dst.port, seq, p.ack ?? 1, flags, payload);
    this.ip(p.time, ipPackets(src, dst, 6, segment, p), p.iface);
  }

  /** IP packets, each wrapped in the interface's link layer. */
  ip(time: number, packets: readonly Uint8Array[], iface?: number): void {
    const linkType = this.linkTypeOf(iface);
    for (const packet of packets) this.frame(time, linkFrame(linkType, packet, this.o), iface);
  }

  /** One link-layer frame as given (cut to the snaplen). */
  frame(time: number, data: Uint8Array, iface?: number): void {
    const snaplen = this.o.snaplen ?? 262144;
    const stored = data.subarray(0, Math.min(snaplen, data.length));
    if ((this.o.format ?? 'pcap') === 'pcap') this.pcapRecord(time, stored, data.length);
    else this.pcapngPacket(time, stored, data.length, iface ?? this.ifaces.length - 1);
  }

  /** pcapng: a new section header block (interfaces are per section; add one after this). */
  section(byteOrder?: 'le' | 'be'): void {
    this.assertPcapng();
    const le = (byteOrder ?? (this.le ? 'le' : 'be')) === 'le';
    const body = Buffer.alloc(16);
    w32(body, 0, 0x1a2b3c4d, le);
    w16(body, 4, 1, le);
    w16(body, 6, 0, le);
    body.writeInt32LE(-1, 8); // section length unknown
    body.writeInt32LE(-1, 12);
    this.sectionLe = le;
    this.ifaces = [];
    this.block(0x0a0d0d0a, body);
  }

  /** pcapng: an interface description block; returns its index in the section. */
  addInterface(linkType: number, resolution: 'us' | 'ns' | number = 'us'): number {
    this.assertPcapng();
    const tsresol = resolution === 'us' ? 6 : resolution === 'ns' ? 9 : resolution;
    const le = this.sectionLe;
    const body = Buffer.alloc(8 + (tsresol === 6 ? 0 : 8) + 4);
    w16(body, 0, linkType, le);
    w32(body, 4, this.o.snaplen ?? 262144, le);
    if (tsresol !== 6) {
      w16(body, 8, 9, le); // if_tsresol
      w16(body, 10, 1, le);
      body[12] = tsresol;
    }
    // opt_endofopt is the zeroed tail.
    this.block(1, body);
    const units = (tsresol & 0x80) !== 0 ? 2 ** (tsresol & 0x7f) : 10 ** tsresol;
    this.ifaces.push({ linkType, unitsPerSecond: units });
    return this.ifaces.length - 1;
  }

  /** pcapng: a block of a type the reader must skip. */
  unknownBlock(type: number, body: Uint8Array): void {
    this.assertPcapng();
    this.block(type, Buffer.from(body));
  }

  /** The bytes written since the last take(). */
  take(): Buffer {
    const out = Buffer.concat(this.chunks);
    this.chunks = [];
    return out;
  }

  toBuffer(): Buffer {
    return this.take();
  }

  private sectionLe = true;

  private linkTypeOf(iface?: number): number {
    if ((this.o.format ?? 'pcap') === 'pcap') return this.o.linkType ?? LinkType.ETHERNET;
    const i = this.ifaces[iface ?? this.ifaces.length - 1];
    if (i === undefined) throw new Error('no such interface in this section');
    return i.linkType;
  }

  private pcapHeader(): void {
    const h = Buffer.alloc(24);
    w32(h, 0, this.o.resolution === 'ns' ? 0xa1b23c4d : 0xa1b2c3d4, this.le);
    w16(h, 4, 2, this.le);
    w16(h, 6, 4, this.le);
    w32(h, 16, this.o.snaplen ?? 262144, this.le);
    w32(h, 20, this.o.linkType ?? LinkType.ETHERNET, this.le);
    this.chunks.push(h);
  }

  private pcapRecord(time: number, stored: Uint8Array, original: number): void {
    const h = Buffer.alloc(16);
    const perSecond = this.o.resolution === 'ns' ? 1e9 : 1e6;
    const seconds = Math.floor(time / 1000);
    w32(h, 0, seconds, this.le);
    w32(h, 4, Math.min(perSecond - 1, Math.round((time - seconds * 1000) * (perSecond / 1000))), this.le);
    w32(h, 8, stored.length, this.le);
    w32(h, 12, original, this.le);
    this.chunks.push(h, Buffer.from(stored));
  }

  private pcapngPacket(time: number, stored: Uint8Array, original: number, iface: number): void {
    const le = this.sectionLe;
    const pad = (4 - (stored.length % 4)) % 4;
    const kind = this.o.block ?? 'epb';
    if (kind === 'spb') {
      const body = Buffer.alloc(4 + stored.length + pad);
      w32(body, 0, original, le);
      body.set(stored, 4);
      this.block(3, body);
      return;
    }
    const i = this.ifaces[iface];
    if (i === undefined) throw new Error(`no interface ${iface} in this section`);
    const units = BigInt(Math.round(time * (i.unitsPerSecond / 1000)));
    const body = Buffer.alloc(20 + stored.length + pad);
    if (kind === 'pb') {
      w16(body, 0, iface, le);
      w16(body, 2, 0, le);
    } else w32(body, 0, iface, le);
    w32(body, 4, Number(units >> 32n), le);
    w32(body, 8, Number(units & 0xffffffffn), le);
    w32(body, 12, stored.length, le);
    w32(body, 16, original, le);
    body.set(stored, 20);
    this.block(kind === 'pb' ? 2 : 6, body);
  }

  private block(type: number, body: Buffer): void {
    const le = this.sectionLe;
    const h = Buffer.alloc(8);
    const total = 12 + body.length;
    w32(h, 0, type, le);
    w32(h, 4, total, le);
    const t = Buffer.alloc(4);
    w32(t, 0, total, le);
    this.chunks.push(h, body, t);
  }

  private assertPcapng(): void {
    if ((this.o.format ?? 'pcap') !== 'pcapng') throw new Error('only a pcapng capture has sections, interfaces and blocks');
  }
}

function bytes(payload: string | Uint8Array | undefined): Uint8Array {
  if (payload === undefined) return new Uint8Array(0);
  return typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
}

function w32(b: Buffer, off: number, v: number, le: boolean): void {
  if (le) b.writeUInt32LE(v >>> 0, off);
  else b.writeUInt32BE(v >>> 0, off);
}

function w16(b: Buffer, off: number, v: number, le: boolean): void {
  if (le) b.writeUInt16LE(v, off);
  else b.writeUInt16BE(v, off);
}
