import { describe, expect, it } from 'vitest';
import { CaptureWriter, LinkType } from './capture-writer.js';
import { A, A6, B, B6, readBack, sipRequest, T0 } from './read-test-helper.js';

describe('pcapng (draft-ietf-opsawg-pcapng)', () => {
  for (const byteOrder of ['le', 'be'] as const) {
    for (const block of ['epb', 'spb', 'pb'] as const) {
      it(`reads ${block.toUpperCase()} blocks in a ${byteOrder === 'le' ? 'little' : 'big'}-endian section`, async () => {
        const w = new CaptureWriter({ format: 'pcapng', byteOrder, block });
        w.udp({ time: T0 + 0.25, src: A, dst: B, payload: sipRequest('one') });
        w.udp({ time: T0 + 7, src: B, dst: A, payload: sipRequest('two') });
        const r = await readBack(w.toBuffer());
        expect(r.problems).toEqual([]);
        expect(r.messages.map((m) => [m.frame, m.text, m.src])).toEqual([
          [1, sipRequest('one'), A],
          [2, sipRequest('two'), B],
        ]);
        // A simple packet block has no timestamp: the reader uses the previous one (none: 0).
        if (block !== 'spb') expect(r.messages.map((m) => m.time)).toEqual([T0 + 0.25, T0 + 7]);
        else expect(r.messages.map((m) => m.time)).toEqual([0, 0]);
      });
    }
  }

  it('several sections of both byte orders, several interfaces with their own link type and if_tsresol', async () => {
    const w = new CaptureWriter({ format: 'pcapng', linkType: LinkType.ETHERNET });
    const sll2 = w.addInterface(LinkType.LINUX_SLL2, 'ns');
    const raw = w.addInterface(LinkType.RAW, 0x80 | 20); // 2^-20 s units
    w.udp({ time: T0 + 0.5, src: A, dst: B, payload: sipRequest('eth'), iface: 0 });
    w.udp({ time: T0 + 1.5, src: A6, dst: B6, payload: sipRequest('sll2'), iface: sll2 });
    w.udp({ time: T0 + 2.5, src: A, dst: B, payload: sipRequest('raw'), iface: raw });
    w.section('be');
    w.addInterface(LinkType.NULL, 'us');
    w.udp({ time: T0 + 3, src: A6, dst: B6, payload: sipRequest('null-be') });
    w.section('le');
    w.addInterface(LinkType.LINUX_SLL);
    w.udp({ time: T0 + 4, src: B, dst: A, payload: sipRequest('sll') });
    const r = await readBack(w.toBuffer());
    expect(r.problems).toEqual([]);
    expect(r.messages.map((m) => m.text)).toEqual(['eth', 'sll2', 'raw', 'null-be', 'sll'].map((t) => sipRequest(t)));
    const times = r.messages.map((m) => m.time - T0);
    expect(times[0]).toBe(0.5);
    expect(times[1]).toBe(1.5);
    expect(times[2]).toBeCloseTo(2.5, 2); // 2^-20 s ≈ 0.95 µs units
    expect(times.slice(3)).toEqual([3, 4]);
  });

  it('skips unknown blocks (name resolution, statistics, custom)', async () => {
    const w = new CaptureWriter({ format: 'pcapng' });
    w.unknownBlock(4, Buffer.alloc(8)); // name resolution block
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('a') });
    w.unknownBlock(5, Buffer.alloc(20)); // interface statistics
    w.unknownBlock(0x40000bad, Buffer.from('custom..'));
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('b') });
    const r = await readBack(w.toBuffer());
    expect(r.problems).toEqual([]);
    expect(r.messages.map((m) => [m.frame, m.text])).toEqual([
      [1, sipRequest('a')],
      [2, sipRequest('b')],
    ]);
  });

  /** A file of SHB, IDB, EPB(a), EPB(b); returns it and the offset of the second EPB. */
  function fileWithTwo(): { file: Buffer; second: number } {
    const w = new CaptureWriter({ format: 'pcapng' });
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('a') });
    const head = w.take();
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('b') });
    return { file: Buffer.concat([head, w.take()]), second: head.length };
  }

  const BROKEN: [string, (f: Buffer, at: number) => void][] = [
    ['a length below 12', (f, at) => f.writeUInt32LE(8, at + 4)],
    ['a length that is not a multiple of 4', (f, at) => f.writeUInt32LE(f.readUInt32LE(at + 4) + 1, at + 4)],
    ['an absurd length', (f, at) => f.writeUInt32LE(0xfffffff0, at + 4)],
    ['a trailing length that differs', (f) => f.writeUInt32LE(12, f.length - 4)],
  ];
  for (const [name, breakIt] of BROKEN) {
    it(`a block with ${name}: the messages before it, then a located problem (no crash, no hang)`, async () => {
      const { file, second } = fileWithTwo();
      breakIt(file, second);
      const r = await readBack(file);
      expect(r.messages.map((m) => m.text)).toEqual([sipRequest('a')]);
      expect(r.problems.map((p) => [p.code, p.offset])).toEqual([['CAPTURE_BAD_BLOCK', second]]);
      expect(r.problems[0]!.message).toContain(`byte ${second}`);
    });
  }

  it('a file cut inside a block, and a block before any section header, are problems', async () => {
    const { file, second } = fileWithTwo();
    const cut = await readBack(file.subarray(0, second + 30));
    expect(cut.messages.map((m) => m.text)).toEqual([sipRequest('a')]);
    expect(cut.problems.map((p) => [p.code, p.offset])).toEqual([['CAPTURE_TRUNCATED', second]]);
    const noShb = Buffer.from(file);
    noShb.writeUInt32LE(0x0a0d0d0a, 0);
    noShb.writeUInt32LE(0x12345678, 8); // no byte-order magic
    const r = await readBack(noShb);
    expect(r.problems.map((p) => p.code)).toEqual(['CAPTURE_BAD_BLOCK']);
  });

  it('a packet block naming an interface that was not described is a frame problem, then reading goes on', async () => {
    const w = new CaptureWriter({ format: 'pcapng' });
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('a') });
    const good = w.take();
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('x') });
    const bad = w.take();
    bad.writeUInt32LE(7, 8); // interface 7
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('b') });
    const r = await readBack(Buffer.concat([good, bad, w.take()]));
    expect(r.messages.map((m) => m.text)).toEqual([sipRequest('a'), sipRequest('b')]);
    expect(r.problems.map((p) => [p.code, p.frame])).toEqual([['CAPTURE_BAD_PACKET', 2]]);
  });
});
