/**
 * What the guard does with a WAN reader's tally (`MessagePipeline.strangerRequests` and
 * `unnamedRequests`), on the real event store: the parts of the pipeline a tally does not touch
 * are left out.
 */
import { describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import type { EventSink } from '../store/event-store.js';
import { systemClock } from '../util/clock.js';
import { GuardStats } from './guard-stats.js';
import { MessagePipeline, type PipelineDeps } from './message-pipeline.js';

const LOCAL = { address: '192.0.2.30', port: 5071 };
const T0 = 1_700_000_040_000;

function pipeline(options: { limited?: string[]; banned?: string[]; provider?: string[]; sink?: (events: EventSink) => EventSink } = {}) {
  const store = openStore(':memory:', { clock: systemClock, events: { flushIntervalMs: 0 } });
  const stats = new GuardStats();
  const rated: Array<[string, number | undefined]> = [];
  const deps = {
    ctx: { providers: { has: (a: string) => (options.provider ?? []).includes(a) }, clock: systemClock },
    providerDomain: 'voip.example.test',
    wanGate: {
      rate: (address: string, now?: number) => {
        rated.push([address, now]);
        return (options.limited ?? []).includes(address) ? 'limited' : 'ok';
      },
    },
    events: options.sink ? options.sink(store.events) : store.events,
    stats,
    isBanned: (a: string) => (options.banned ?? []).includes(a),
  } as unknown as PipelineDeps;
  return { p: new MessagePipeline(deps), store, stats, rated };
}

describe('MessagePipeline: a WAN reader tally', () => {
  it("counts a named source's requests: stats, the rate limiter at the tally's time, and a row of their own", () => {
    const { p, store, stats, rated } = pipeline({ limited: ['198.51.100.9'] });
    p.strangerRequests(LOCAL, '198.51.100.66', 5060, 'not-from-provider', 'INVITE', 3, T0);
    p.strangerRequests(LOCAL, '198.51.100.9', 5061, 'not-from-provider', 'OPTIONS', 2, T0);
    p.strangerRequests(LOCAL, '198.51.100.7', 5062, 'malformed', null, 1, T0);
    const s = stats.snapshot();
    expect(s.messages).toMatchObject({ 'wan INVITE': 3, 'wan OPTIONS': 2, 'wan unparsed': 1 });
    expect(s.drops).toMatchObject({ 'not-from-provider': 5, malformed: 1 });
    expect(rated).toEqual([...Array(3).fill(['198.51.100.66', T0]), ...Array(2).fill(['198.51.100.9', T0])]);
    // A row with no message to label (the reader kept the bytes): source, port, reasons and counts.
    const rows = store.events.query().events;
    expect(rows.map((r) => [r.flow.remoteAddress, r.flow.remotePort, r.reasons, r.count, r.time])).toEqual([
      ['198.51.100.7', 5062, ['malformed'], 1, T0],
      ['198.51.100.9', 5061, ['not-from-provider', 'flood'], 2, T0],
      ['198.51.100.66', 5060, ['not-from-provider'], 3, T0],
    ]);
    store.close();
  });

  it("counts a banned source's requests as banned, and the provider's (tallied before the reader knew its address) as missed", () => {
    const { p, store, stats, rated } = pipeline({ banned: ['198.51.100.66'], provider: ['203.0.113.10'] });
    p.strangerRequests(LOCAL, '198.51.100.66', 5060, 'not-from-provider', 'INVITE', 4, T0);
    p.strangerRequests(LOCAL, '203.0.113.10', 5060, 'not-from-provider', 'INVITE', 2, T0);
    const s = stats.snapshot();
    expect(s.drops).toEqual({ banned: 4 });
    expect(s.proxy['wan-reader-provider-missed']).toBe(2);
    expect(rated).toEqual([]);
    expect(store.events.count()).toEqual({ rows: 1, events: 4 });
    store.close();
  });

  it('counts unnamed requests in the stats and the overflow row, never against a source', () => {
    const { p, store, stats, rated } = pipeline();
    p.unnamedRequests(LOCAL, 'not-from-provider', 'INVITE', 700, T0);
    p.unnamedRequests(LOCAL, 'malformed', null, 5, T0 + 10);
    const s = stats.snapshot();
    expect(s.messages).toMatchObject({ 'wan INVITE': 700, 'wan unparsed': 5 });
    expect(s.drops).toMatchObject({ 'not-from-provider': 700, malformed: 5 });
    expect(rated).toEqual([]);
    const rows = store.events.query().events;
    expect(rows.map((r) => [r.flow.remoteAddress, r.reasons, r.count])).toEqual([['*', ['overflow'], 705]]);
    store.close();
  });

  it('records each unnamed request in full for a sink that cannot count them', () => {
    const recorded: string[] = [];
    const { p, store } = pipeline({ sink: (events) => ({ record: (e) => (recorded.push(e.flow.remoteAddress), events.record(e)) }) });
    p.unnamedRequests(LOCAL, 'not-from-provider', 'OPTIONS', 3, T0);
    expect(recorded).toEqual(['*', '*', '*']);
    store.close();
  });
});
