/**
 * From a link-layer frame to SIP-looking messages: link layer → IPv4/IPv6 (fragments reassembled) →
 * UDP datagram or TCP segment (streams reassembled and cut by Content-Length). The messages of one
 * frame are pushed onto `out`; a UDP message's bytes are a view into the frame's buffer.
 * Nothing is allocated for a frame that carries no SIP (RTP, DNS, ...), apart from IP fragments
 * and TCP segments that must be kept.
 */
import type { CaptureEndpoint, CaptureProblem, CapturedMessage } from './captured-message.js';
import type { CaptureStats } from './capture-stats.js';
import { formatIp } from './ip-address.js';
import { decodeIp, newIpPacket, PROTO_TCP, PROTO_UDP, skipIpv6Extensions, type IpPacket } from './ip-header.js';
import { FragmentTable, type ReassemblyLimits } from './ip-reassembly.js';
import { ipStart } from './link-layer.js';
import { looksLikeSip } from './sip-sniff.js';
import { TcpStream, type TcpSink } from './tcp-stream.js';

export interface DecoderLimits {
  readonly reassembly?: ReassemblyLimits;
  /** TCP directions tracked at once; the least recently used is evicted (default 1024: with ~256 KiB per stream at most, 256 MiB in the worst case). */
  readonly maxTcpStreams?: number;
}

const TCP_FIN = 0x01;
const TCP_SYN = 0x02;
const TCP_RST = 0x04;

export class PacketDecoder implements TcpSink {
  readonly out: CapturedMessage[] = [];
  private readonly file: string;
  private readonly stats: CaptureStats;
  private readonly report: (p: CaptureProblem) => void;
  private readonly ip: IpPacket = newIpPacket();
  private readonly fragments: FragmentTable;
  private readonly streams = new Map<string, TcpStream>();
  private readonly maxStreams: number;
  private frame = 0;
  private time = 0;
  private truncationReported = false;

  constructor(file: string, stats: CaptureStats, report: (p: CaptureProblem) => void, limits: DecoderLimits = {}) {
    this.file = file;
    this.stats = stats;
    this.report = report;
    this.fragments = new FragmentTable(stats, limits.reassembly);
    this.maxStreams = limits.maxTcpStreams ?? 1024;
  }

  /** Decodes frame number `frame` (1-based), `buf[off, end)` captured of `origLen` bytes on the wire. */
  decode(linkType: number, buf: Uint8Array, off: number, end: number, origLen: number, time: number, frame: number): void {
    this.frame = frame;
    this.time = time;
    const ipOff = ipStart(linkType, buf, off, end);
    const ip = this.ip;
    if (ipOff < 0 || !decodeIp(buf, ipOff, end, ip)) {
      this.stats.skippedNonIp++;
      return;
    }
    if (ip.protocol !== PROTO_UDP && ip.protocol !== PROTO_TCP) return;
    if (ip.truncated) {
      this.truncated(end - off, origLen);
      return;
    }
    if (!ip.fragmented) {
      this.transport(ip.protocol, buf, buf, ip.payloadStart, ip.payloadEnd);
      return;
    }
    const key = fragmentKey(buf, ip);
    const whole = this.fragments.add(key, ip.fragOffset, ip.moreFragments, buf, ip.payloadStart, ip.payloadEnd, time);
    if (whole === null) return;
    let start = 0;
    if (ip.version === 6) {
      const srcOff = ip.srcOff;
      const dstOff = ip.dstOff;
      if (!skipIpv6Extensions(whole, 0, whole.length, ip.protocol, ip)) return;
      start = ip.payloadStart;
      ip.srcOff = srcOff;
      ip.dstOff = dstOff;
    }
    if (ip.protocol === PROTO_UDP || ip.protocol === PROTO_TCP) this.transport(ip.protocol, buf, whole, start, whole.length);
  }

  /** End of the file: incomplete datagrams are dropped (counted), TCP streams forgotten. */
  finish(): void {
    this.fragments.flush();
    this.streams.clear();
  }

  message(stream: TcpStream, bytes: Uint8Array): void {
    this.push(stream.src, stream.dst, 'tcp', bytes);
  }

  problem(_stream: TcpStream, code: string, message: string): void {
    this.report({ file: this.file, code, message: `TCP stream: ${message}`, frame: this.frame });
  }

  gap(): void {
    this.stats.tcpGaps++;
  }

  private transport(protocol: number, abuf: Uint8Array, pbuf: Uint8Array, start: number, end: number): void {
    if (protocol === PROTO_UDP) this.udp(abuf, pbuf, start, end);
    else this.tcp(abuf, pbuf, start, end);
  }

  private udp(abuf: Uint8Array, buf: Uint8Array, start: number, end: number): void {
    if (end - start < 8) return;
    this.stats.udpDatagrams++;
    const length = (buf[start + 4]! << 8) | buf[start + 5]!;
    const payloadEnd = length >= 8 && start + length < end ? start + length : end;
    if (!looksLikeSip(buf, start + 8, payloadEnd)) return;
    const sport = (buf[start]! << 8) | buf[start + 1]!;
    const dport = (buf[start + 2]! << 8) | buf[start + 3]!;
    const ip = this.ip;
    this.push(
      { address: formatIp(ip.version, abuf, ip.srcOff), port: sport },
      { address: formatIp(ip.version, abuf, ip.dstOff), port: dport },
      'udp',
      buf.subarray(start + 8, payloadEnd),
    );
  }

  private tcp(abuf: Uint8Array, buf: Uint8Array, start: number, end: number): void {
    if (end - start < 20) return;
    this.stats.tcpSegments++;
    const headerLength = (buf[start + 12]! >> 4) * 4;
    const dataOff = start + headerLength;
    if (headerLength < 20 || dataOff > end) return; // RFC 9293 §3.1: Data Offset is at least 5 words
    const flags = buf[start + 13]!;
    const seq = ((buf[start + 4]! << 24) | (buf[start + 5]! << 16) | (buf[start + 6]! << 8) | buf[start + 7]!) >>> 0;
    const sport = (buf[start]! << 8) | buf[start + 1]!;
    const dport = (buf[start + 2]! << 8) | buf[start + 3]!;
    const ip = this.ip;
    const key = `${addressKey(abuf, ip.srcOff, ip.version)}:${sport}>${addressKey(abuf, ip.dstOff, ip.version)}:${dport}`;
    let stream = this.streams.get(key);
    if (stream === undefined) {
      if ((flags & TCP_RST) !== 0) return;
      if (this.streams.size >= this.maxStreams) {
        const oldest = this.streams.keys().next();
        if (oldest.done !== true) this.streams.delete(oldest.value);
        this.stats.tcpStreamsEvicted++;
      }
      stream = new TcpStream(
        { address: formatIp(ip.version, abuf, ip.srcOff), port: sport },
        { address: formatIp(ip.version, abuf, ip.dstOff), port: dport },
      );
      this.stats.tcpStreams++;
    } else {
      this.streams.delete(key); // re-inserted below: Map order is the LRU order
    }
    stream.segment(seq, (flags & TCP_SYN) !== 0, buf, dataOff, end, this);
    if ((flags & (TCP_FIN | TCP_RST)) === 0) this.streams.set(key, stream);
  }

  private push(src: CaptureEndpoint, dst: CaptureEndpoint, transport: 'udp' | 'tcp', bytes: Uint8Array): void {
    this.stats.messages++;
    this.out.push({ file: this.file, frame: this.frame, time: this.time, src, dst, transport, bytes });
  }

  private truncated(captured: number, origLen: number): void {
    this.stats.truncatedFrames++;
    if (this.truncationReported) return;
    this.truncationReported = true;
    this.report({
      file: this.file,
      code: 'CAPTURE_FRAME_TRUNCATED',
      message: `frame ${this.frame} was cut to ${captured} of ${origLen} bytes (capture snaplen); such frames are skipped and counted`,
      frame: this.frame,
    });
  }
}

function addressKey(buf: Uint8Array, off: number, version: number): string {
  if (version === 4) return String(((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0);
  return Buffer.from(buf.buffer, buf.byteOffset + off, 16).toString('hex');
}

function fragmentKey(buf: Uint8Array, ip: IpPacket): string {
  return `${ip.version}|${addressKey(buf, ip.srcOff, ip.version)}|${addressKey(buf, ip.dstOff, ip.version)}|${ip.protocol}|${ip.fragId}`;
}
