/**
 * Writes the benchmark's capture: a pcap (Ethernet) of at least `targetBytes`, made of repeated
 * rounds of what a guard's WAN interface sees:
 * - a provider call over UDP (INVITE, 100, 180, 200, ACK, RTP both ways, BYE, 200) and a phone's
 *   registration (REGISTER, 401, REGISTER, 200);
 * - a scanner flood (OPTIONS/INVITE/REGISTER from test/fixtures/scanners and bench/corpus);
 * - DNS queries (non-SIP UDP);
 * - every fourth round, a SIP-over-TCP connection (handshake, registration and a call, some messages
 *   split over segments and some sharing one, FIN).
 * Every SIP message gets its own Call-ID; the count of SIP messages written is returned.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { CaptureWriter } from '../../src/analyze/capture/capture-writer.js';
import type { CaptureEndpoint } from '../../src/analyze/capture/captured-message.js';
import { loadShapes, withCallId, type MessageShapes } from './message-shapes.js';
import { Random } from './random.js';

export interface GeneratedCapture {
  readonly path: string;
  readonly bytes: number;
  readonly frames: number;
  /** SIP messages written (UDP datagrams plus messages in TCP streams). */
  readonly sipMessages: number;
  readonly sipTcpMessages: number;
  readonly rtpPackets: number;
}

const PROVIDER: CaptureEndpoint = { address: '203.0.113.10', port: 5060 };
const PROVIDER_MEDIA = '203.0.113.20';
const FLUSH_EVERY = 2000;

class Generator {
  readonly w = new CaptureWriter();
  readonly rnd = new Random(20261128);
  readonly shapes: MessageShapes = loadShapes();
  readonly rtp = Buffer.alloc(172, 0xd5);
  time = Date.UTC(2026, 10, 1, 8, 0, 0);
  frames = 0;
  sip = 0;
  sipTcp = 0;
  rtpPackets = 0;
  callSeq = 0;
  tcpSessions = 0;
  pending = 0;
  written = 0;

  constructor(private readonly fd: number) {}

  private tick(ms: number): number {
    this.time += ms;
    return this.time;
  }

  private callId(kind: string): string {
    return `${kind}-${(++this.callSeq).toString(36)}-${this.rnd.int(0, 0xffffff).toString(16)}@bench.ghostguard.test`;
  }

  private udpSip(src: CaptureEndpoint, dst: CaptureEndpoint, shape: Buffer, callId: string): void {
    this.w.udp({ time: this.tick(0.4), src, dst, payload: withCallId(shape, callId) });
    this.sip++;
    this.count(1);
  }

  private count(frames: number): void {
    this.frames += frames;
    this.pending += frames;
    if (this.pending >= FLUSH_EVERY) this.flush();
  }

  flush(): void {
    const chunk = this.w.take();
    writeSync(this.fd, chunk);
    this.written += chunk.length;
    this.pending = 0;
  }

  providerCall(): void {
    const phone = { address: `192.0.2.${50 + this.rnd.int(0, 9)}`, port: 5060 };
    const s = this.shapes;
    const register = this.callId('reg');
    this.udpSip(phone, PROVIDER, s.register, register);
    this.udpSip(PROVIDER, phone, s.challenge, register);
    this.udpSip(phone, PROVIDER, s.register, register);
    this.udpSip(PROVIDER, phone, s.registerOk, register);
    const call = this.callId('call');
    this.udpSip(PROVIDER, phone, this.rnd.pick(s.invite), call);
    this.udpSip(phone, PROVIDER, s.trying, call);
    this.udpSip(phone, PROVIDER, s.ringing, call);
    this.udpSip(phone, PROVIDER, s.answer, call);
    this.udpSip(PROVIDER, phone, s.ack, call);
    const a = { address: phone.address, port: 4000 + 2 * this.rnd.int(0, 499) };
    const b = { address: PROVIDER_MEDIA, port: 10000 + 2 * this.rnd.int(0, 4999) };
    const packets = this.rnd.int(100, 200);
    for (let i = 0; i < packets; i++) {
      this.rtp.writeUInt16BE(i & 0xffff, 2);
      this.w.udp({ time: this.tick(10), src: a, dst: b, payload: this.rtp });
      this.w.udp({ time: this.tick(0.1), src: b, dst: a, payload: this.rtp });
      this.rtpPackets += 2;
      this.count(2);
    }
    this.udpSip(PROVIDER, phone, s.bye, call);
    this.udpSip(phone, PROVIDER, s.answer, call);
  }

  scannerFlood(): void {
    const scanner = { address: `198.51.100.${this.rnd.int(2, 250)}`, port: this.rnd.int(5061, 65000) };
    const target = { address: `192.0.2.${50 + this.rnd.int(0, 9)}`, port: 5060 };
    const shape = this.rnd.pick(this.shapes.scanners);
    const n = this.rnd.int(20, 60);
    for (let i = 0; i < n; i++) this.udpSip(scanner, target, shape, this.callId('scan'));
  }

  dns(): void {
    const q = Buffer.from('12340100000100000000000003777777076578616d706c6503636f6d0000010001', 'hex');
    this.w.udp({ time: this.tick(1), src: { address: '192.0.2.50', port: 40000 + this.rnd.int(0, 9999) }, dst: { address: '192.0.2.1', port: 53 }, payload: q });
    this.count(1);
  }

  tcpSession(): void {
    // A new port and initial sequence numbers per connection: a reused port with the same sequence
    // numbers would look like retransmissions of the old connection (tshark then skips its SIP).
    const phone = { address: '192.0.2.60', port: 30000 + (this.tcpSessions++ % 30000) };
    const isn = this.rnd.int(0, 0x7fffffff);
    const s = this.shapes;
    const w = this.w;
    const seg = (src: CaptureEndpoint, dst: CaptureEndpoint, payload: Buffer, messages = 0): void => {
      w.tcp({ time: this.tick(0.5), src, dst, payload });
      this.sip += messages;
      this.sipTcp += messages;
      this.count(1);
    };
    w.tcp({ time: this.tick(1), src: phone, dst: PROVIDER, seq: isn, flags: { syn: true } });
    w.tcp({ time: this.tick(1), src: PROVIDER, dst: phone, seq: isn ^ 0x5a5a5a5a, flags: { syn: true, ack: true } });
    this.count(2);
    const reg = this.callId('tcp-reg');
    seg(phone, PROVIDER, withCallId(s.register, reg), 1);
    seg(PROVIDER, phone, withCallId(s.challenge, reg), 1);
    seg(phone, PROVIDER, withCallId(s.register, reg), 1);
    seg(PROVIDER, phone, withCallId(s.registerOk, reg), 1);
    const call = this.callId('tcp-call');
    const invite = withCallId(this.rnd.pick(s.invite), call);
    const cuts = [this.rnd.int(20, 200), this.rnd.int(300, 500)];
    seg(PROVIDER, phone, invite.subarray(0, cuts[0]));
    seg(PROVIDER, phone, invite.subarray(cuts[0], cuts[1]));
    seg(PROVIDER, phone, invite.subarray(cuts[1]), 1);
    seg(phone, PROVIDER, Buffer.concat([withCallId(s.trying, call), withCallId(s.ringing, call)]), 2);
    seg(phone, PROVIDER, withCallId(s.answer, call), 1);
    seg(PROVIDER, phone, withCallId(s.ack, call), 1);
    seg(phone, PROVIDER, withCallId(s.bye, call), 1);
    seg(PROVIDER, phone, withCallId(s.answer, call), 1);
    w.tcp({ time: this.tick(1), src: phone, dst: PROVIDER, flags: { fin: true, ack: true } });
    w.tcp({ time: this.tick(1), src: PROVIDER, dst: phone, flags: { fin: true, ack: true } });
    this.count(2);
  }
}

export function generateCapture(path: string, targetBytes: number): GeneratedCapture {
  const fd = openSync(path, 'w');
  try {
    const g = new Generator(fd);
    for (let round = 0; g.written < targetBytes; round++) {
      g.providerCall();
      g.scannerFlood();
      g.dns();
      if (round % 4 === 0) g.tcpSession();
      if (g.pending > 0 && round % 8 === 7) g.flush();
    }
    g.flush();
    return { path, bytes: g.written, frames: g.frames, sipMessages: g.sip, sipTcpMessages: g.sipTcp, rtpPackets: g.rtpPackets };
  } finally {
    closeSync(fd);
  }
}
