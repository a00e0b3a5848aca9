import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureWriter } from './capture-writer.js';
import { readCaptures } from './read-capture.js';
import { A, B, readBack, readPaths, sipRequest, T0 } from './read-test-helper.js';

function twoMessages(o: ConstructorParameters<typeof CaptureWriter>[0]): Buffer {
  const w = new CaptureWriter(o);
  // Times near 2026 as ms since the epoch are doubles with a step of 2^-12 ms (244 ns): pick exact ones.
  w.udp({ time: T0 + 0.125, src: A, dst: B, payload: sipRequest('one') });
  w.udp({ time: T0 + 1000.5, src: B, dst: A, payload: sipRequest('two') });
  return w.toBuffer();
}

describe('pcap (draft-ietf-opsawg-pcap)', () => {
  for (const byteOrder of ['le', 'be'] as const) {
    it(`reads a ${byteOrder === 'le' ? 'little' : 'big'}-endian file with µs timestamps`, async () => {
      const r = await readBack(twoMessages({ byteOrder }));
      expect(r.problems).toEqual([]);
      expect(r.messages.map((m) => [m.frame, m.text, m.src, m.dst, m.transport])).toEqual([
        [1, sipRequest('one'), A, B, 'udp'],
        [2, sipRequest('two'), B, A, 'udp'],
      ]);
      expect(r.messages[0]!.time).toBe(T0 + 0.125);
      expect(r.messages[1]!.time).toBeCloseTo(T0 + 1000.5, 6);
    });
    it(`keeps nanoseconds from the ns magic (${byteOrder})`, async () => {
      const r = await readBack(twoMessages({ byteOrder, resolution: 'ns' }));
      expect(r.messages[0]!.time).toBe(T0 + 0.125);
      // 2 steps of 244 ns: below a microsecond, so only the ns file keeps it.
      const sub = (resolution: 'us' | 'ns'): CaptureWriter => {
        const w = new CaptureWriter({ byteOrder, resolution });
        w.udp({ time: T0 + 2 ** -11, src: A, dst: B, payload: sipRequest('ns') });
        return w;
      };
      const ns = await readBack(sub('ns').toBuffer());
      expect(ns.messages[0]!.time - T0).toBeCloseTo(0.000488, 6);
      const us = await readBack(sub('us').toBuffer());
      expect(us.messages[0]!.time).toBe(T0);
    });
  }

  it('skips and counts frames cut by the snaplen, with one problem, and reads the rest', async () => {
    const w = new CaptureWriter({ snaplen: 200 });
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('cut', 'v=0\r\n'.repeat(50)) });
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('cut2', 'v=0\r\n'.repeat(50)) });
    const small = 'OPTIONS sip:a SIP/2.0\r\nContent-Length: 0\r\n\r\n';
    w.udp({ time: T0, src: A, dst: B, payload: small });
    const r = await readBack(w.toBuffer());
    expect(r.messages.map((m) => m.text)).toEqual([small]);
    expect(r.stats.truncatedFrames).toBe(2);
    expect(r.problems.map((p) => [p.code, p.frame])).toEqual([['CAPTURE_FRAME_TRUNCATED', 1]]);
  });

  it('a file cut in the middle of a record: the messages before it, then a located problem', async () => {
    const whole = twoMessages({});
    const r = await readBack(whole.subarray(0, whole.length - 10));
    expect(r.messages.map((m) => m.text)).toEqual([sipRequest('one')]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.code).toBe('CAPTURE_TRUNCATED');
    expect(r.problems[0]!.offset).toBeGreaterThan(24);
    const header = await readBack(whole.subarray(0, 10));
    expect(header.problems.map((p) => p.code)).toEqual(['CAPTURE_TRUNCATED']);
  });

  it('a record claiming an absurd length is a problem, not a 4 GB allocation', async () => {
    const whole = twoMessages({});
    whole.writeUInt32LE(0xfffffff0, 24 + 8);
    const r = await readBack(whole);
    expect(r.messages).toEqual([]);
    expect(r.problems.map((p) => [p.code, p.offset])).toEqual([['CAPTURE_BAD_RECORD', 24]]);
  });

  it('a file that is not a capture: "not a pcap or pcapng file"', async () => {
    const r = await readBack(Buffer.from('INVITE sip:100@x SIP/2.0\r\n\r\n'));
    expect(r.messages).toEqual([]);
    expect(r.problems.map((p) => [p.code, p.message, p.frame])).toEqual([['CAPTURE_NOT_A_CAPTURE', 'not a pcap or pcapng file', null]]);
    const empty = await readBack(Buffer.alloc(0));
    expect(empty.problems.map((p) => p.message)).toEqual(['not a pcap or pcapng file']);
  });

  it('without onProblem, a file-level problem is thrown with the file name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-capture-'));
    try {
      const path = join(dir, 'notes.txt');
      writeFileSync(path, 'hello');
      const read = async (): Promise<void> => {
        for await (const _ of readCaptures([path])) void _;
      };
      await expect(read()).rejects.toThrow(`${path}: not a pcap or pcapng file`);
      await expect(readPaths([join(dir, 'missing.pcap')])).resolves.toMatchObject({ problems: [{ code: 'CAPTURE_OPEN' }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a folder: its capture files in natural name order, other files ignored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-capture-'));
    try {
      const one = (tag: string): Buffer => {
        const w = new CaptureWriter({ format: tag.endsWith('ng') ? 'pcapng' : 'pcap' });
        w.udp({ time: T0, src: A, dst: B, payload: sipRequest(tag) });
        return w.toBuffer();
      };
      writeFileSync(join(dir, 'dump.pcap10'), one('ten'));
      writeFileSync(join(dir, 'dump.pcap2'), one('two'));
      writeFileSync(join(dir, 'dump.pcap1'), one('one-ng'));
      writeFileSync(join(dir, 'README'), 'not a capture');
      mkdirSync(join(dir, 'sub'));
      const r = await readPaths([dir]);
      expect(r.problems).toEqual([]);
      expect(r.messages.map((m) => m.text)).toEqual([sipRequest('one-ng'), sipRequest('two'), sipRequest('ten')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports progress and stops when aborted', async () => {
    const w = new CaptureWriter();
    for (let i = 0; i < 3000; i++) w.udp({ time: T0 + i, src: A, dst: B, payload: sipRequest(`m${i}`, 'x'.repeat(400)) });
    const file = w.toBuffer();
    expect(file.length).toBeGreaterThan(1 << 20);
    const progress: number[] = [];
    const full = await readBack(file, { onProgress: (p) => progress.push(p.bytesRead) });
    expect(full.messages).toHaveLength(3000);
    expect(full.stats.bytes).toBe(file.length);
    expect(progress.at(-1)).toBe(file.length);
    const controller = new AbortController();
    let seen = 0;
    const dir = mkdtempSync(join(tmpdir(), 'gg-capture-'));
    try {
      writeFileSync(join(dir, 'a.pcap'), file);
      for await (const _ of readCaptures([join(dir, 'a.pcap')], { signal: controller.signal })) {
        void _;
        if (++seen === 10) controller.abort();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(seen).toBe(10);
  });
  it('a record larger than the 1 MiB read buffer: the buffer grows, reading goes on', async () => {
    const w = new CaptureWriter({ snaplen: 4 << 20 });
    const jumbo = Buffer.alloc(3 << 20, 0x55); // 3 MiB, not IP
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('before') });
    w.frame(T0, jumbo);
    w.udp({ time: T0, src: A, dst: B, payload: sipRequest('after') });
    const r = await readBack(w.toBuffer());
    expect(r.problems).toEqual([]);
    expect(r.messages.map((m) => [m.frame, m.text])).toEqual([
      [1, sipRequest('before')],
      [3, sipRequest('after')],
    ]);
    expect(r.stats.skippedNonIp).toBe(1);
  });
});

