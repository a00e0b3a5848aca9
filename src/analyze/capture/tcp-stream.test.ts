import { describe, expect, it } from 'vitest';
import { CaptureWriter } from './capture-writer.js';
import { MAX_TCP_MESSAGE, TcpStream, type TcpSink } from './tcp-stream.js';
import { A, A6, B, B6, readBack, sipRequest, T0 } from './read-test-helper.js';

const ONE = sipRequest('one', 'v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\n');
const TWO = sipRequest('two');
const THREE = sipRequest('three', 'x'.repeat(5000));

interface Seg {
  readonly seq: number;
  readonly data: string;
  readonly flags?: { syn?: boolean; fin?: boolean; rst?: boolean; ack?: boolean };
}

/** Segments of `text` starting at sequence number `isn + 1`, cut at the given offsets. */
function cut(text: string, at: readonly number[], isn = 5000): Seg[] {
  const points = [0, ...at, text.length];
  const segs: Seg[] = [];
  for (let i = 0; i + 1 < points.length; i++) segs.push({ seq: isn + 1 + points[i]!, data: text.slice(points[i]!, points[i + 1]!) });
  return segs;
}

function capture(segs: readonly Seg[], v6 = false, syn = true): Buffer {
  const w = new CaptureWriter();
  const [src, dst] = v6 ? [A6, B6] : [A, B];
  if (syn) w.tcp({ time: T0, src, dst, seq: 5000, flags: { syn: true } });
  segs.forEach((s, i) => w.tcp({ time: T0 + 1 + i, src, dst, seq: s.seq, payload: s.data, flags: s.flags ?? { ack: true, psh: true } }));
  return w.toBuffer();
}

const texts = (r: Awaited<ReturnType<typeof readBack>>): string[] => r.messages.map((m) => m.text);

describe('TCP stream reassembly and framing (RFC 9293, RFC 3261 §18.3)', () => {
  for (const v6 of [false, true]) {
    it(`${v6 ? 'IPv6' : 'IPv4'}: a message split over segments, two in one segment, one over many`, async () => {
      const all = ONE + TWO + THREE;
      const segs = cut(all, [40, ONE.length + 10, ONE.length + TWO.length + 100, ONE.length + TWO.length + 1500, ONE.length + TWO.length + 3000]);
      const r = await readBack(capture(segs, v6));
      expect(texts(r)).toEqual([ONE, TWO, THREE]);
      expect(r.messages.map((m) => m.frame)).toEqual([3, 4, 7]);
      expect(r.messages.every((m) => m.transport === 'tcp')).toBe(true);
      expect(r.messages[0]!.src).toEqual(v6 ? A6 : A);
    });
  }

  it('out-of-order segments wait for the hole to be filled', async () => {
    const segs = cut(ONE + TWO, [30, 90, ONE.length + 20]);
    const r = await readBack(capture([segs[3]!, segs[1]!, segs[2]!, segs[0]!]));
    expect(texts(r)).toEqual([ONE, TWO]);
    expect(r.messages.map((m) => m.frame)).toEqual([5, 5]);
  });

  it('retransmissions and overlapping segments are delivered once', async () => {
    const all = ONE + TWO;
    const segs = cut(all, [50, 120]);
    const overlap: Seg = { seq: 5001 + 30, data: all.slice(30, 200) };
    const r = await readBack(capture([segs[0]!, segs[0]!, overlap, segs[1]!, segs[2]!, segs[2]!]));
    expect(texts(r)).toEqual([ONE, TWO]);
    expect(r.stats.tcpGaps).toBe(0);
  });

  it('a stream first seen mid-message resynchronises at the next SIP start line', async () => {
    const all = ONE + TWO + THREE;
    // Starts inside ONE's headers: ONE is lost, TWO (whose start line ends in the next segment) is found.
    const r = await readBack(capture(cut(all, [25, ONE.length + 5]).slice(1), false, false));
    expect(texts(r)).toEqual([TWO, THREE]);
    // Starts inside TWO's start line ("E sip:100@… SIP/2.0" is no start line): TWO is lost too.
    const r2 = await readBack(capture(cut(all, [ONE.length + 5]).slice(1), false, false));
    expect(texts(r2)).toEqual([THREE]);
  });

  it('a hole that is never filled is a gap: the stream resyncs at the next start line', async () => {
    const all = ONE + TWO;
    const segs = cut(all, [20, 60]);
    const later: Seg[] = [];
    // Far ahead (> 1 MiB window) comes a fresh message: the hole before it is given up.
    later.push({ seq: 5001 + all.length + 2_000_000, data: TWO });
    const r = await readBack(capture([segs[0]!, segs[2]!, ...later]));
    expect(texts(r)).toEqual([TWO]);
    expect(r.stats.tcpGaps).toBe(1);
  });

  it('more than 64 waiting segments also give up the hole', async () => {
    const all = ONE + TWO.repeat(70);
    const points: number[] = [];
    for (let i = 0; i < 70; i++) points.push(ONE.length + i * TWO.length);
    const segs = cut(all, [10, ...points]);
    // segs[1] (the rest of ONE) never comes; 70 whole TWOs follow.
    const r = await readBack(capture([segs[0]!, ...segs.slice(2)]));
    expect(r.stats.tcpGaps).toBe(1);
    expect(texts(r).length).toBeGreaterThan(0);
    expect(texts(r).every((t) => t === TWO)).toBe(true);
  });

  it('SYN sets the sequence; FIN and RST end the stream; sequence numbers wrap around 2^32', async () => {
    const isn = 0xffffffff - 30;
    const segs = cut(ONE + TWO, [60], isn).map((s) => ({ ...s, seq: s.seq >>> 0 }));
    const w = new CaptureWriter();
    w.tcp({ time: T0, src: A, dst: B, seq: isn, flags: { syn: true } });
    w.tcp({ time: T0 + 1, src: A, dst: B, seq: segs[0]!.seq, payload: segs[0]!.data });
    w.tcp({ time: T0 + 2, src: A, dst: B, seq: segs[1]!.seq, payload: segs[1]!.data, flags: { fin: true, ack: true } });
    // A new connection on the same ports after the FIN, then a RST mid-message.
    w.tcp({ time: T0 + 3, src: A, dst: B, seq: 100, flags: { syn: true } });
    w.tcp({ time: T0 + 4, src: A, dst: B, seq: 101, payload: THREE.slice(0, 100) });
    w.tcp({ time: T0 + 5, src: A, dst: B, seq: 201, flags: { rst: true } });
    w.tcp({ time: T0 + 6, src: A, dst: B, seq: 201, payload: THREE.slice(100) });
    const r = await readBack(w.toBuffer());
    expect(texts(r)).toEqual([ONE, TWO]);
    expect(r.stats.tcpStreams).toBe(3);
  });

  it('the two directions of a connection are separate streams; CRLF keep-alives are skipped', async () => {
    const w = new CaptureWriter();
    w.tcp({ time: T0, src: A, dst: B, payload: '\r\n\r\n' + ONE });
    w.tcp({ time: T0, src: B, dst: A, payload: 'SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n' });
    w.tcp({ time: T0, src: A, dst: B, payload: '\r\n\r\n' + TWO });
    const r = await readBack(w.toBuffer());
    expect(texts(r)).toEqual([ONE, 'SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n', TWO]);
    expect(r.messages[1]!.src).toEqual(B);
  });

  it('a message the framer refuses is a located problem; the next one is still found', async () => {
    const bad = 'INVITE sip:a SIP/2.0\r\nContent-Length: nope\r\n\r\n';
    const w = new CaptureWriter();
    w.tcp({ time: T0, src: A, dst: B, payload: bad + TWO });
    const r = await readBack(w.toBuffer());
    expect(texts(r)).toEqual([TWO]);
    expect(r.problems.map((p) => [p.code, p.frame])).toEqual([['SIP_BAD_CONTENT_LENGTH', 1]]);
  });

  it('non-SIP TCP (TLS, HTTP) yields nothing and holds no memory', async () => {
    const w = new CaptureWriter();
    const tls = Buffer.alloc(1400, 0x17);
    for (let i = 0; i < 50; i++) w.tcp({ time: T0 + i, src: A, dst: { address: B.address, port: 443 }, payload: tls });
    w.tcp({ time: T0, src: A, dst: { address: B.address, port: 80 }, payload: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' });
    const r = await readBack(w.toBuffer());
    expect(r.messages).toEqual([]);
    expect(r.problems).toEqual([]);
  });

  it('the stream table is bounded (least recently used evicted)', async () => {
    const w = new CaptureWriter();
    for (let port = 1; port <= 20; port++) w.tcp({ time: T0, src: { address: A.address, port }, dst: B, payload: ONE.slice(0, 50) });
    for (let port = 1; port <= 20; port++) w.tcp({ time: T0, src: { address: A.address, port }, dst: B, payload: ONE.slice(50) });
    const r = await readBack(w.toBuffer(), { limits: { maxTcpStreams: 4 } });
    expect(r.stats.tcpStreamsEvicted).toBeGreaterThanOrEqual(16);
    // Evicted streams lost their first half; the rest (starting mid-message) cannot sync.
    expect(r.messages.length).toBeLessThan(20);
  });
  it('memory stays bounded: a header section that never ends, and segments that wait forever', () => {
    const problems: string[] = [];
    const sink: TcpSink = { message: () => {}, problem: (_s, code) => problems.push(code), gap: () => {} };
    const stream = new TcpStream(A, B);
    stream.segment(1, true, Buffer.alloc(0), 0, 0, sink);
    const chunk = Buffer.from(`INVITE sip:a SIP/2.0\r\nX-Fill: ${'a'.repeat(10_000)}`);
    let seq = 2;
    let most = 0;
    for (let i = 0; i < 100; i++) {
      stream.segment(seq, false, chunk, 0, chunk.length, sink);
      seq += chunk.length;
      most = Math.max(most, stream.heldBytes);
    }
    expect(problems).toContain('SIP_TOO_LARGE');
    expect(most).toBeLessThanOrEqual(MAX_TCP_MESSAGE + chunk.length);
    // Segments after a hole that never fills: held up to the waiting budget, then the hole is given up.
    const ahead = new TcpStream(A, B);
    ahead.segment(1, true, Buffer.alloc(0), 0, 0, sink);
    let peak = 0;
    for (let i = 0; i < 200; i++) {
      ahead.segment(100 + i * chunk.length, false, chunk, 0, chunk.length, sink);
      peak = Math.max(peak, ahead.heldBytes);
    }
    expect(peak).toBeLessThanOrEqual(MAX_TCP_MESSAGE + 2 * chunk.length);
  });
  it('a segment whose data offset is below 5 words is ignored, not read as data', async () => {
    // Ports, sequence and acknowledgement numbers that spell "INVITE sip:a": read from the header's
    // first byte (data offset 0), header and payload would make a SIP-looking message.
    const w = new CaptureWriter({ linkType: 101 });
    const src = { address: A.address, port: 0x494e }; // "IN"
    const dst = { address: B.address, port: 0x5649 }; // "VI"
    w.tcp({ time: T0, src, dst, seq: 0x54452073, ack: 0x69703a61, payload: ' SIP/2.0\r\nContent-Length: 0\r\n\r\n' });
    const good = w.toBuffer();
    expect((await readBack(good)).messages).toEqual([]); // a valid header: the payload alone is no message
    const bad = Buffer.from(good);
    // pcap header 24 + record header 16 + IPv4 header 20: the TCP header; byte 12 holds the data offset.
    bad[24 + 16 + 20 + 12] = 0x00;
    const r = await readBack(bad);
    expect(r.messages).toEqual([]);
    expect(r.problems).toEqual([]);
  });
});

