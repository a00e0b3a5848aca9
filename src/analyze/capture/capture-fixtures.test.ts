import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readPaths } from './read-test-helper.js';

/** Real captures recorded by tcpdump (test/fixtures/captures/reader/README.md). */
const DIR = fileURLToPath(new URL('../../../test/fixtures/captures/reader/', import.meta.url));
const sent = JSON.parse(readFileSync(DIR + 'messages.json', 'utf8')) as { sender: string; receiver: string; udp: string[]; udp6: string[]; tcp: string[] };

describe('real captures from tcpdump (test/fixtures/captures/reader)', () => {
  // tshark's frame.time_relative of frame 25 in each file (each tcpdump stamped its own copy).
  for (const [file, lastRelative] of [
    ['udp-tcp-fragments-ethernet.pcapng', 320.15],
    ['udp-tcp-fragments-sll2-ns.pcap', 320.127975],
  ] as const) {
    it(`${file}: every message sent, intact, at the frame that completed it`, async () => {
      const r = await readPaths([DIR + file]);
      expect(r.problems).toEqual([]);
      expect(r.stats.frames).toBe(29);
      expect(r.stats.fragments).toBe(9); // 6 IPv4 + 3 IPv6
      expect(r.stats.fragmentsReassembled).toBe(2);
      expect(r.stats.fragmentsDropped).toBe(0);
      expect(r.stats.tcpGaps).toBe(0);
      // In capture order, with the frame numbers tshark shows for them.
      expect(r.messages.map((m) => [m.frame, m.transport, m.text])).toEqual([
        [1, 'udp', sent.udp[0]],
        [2, 'udp', sent.udp[1]],
        [3, 'udp', sent.udp[2]],
        [9, 'udp', sent.udp[3]],
        [10, 'udp', sent.udp6[0]],
        [13, 'udp', sent.udp6[1]],
        [21, 'tcp', sent.tcp[0]],
        [23, 'tcp', sent.tcp[1]],
        [23, 'tcp', sent.tcp[2]],
        [25, 'tcp', sent.tcp[3]],
      ]);
      for (const m of r.messages) {
        const v6 = m.frame === 10 || m.frame === 13;
        expect(m.src.address).toBe(v6 ? '2001:db8:21::21' : sent.sender);
        expect(m.dst).toEqual({ address: v6 ? '2001:db8:21::22' : sent.receiver, port: 5060 });
      }
      expect(r.messages[0]!.src.port).toBe(5070);
      const times = r.messages.map((m) => m.time);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(times.at(-1)! - times[0]!).toBeCloseTo(lastRelative, 3);
    });
  }
});
