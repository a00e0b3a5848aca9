/**
 * The pcapng format (draft-ietf-opsawg-pcapng): blocks of (type, total length, body, total length).
 * A Section Header Block (0x0A0D0D0A, palindromic) starts each section and sets its byte order by
 * its magic 0x1A2B3C4D; Interface Description Blocks (1) give each interface's link type and
 * timestamp resolution (if_tsresol, option 9: 10^-n, or 2^-n with the top bit set; default µs) and
 * offset (if_tsoffset, option 14, seconds); packets come in Enhanced (6), Simple (3, no timestamp:
 * the previous frame's time is used) and obsolete Packet (2) blocks. Other blocks are skipped.
 * A block length that is too small, not a multiple of 4, too large, or not repeated at its end
 * stops the file with a located problem.
 */
import type { ChunkReader } from './chunk-reader.js';
import { MAX_RECORD, RUN_DONE, RUN_OUTPUT, type FormatReader, type ProblemReporter } from './capture-format.js';
import type { CaptureStats } from './capture-stats.js';
import type { PacketDecoder } from './packet-decoder.js';

const SHB = 0x0a0d0d0a;
const IDB = 1;
const PB = 2;
const SPB = 3;
const EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_TSRESOL = 9;
const OPT_TSOFFSET = 14;
/** Interfaces per section: more is not a real capture (and would be unbounded memory). */
const MAX_INTERFACES = 65536;

interface Interface {
  readonly linkType: number;
  readonly snaplen: number;
  /** Timestamp units per second, and 2^48 and 2^32 divided by it (quotient, remainder). */
  readonly units: number;
  readonly q48: number;
  readonly m48: number;
  readonly q32: number;
  readonly m32: number;
  readonly offsetMs: number;
}

function newInterface(linkType: number, snaplen: number, units: number, offsetMs: number): Interface {
  const p48 = 2 ** 48;
  const p32 = 2 ** 32;
  return { linkType, snaplen, units, q48: Math.floor(p48 / units), m48: p48 % units, q32: Math.floor(p32 / units), m32: p32 % units, offsetMs };
}

export class PcapngReader implements FormatReader {
  private readonly src: ChunkReader;
  private readonly decoder: PacketDecoder;
  private readonly stats: CaptureStats;
  private readonly report: ProblemReporter;
  private readonly file: string;
  private le = true;
  private interfaces: Interface[] = [];
  private lastTime = 0;
  private sections = 0;

  constructor(file: string, src: ChunkReader, decoder: PacketDecoder, stats: CaptureStats, report: ProblemReporter) {
    this.file = file;
    this.src = src;
    this.decoder = decoder;
    this.stats = stats;
    this.report = report;
  }

  run(): number {
    const src = this.src;
    const out = this.decoder.out;
    for (;;) {
      const pos = src.pos;
      if (src.end - pos < 12) return 12;
      const view = src.view;
      const type = view.getUint32(pos, this.le);
      if (type === SHB) {
        const magic = view.getUint32(pos + 8, true);
        if (magic === BYTE_ORDER_MAGIC) this.le = true;
        else if (magic === 0x4d3c2b1a) this.le = false;
        else return this.broken('section header block has no byte-order magic');
      } else if (this.sections === 0) {
        return this.broken('the file does not start with a section header block');
      }
      const length = view.getUint32(pos + 4, this.le);
      if (length < 12 || length % 4 !== 0 || length > MAX_RECORD) {
        return this.broken(`block of type ${type} has a bad length ${length}`);
      }
      if (src.end - pos < length) return length;
      if (view.getUint32(pos + length - 4, this.le) !== length) {
        return this.broken(`block of type ${type}: its trailing length differs from ${length}`);
      }
      const body = pos + 8;
      const bodyEnd = pos + length - 4;
      if (type === EPB) this.enhancedPacket(body, bodyEnd);
      else if (type === SPB) this.simplePacket(body, bodyEnd);
      else if (type === PB) this.obsoletePacket(body, bodyEnd);
      else if (type === IDB) {
        if (!this.interfaceBlock(body, bodyEnd)) return RUN_DONE;
      } else if (type === SHB) {
        this.sections++;
        this.interfaces = [];
      }
      src.pos = pos + length;
      if (out.length > 0) return RUN_OUTPUT;
    }
  }

  endedEarly(): void {
    this.report({
      file: this.file,
      code: 'CAPTURE_TRUNCATED',
      message: `truncated capture: the last block (at byte ${this.src.offset}) is cut short`,
      frame: null,
      offset: this.src.offset,
    });
  }

  private broken(why: string): number {
    this.report({
      file: this.file,
      code: 'CAPTURE_BAD_BLOCK',
      message: `pcapng block at byte ${this.src.offset}: ${why}; the rest of the file is not read`,
      frame: null,
      offset: this.src.offset,
    });
    return RUN_DONE;
  }

  private interfaceBlock(body: number, end: number): boolean {
    const view = this.src.view;
    if (end - body < 8) {
      this.broken('interface description block too short');
      return false;
    }
    if (this.interfaces.length >= MAX_INTERFACES) {
      this.broken(`more than ${MAX_INTERFACES} interfaces in one section`);
      return false;
    }
    const linkType = view.getUint16(body, this.le);
    const snaplen = view.getUint32(body + 4, this.le);
    let units = 1e6;
    let offsetMs = 0;
    // Options: (code u16, length u16, value padded to 4), ended by opt_endofopt (0) or the body's end.
    let p = body + 8;
    while (p + 4 <= end) {
      const code = view.getUint16(p, this.le);
      const len = view.getUint16(p + 2, this.le);
      if (code === 0 || p + 4 + len > end) break;
      if (code === OPT_TSRESOL && len >= 1) {
        const r = this.src.buf[p + 4]!;
        const exp = r & 0x7f;
        units = (r & 0x80) !== 0 ? 2 ** Math.min(exp, 60) : 10 ** Math.min(exp, 18);
      } else if (code === OPT_TSOFFSET && len >= 8) {
        offsetMs = Number(view.getBigInt64(p + 4, this.le)) * 1000;
      }
      p += 4 + ((len + 3) & ~3);
    }
    this.interfaces.push(newInterface(linkType, snaplen, units, offsetMs));
    return true;
  }

  /**
   * ms of `high·2^32 + low` units. That 64-bit count does not fit a double's 53 bits, so it is split
   * as high = h1·2^16 + h0 into whole seconds and a remainder, each computed exactly.
   */
  private timestamp(iface: Interface, high: number, low: number): number {
    const h1 = high >>> 16;
    const h0 = high & 0xffff;
    const rem = h1 * iface.m48 + h0 * iface.m32 + low;
    const seconds = h1 * iface.q48 + h0 * iface.q32 + Math.floor(rem / iface.units);
    return iface.offsetMs + seconds * 1000 + ((rem % iface.units) * 1000) / iface.units;
  }

  private enhancedPacket(body: number, end: number): void {
    const view = this.src.view;
    if (end - body < 20) return this.badPacket('enhanced packet block too short');
    const iface = this.interfaces[view.getUint32(body, this.le)];
    if (iface === undefined) return this.badPacket('enhanced packet block names an undescribed interface');
    const captured = view.getUint32(body + 12, this.le);
    const original = view.getUint32(body + 16, this.le);
    if (body + 20 + captured > end) return this.badPacket('enhanced packet block: captured length exceeds the block');
    this.lastTime = this.timestamp(iface, view.getUint32(body + 4, this.le), view.getUint32(body + 8, this.le));
    const frame = ++this.stats.frames;
    this.decoder.decode(iface.linkType, this.src.buf, body + 20, body + 20 + captured, original, this.lastTime, frame);
  }

  private simplePacket(body: number, end: number): void {
    const view = this.src.view;
    const iface = this.interfaces[0];
    if (iface === undefined) return this.badPacket('simple packet block before any interface description');
    if (end - body < 4) return this.badPacket('simple packet block too short');
    const original = view.getUint32(body, this.le);
    let captured = Math.min(original, end - body - 4);
    if (iface.snaplen > 0) captured = Math.min(captured, iface.snaplen);
    const frame = ++this.stats.frames;
    this.decoder.decode(iface.linkType, this.src.buf, body + 4, body + 4 + captured, original, this.lastTime, frame);
  }

  private obsoletePacket(body: number, end: number): void {
    const view = this.src.view;
    if (end - body < 20) return this.badPacket('packet block too short');
    const iface = this.interfaces[view.getUint16(body, this.le)];
    if (iface === undefined) return this.badPacket('packet block names an undescribed interface');
    const captured = view.getUint32(body + 12, this.le);
    const original = view.getUint32(body + 16, this.le);
    if (body + 20 + captured > end) return this.badPacket('packet block: captured length exceeds the block');
    this.lastTime = this.timestamp(iface, view.getUint32(body + 4, this.le), view.getUint32(body + 8, this.le));
    const frame = ++this.stats.frames;
    this.decoder.decode(iface.linkType, this.src.buf, body + 20, body + 20 + captured, original, this.lastTime, frame);
  }

  /** A packet block that is well framed but inconsistent: reported, skipped, reading goes on. */
  private badPacket(why: string): void {
    const frame = ++this.stats.frames;
    this.report({ file: this.file, code: 'CAPTURE_BAD_PACKET', message: `frame ${frame}: ${why}`, frame, offset: this.src.offset });
  }
}
