/**
 * The classic libpcap file format (draft-ietf-opsawg-pcap): a 24-byte file header whose magic gives
 * the byte order and the timestamp resolution (0xA1B2C3D4 microseconds, 0xA1B23C4D nanoseconds),
 * then records of a 16-byte header (seconds, fraction, captured length, original length) and the
 * captured bytes. A captured length below the original one is a snaplen cut.
 */
import type { ChunkReader } from './chunk-reader.js';
import { MAX_RECORD, RUN_DONE, RUN_OUTPUT, type FormatReader, type ProblemReporter } from './capture-format.js';
import type { CaptureStats } from './capture-stats.js';
import { isKnownLinkType } from './link-layer.js';
import type { PacketDecoder } from './packet-decoder.js';

const FILE_HEADER = 24;
const RECORD_HEADER = 16;

export class PcapReader implements FormatReader {
  private readonly src: ChunkReader;
  private readonly decoder: PacketDecoder;
  private readonly stats: CaptureStats;
  private readonly report: ProblemReporter;
  private readonly file: string;
  private littleEndian = true;
  /** Divisor from the fraction field to milliseconds. */
  private fractionPerMs = 1000;
  private linkType = -1;
  private started = false;

  constructor(file: string, src: ChunkReader, decoder: PacketDecoder, stats: CaptureStats, report: ProblemReporter) {
    this.file = file;
    this.src = src;
    this.decoder = decoder;
    this.stats = stats;
    this.report = report;
  }

  run(): number {
    const src = this.src;
    if (!this.started) {
      if (src.available < FILE_HEADER) return FILE_HEADER;
      if (!this.readHeader()) return RUN_DONE;
      this.started = true;
    }
    const le = this.littleEndian;
    const out = this.decoder.out;
    for (;;) {
      const pos = src.pos;
      if (src.end - pos < RECORD_HEADER) return RECORD_HEADER;
      const view = src.view;
      const captured = view.getUint32(pos + 8, le);
      if (captured > MAX_RECORD) {
        this.fail('CAPTURE_BAD_RECORD', `record at byte ${src.offset} claims ${captured} captured bytes`);
        return RUN_DONE;
      }
      if (src.end - pos < RECORD_HEADER + captured) return RECORD_HEADER + captured;
      const seconds = view.getUint32(pos, le);
      const fraction = view.getUint32(pos + 4, le);
      const original = view.getUint32(pos + 12, le);
      const frame = ++this.stats.frames;
      const data = pos + RECORD_HEADER;
      src.pos = data + captured;
      this.decoder.decode(this.linkType, src.buf, data, data + captured, original, seconds * 1000 + fraction / this.fractionPerMs, frame);
      if (out.length > 0) return RUN_OUTPUT;
    }
  }

  endedEarly(): void {
    const what = this.started ? `the last record (at byte ${this.src.offset}) is cut short` : 'the file header is cut short';
    this.fail('CAPTURE_TRUNCATED', `truncated capture: ${what}`);
  }

  private readHeader(): boolean {
    const src = this.src;
    const magic = src.view.getUint32(src.pos, true);
    this.littleEndian = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
    this.fractionPerMs = magic === 0xa1b23c4d || magic === 0x4d3cb2a1 ? 1_000_000 : 1000;
    // The link type is the low 16 bits; the upper bits may carry the FCS length.
    this.linkType = src.view.getUint32(src.pos + 20, this.littleEndian) & 0xffff;
    src.pos += FILE_HEADER;
    if (!isKnownLinkType(this.linkType)) {
      this.fail('CAPTURE_LINK_TYPE', `link type ${this.linkType} is not supported (Ethernet, Linux cooked, raw IP and BSD loopback are)`);
      return false;
    }
    return true;
  }

  private fail(code: string, message: string): void {
    this.report({ file: this.file, code, message, frame: null, offset: this.src.offset });
  }
}
