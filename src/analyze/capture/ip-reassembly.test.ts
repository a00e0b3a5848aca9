import { describe, expect, it } from 'vitest';
import { CaptureWriter } from './capture-writer.js';
import { FragmentTable } from './ip-reassembly.js';
import { ipPackets, linkFrame, parseAddress, udpDatagram } from './packet-builder.js';
import { A, A6, B, B6, readBack, sipRequest, T0 } from './read-test-helper.js';

const BIG = sipRequest('big', 'a=x-padding:0123456789abcdef\r\n'.repeat(120)); // ~3.8 kB

/** The fragments of one UDP datagram as Ethernet frames, in send order. */
function fragments(v6: boolean, payload: string, mtu: number, id = 77): Buffer[] {
  const [s, d] = v6 ? [A6, B6] : [A, B];
  const src = parseAddress(s.address);
  const dst = parseAddress(d.address);
  return ipPackets(src, dst, 17, udpDatagram(src, dst, s.port, d.port, Buffer.from(payload)), { mtu, id }).map((p) => linkFrame(1, p));
}

function capture(frames: readonly Buffer[], times?: readonly number[]): Buffer {
  const w = new CaptureWriter();
  frames.forEach((f, i) => w.frame(times?.[i] ?? T0 + i, f));
  return w.toBuffer();
}

describe('IP fragment reassembly (RFC 791 §3.2, RFC 8200 §4.5)', () => {
  for (const v6 of [false, true]) {
    const ip = v6 ? 'IPv6' : 'IPv4';
    it(`${ip}: fragments in order, reversed and shuffled give the datagram back`, async () => {
      const f = fragments(v6, BIG, 576);
      expect(f.length).toBeGreaterThan(5);
      const shuffled = [f[3]!, f[0]!, f[5]!, f[1]!, ...f.slice(6), f[4]!, f[2]!];
      for (const order of [f, [...f].reverse(), shuffled]) {
        const r = await readBack(capture(order));
        expect(r.messages.map((m) => m.text)).toEqual([BIG]);
        expect(r.messages[0]!.frame).toBe(f.length); // the frame that completed it
        expect(r.stats.fragmentsReassembled).toBe(1);
        expect(r.stats.fragmentsDropped).toBe(0);
      }
    });

    it(`${ip}: duplicates and overlapping fragments (the first copy wins)`, async () => {
      const small = fragments(v6, BIG, 576);
      const large = fragments(v6, BIG, 1280);
      // The 1280-byte fragments overlap the 576-byte ones at different boundaries.
      const mixed = [small[0]!, small[0]!, large[1]!, small[2]!, ...small.slice(1), large[0]!];
      const r = await readBack(capture(mixed));
      expect(r.messages.map((m) => m.text)).toEqual([BIG]);
      expect(r.problems).toEqual([]);
    });

    it(`${ip}: a missing fragment → the datagram is dropped after the timeout and counted`, async () => {
      const f = fragments(v6, BIG, 576);
      const other = fragments(v6, sipRequest('later', 'x'.repeat(2000)), 576, 99);
      const incomplete = [f[0]!, ...f.slice(2)];
      // 31 s later (past the 30 s timeout) the rest of f[1] arrives: too late.
      const times = [...incomplete.map((_, i) => T0 + i), ...other.map((_, i) => T0 + 31_000 + i), T0 + 31_100];
      const r = await readBack(capture([...incomplete, ...other, f[1]!], times));
      expect(r.messages.map((m) => m.text)).toEqual([sipRequest('later', 'x'.repeat(2000))]);
      expect(r.stats.fragmentsDropped).toBe(2); // the timed-out one, and the late fragment alone at the end
    });

    it(`${ip}: the table is bounded: the oldest datagrams give way, each counted`, async () => {
      const frames: Buffer[] = [];
      for (let id = 1; id <= 40; id++) frames.push(fragments(v6, BIG, 576, id)[0]!); // first fragments only
      const r = await readBack(capture(frames), { limits: { reassembly: { maxDatagrams: 8, timeoutMs: 30_000 } } });
      expect(r.messages).toEqual([]);
      expect(r.stats.fragments).toBe(40);
      expect(r.stats.fragmentsDropped).toBe(40); // 32 evicted, 8 left at the end
    });
  }

  it('FragmentTable refuses a datagram over 65535 bytes and inconsistent last fragments', () => {
    const counters = { fragments: 0, fragmentsReassembled: 0, fragmentsDropped: 0 };
    const t = new FragmentTable(counters);
    const data = Buffer.alloc(1000);
    expect(t.add('k', 65000, true, data, 0, 1000, 0)).toBeNull();
    expect(counters.fragmentsDropped).toBe(1);
    expect(t.add('j', 1000, false, data, 0, 1000, 0)).toBeNull(); // total 2000
    expect(t.add('j', 0, false, data, 0, 500, 0)).toBeNull(); // claims total 500: inconsistent
    expect(counters.fragmentsDropped).toBe(2);
    expect(t.size).toBe(0);
    expect(t.add('i', 8, false, data, 0, 8, 0)).toBeNull();
    const whole = t.add('i', 0, true, Buffer.from('ABCDEFGH'), 0, 8, 0);
    expect(whole?.subarray(0, 8).toString()).toBe('ABCDEFGH');
    expect(whole?.length).toBe(16);
  });
});
