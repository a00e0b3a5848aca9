import { PassThrough } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../util/clock.js';
import { LiveFeed } from './live-feed.js';

/** A stand-in response: a writable that keeps what it got, with a settable backlog. */
function fakeResponse(): ServerResponse & { text(): string; backlog: number; destroyed: boolean } {
  const chunks: string[] = [];
  const stream = new PassThrough();
  const res = Object.assign(stream, {
    backlog: 0,
    writeHead: () => res,
    text: () => chunks.join(''),
  });
  res.write = ((chunk: string) => {
    chunks.push(chunk);
    return true;
  }) as typeof res.write;
  Object.defineProperty(res, 'writableLength', { get: () => res.backlog });
  return res as unknown as ServerResponse & { text(): string; backlog: number; destroyed: boolean };
}

describe('LiveFeed: bounded server-sent events', () => {
  it('refuses clients past the cap', () => {
    const feed = new LiveFeed({ clock: new ManualClock(), maxClients: 2 });
    expect(feed.add(fakeResponse())).toBe(true);
    expect(feed.add(fakeResponse())).toBe(true);
    expect(feed.add(fakeResponse())).toBe(false);
    expect(feed.stats()).toMatchObject({ clients: 2, refused: 1 });
    feed.close();
  });

  it('drops a client whose backlog grew past the limit; the others go on', () => {
    const feed = new LiveFeed({ clock: new ManualClock(), maxBacklogBytes: 100 });
    const slow = fakeResponse();
    const fast = fakeResponse();
    feed.add(slow);
    feed.add(fast);
    slow.backlog = 101;
    feed.broadcast('stats', { n: 1 });
    expect(slow.destroyed).toBe(true);
    expect(fast.text()).toContain('event: stats\ndata: {"n":1}\n\n');
    expect(feed.stats()).toMatchObject({ clients: 1, droppedSlow: 1 });
    feed.close();
  });

  it('caps a message type per second and counts what it skipped; heartbeats keep the stream alive', () => {
    const clock = new ManualClock();
    const feed = new LiveFeed({ clock, ratePerSecond: { event: 2 }, heartbeatMs: 1000 });
    const res = fakeResponse();
    feed.add(res);
    expect([1, 2, 3].map((n) => feed.broadcast('event', { n }))).toEqual([true, true, false]);
    expect(feed.stats().skipped).toBe(1);
    clock.advance(1000);
    expect(feed.broadcast('event', { n: 4 })).toBe(true);
    expect(res.text()).toMatch(/: heartbeat \d+\n\n/);
    expect(res.text()).not.toContain('"n":3');
    feed.close();
  });
});
