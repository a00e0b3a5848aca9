import { describe, expect, it } from 'vitest';
import { CaptureWriter, LinkType } from './capture-writer.js';
import { A, A6, B, B6, readBack, sipRequest, T0 } from './read-test-helper.js';

const LINKS: [string, number][] = [
  ['Ethernet', LinkType.ETHERNET],
  ['Linux cooked SLL', LinkType.LINUX_SLL],
  ['Linux cooked SLL2', LinkType.LINUX_SLL2],
  ['raw IP (101)', LinkType.RAW],
  ['raw IPv4/IPv6 (228/229)', -1],
  ['BSD loopback NULL', LinkType.NULL],
  ['OpenBSD LOOP', LinkType.LOOP],
];

describe('link layers: every link type carries IPv4 and IPv6 SIP to the reader', () => {
  for (const [name, linkType] of LINKS) {
    for (const format of ['pcap', 'pcapng'] as const) {
      it(`${name} in ${format}`, async () => {
        const v4Type = linkType === -1 ? LinkType.IPV4 : linkType;
        const v6Type = linkType === -1 ? LinkType.IPV6 : linkType;
        const w4 = new CaptureWriter({ format, linkType: v4Type });
        w4.udp({ time: T0, src: A, dst: B, payload: sipRequest('v4') });
        const w6 = new CaptureWriter({ format, linkType: v6Type });
        w6.udp({ time: T0 + 1, src: A6, dst: B6, payload: sipRequest('v6') });
        const r = await readBack([w4.toBuffer(), w6.toBuffer()]);
        expect(r.problems).toEqual([]);
        expect(r.messages.map((m) => m.text)).toEqual([sipRequest('v4'), sipRequest('v6')]);
        expect(r.messages[1]!.src).toEqual(A6);
        expect(r.messages[1]!.dst).toEqual(B6);
        expect(r.stats.files).toBe(2);
      });
    }
  }

  for (const order of ['le', 'be'] as const) {
    for (const family of [24, 28, 30]) {
      it(`BSD loopback family in ${order} byte order, AF_INET6 = ${family}`, async () => {
        for (const linkType of [LinkType.NULL, LinkType.LOOP]) {
          const w = new CaptureWriter({ linkType, familyByteOrder: order, inet6Family: family });
          w.udp({ time: T0, src: A, dst: B, payload: sipRequest('a') });
          w.udp({ time: T0, src: A6, dst: B6, payload: sipRequest('b') });
          const r = await readBack(w.toBuffer());
          expect(r.messages.map((m) => m.text)).toEqual([sipRequest('a'), sipRequest('b')]);
        }
      });
    }
  }

  it('Ethernet with one 802.1Q tag and with stacked 802.1ad + 802.1Q tags', async () => {
    for (const vlan of [[100], [10, 20], [1, 2, 3]]) {
      const w = new CaptureWriter({ vlan });
      w.udp({ time: T0, src: A, dst: B, payload: sipRequest(`vlan${vlan.length}`) });
      const r = await readBack(w.toBuffer());
      expect(r.messages.map((m) => m.text)).toEqual([sipRequest(`vlan${vlan.length}`)]);
    }
  });

  it('counts frames without IP (ARP, an unknown family) as skipped, and goes on', async () => {
    const w = new CaptureWriter();
    const arp = Buffer.alloc(42);
    arp.writeUInt16BE(0x0806, 12);
    w.frame(T0, arp);
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('after-arp') });
    const n = new CaptureWriter({ linkType: LinkType.NULL });
    n.frame(T0, Buffer.from([7, 0, 0, 0, 0x45, 0, 0, 20]));
    const r = await readBack([w.toBuffer(), n.toBuffer()]);
    expect(r.messages.map((m) => m.text)).toEqual([sipRequest('after-arp')]);
    expect(r.stats.skippedNonIp).toBe(2);
    expect(r.stats.frames).toBe(3);
  });

  it('IPv4 options and IPv6 hop-by-hop + destination options headers are skipped', async () => {
    const w = new CaptureWriter();
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('opts'), ipv4Options: Buffer.from([0x94, 4, 0, 0, 1, 1, 1, 0]) });
    w.udp({ time: T0, src: A6, dst: B6, payload: sipRequest('ext6'), ipv6Extensions: true });
    const r = await readBack(w.toBuffer());
    expect(r.messages.map((m) => m.text)).toEqual([sipRequest('opts'), sipRequest('ext6')]);
  });

  it('skips non-SIP UDP (RTP, DNS) without handing it out', async () => {
    const w = new CaptureWriter();
    const rtp = Buffer.alloc(172);
    rtp[0] = 0x80;
    for (let i = 0; i < 100; i++) w.udp({ time: T0 + i * 20, src: { address: A.address, port: 10000 }, dst: { address: B.address, port: 20000 }, payload: rtp });
    w.udp({ time: T0, src: A, dst: { address: B.address, port: 53 }, payload: Buffer.from([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]) });
    const r = await readBack(w.toBuffer());
    expect(r.messages).toEqual([]);
    expect(r.stats.udpDatagrams).toBe(101);
  });
});
