import { describe, expect, it } from 'vitest';
import { CaptureWriter, LinkType } from './capture-writer.js';
import { readBack, A, A6, B, B6, sipRequest, T0 } from './read-test-helper.js';
import { looksLikeSip } from './sip-sniff.js';

/** A capture with a bit of everything: UDP, fragments (v4, v6), TCP, VLAN, RTP. */
function mixed(format: 'pcap' | 'pcapng'): Buffer {
  const w = new CaptureWriter({ format, linkType: LinkType.ETHERNET, vlan: [7] });
  w.udp({ time: T0, src: A, dst: B, payload: sipRequest('u') });
  w.udp({ time: T0 + 1, src: A, dst: B, payload: sipRequest('f4', 'x'.repeat(1500)), mtu: 400 });
  w.udp({ time: T0 + 2, src: A6, dst: B6, payload: sipRequest('f6', 'y'.repeat(1500)), mtu: 400, ipv6Extensions: true });
  w.tcp({ time: T0 + 3, src: A, dst: B, flags: { syn: true } });
  const t = sipRequest('t1') + sipRequest('t2', 'z'.repeat(300));
  for (let i = 0; i < t.length; i += 97) w.tcp({ time: T0 + 4, src: A, dst: B, payload: t.slice(i, i + 97) });
  const rtp = Buffer.alloc(100, 1);
  rtp[0] = 0x80;
  w.udp({ time: T0 + 5, src: A, dst: { address: B.address, port: 9000 }, payload: rtp });
  return w.toBuffer();
}

/** Seeded xorshift, so that a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

describe('bad input: clear problems, never a crash or a hang', () => {
  for (const format of ['pcap', 'pcapng'] as const) {
    it(`${format}: 300 captures with random bytes changed or cut short`, async () => {
      const good = mixed(format);
      const clean = await readBack(good);
      expect(clean.problems).toEqual([]);
      expect(clean.messages).toHaveLength(5);
      const random = rng(format === 'pcap' ? 1234 : 5678);
      for (let round = 0; round < 300; round++) {
        const bad = Buffer.from(good);
        const flips = 1 + Math.floor(random() * 8);
        for (let k = 0; k < flips; k++) bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
        const input = random() < 0.2 ? bad.subarray(0, Math.floor(random() * bad.length)) : bad;
        const r = await readBack(input);
        for (const m of r.messages) expect(looksLikeSip(Buffer.from(m.text), 0, Buffer.byteLength(m.text)), JSON.stringify(m.text.slice(0, 80))).toBe(true);
        for (const p of r.problems) expect(p.message.length).toBeGreaterThan(0);
        expect(r.stats.frames).toBeLessThanOrEqual(40);
      }
    }, 60_000);
  }
});
