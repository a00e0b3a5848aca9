import { afterEach, describe, expect, it } from 'vitest';
import type { AlertsConfig } from '../config/alerts-config.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { silentLogger } from '../transport/logger.js';
import { ManualClock } from '../util/clock.js';
import { AlertsService, type AlertSources } from './alerts-service.js';
import { ban, fakeSources, RecordingChannel } from './test-kit/fake-sources.js';
import { digestEvent } from './test-kit/digest-events.js';

const utc = (s: string): number => Date.parse(`${s}Z`);
const MIN = 60_000;

// lostAfterSeconds 0: registration alerts at once (the debounce has its own tests in registration-debounce.test.ts).
const NO_EXTRAS: AlertsConfig = { webhooks: [], email: null, timezone: 'Asia/Tokyo', digest: null, quietHours: null, bans: { batchSeconds: 300 }, lostAfterSeconds: 0 };

let store: Store | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

function setup(config: Partial<AlertsConfig>, start: string, extra: Partial<AlertSources> = {}, clock = new ManualClock(utc(start))) {
  const channel = new RecordingChannel();
  const sources = fakeSources();
  const service = new AlertsService({ config: { ...NO_EXTRAS, ...config }, channels: [channel], timeZone: 'Asia/Tokyo', clock, logger: silentLogger });
  service.start({ onProviderHealth: sources.health.subscribe, bans: { subscribe: sources.bans.subscribe }, ...extra });
  const settle = (): Promise<unknown> => Promise.all(service.queues.map((q) => q.idle()));
  return { clock, channel, sources, service, settle };
}

describe('ban alerts, batched', () => {
  it('sends one alert for many bans in the window: "12 scanners banned in the last 5 minutes", top 5 and families', async () => {
    const { clock, channel, sources, settle } = setup({}, '2026-11-27T03:00:00');
    for (let i = 1; i <= 12; i++) {
      const family = i <= 8 ? 'sipvicious' : i <= 10 ? 'sippts' : undefined;
      sources.bans.emit({ kind: 'added', ban: ban(`198.51.100.${i}`, family, clock.now(), i === 7 ? 3 : 1), dryRun: false });
      sources.bans.emit({ kind: 'expired', ban: ban('203.0.113.9', undefined, clock.now()) });
      clock.advance(20_000);
    }
    await settle();
    expect(channel.alerts).toHaveLength(0);
    clock.advance(5 * MIN - 12 * 20_000 - 1);
    await settle();
    expect(channel.alerts).toHaveLength(0);
    clock.advance(1);
    await settle();
    expect(channel.alerts).toHaveLength(1);
    const alert = channel.alerts[0]!;
    expect(alert.kind).toBe('bans');
    expect(alert.title.en).toBe('12 scanners banned in the last 5 minutes');
    expect(alert.title.ja).toBe('直近5分で 12 件のスキャナーを遮断しました');
    expect(alert.text.en).toContain('198.51.100.7 (sipvicious, ban #3), 198.51.100.1 (sipvicious), 198.51.100.2 (sipvicious), 198.51.100.3 (sipvicious), 198.51.100.4 (sipvicious), and 7 more');
    expect(alert.text.en).toContain('By scanner family: sipvicious 8, sippts 2, unknown 2.');
    expect(alert.details).toMatchObject({ banned: 12, wouldBan: 0, dryRun: false, families: { sipvicious: 8, sippts: 2, unknown: 2 } });
    // A new ban opens a new window.
    sources.bans.emit({ kind: 'added', ban: ban('192.0.2.99', 'nmap', clock.now()), dryRun: false });
    // Blocklist imports and bans added by hand are not news.
    sources.bans.emit({ kind: 'added', ban: { ...ban('192.0.2.100', 'nmap', clock.now()), source: 'blocklist' }, dryRun: false });
    sources.bans.emit({ kind: 'added', ban: { ...ban('192.0.2.101', 'nmap', clock.now()), source: 'manual' }, dryRun: false });
    clock.advance(5 * MIN);
    await settle();
    expect(channel.alerts.map((a) => a.title.en)).toEqual(['12 scanners banned in the last 5 minutes', '1 scanner banned in the last 5 minutes']);
  });

  it('says "would have been banned" in dry-run mode', async () => {
    const { clock, channel, sources, settle } = setup({ bans: { batchSeconds: 60 } }, '2026-11-27T03:00:00');
    sources.bans.emit({ kind: 'added', ban: ban('198.51.100.1', 'sipvicious', clock.now()), dryRun: true });
    sources.bans.emit({ kind: 'added', ban: ban('198.51.100.2', 'sipvicious', clock.now()), dryRun: true });
    clock.advance(MIN);
    await settle();
    expect(channel.alerts[0]!.title.en).toBe('2 scanners would have been banned in the last 60 s (dry run)');
    expect(channel.alerts[0]!.text.en).toContain('nothing was actually banned');
  });

  it('sends nothing about bans when ban alerts are off', async () => {
    const { clock, channel, sources, settle } = setup({ bans: null }, '2026-11-27T03:00:00');
    expect(sources.bans.size).toBe(0);
    sources.bans.emit({ kind: 'added', ban: ban('198.51.100.1', 'sipvicious', clock.now()), dryRun: false });
    clock.advance(60 * MIN);
    await settle();
    expect(channel.alerts).toHaveLength(0);
  });
});

describe('provider registration alerts and quiet hours (23:00-07:00 Tokyo)', () => {
  const quietHours = { from: { hour: 23, minute: 0 }, to: { hour: 7, minute: 0 }, urgent: ['registration-lost' as const] };

  it('holds non-urgent alerts across midnight and sends them as one summary at 07:00; registration lost goes out at once', async () => {
    // 13:50 UTC = 22:50 in Tokyo.
    const { clock, channel, sources, settle } = setup({ quietHours }, '2026-11-27T13:50:00');
    sources.bans.emit({ kind: 'added', ban: ban('198.51.100.1', 'sipvicious', clock.now()), dryRun: false });
    clock.advance(5 * MIN); // 22:55: not quiet yet
    await settle();
    expect(channel.alerts.map((a) => a.kind)).toEqual(['bans']);

    clock.advance(35 * MIN); // 23:30
    sources.bans.emit({ kind: 'added', ban: ban('198.51.100.2', 'sipvicious', clock.now()), dryRun: false });
    clock.advance(5 * MIN); // 23:35: batch held
    clock.advance(145 * MIN); // 02:00 the next day
    sources.health.emit({ kind: 'lost', aor: 'sip:0312345678@voip.example.test', at: clock.now(), detail: 'the provider answered 403 Forbidden to the refresh' });
    await settle();
    expect(channel.alerts.map((a) => a.kind)).toEqual(['bans', 'registration-lost']);
    const lost = channel.alerts[1]!;
    expect(lost.title.en).toBe('Registration with your provider lost: you may be missing real calls');
    expect(lost.text.en).toContain('sip:0312345678@voip.example.test');
    expect(lost.text.en).toContain('403 Forbidden');

    clock.advance(10 * MIN); // 02:10
    sources.health.emit({ kind: 'restored', aor: 'sip:0312345678@voip.example.test', at: clock.now(), detail: 'registered for 3600 s' });
    clock.advance(4 * 60 * MIN + 49 * MIN); // 06:59
    await settle();
    expect(channel.alerts).toHaveLength(2);
    clock.advance(MIN); // 07:00
    await settle();
    expect(channel.alerts).toHaveLength(3);
    const summary = channel.alerts[2]!;
    expect(summary.kind).toBe('quiet-summary');
    expect(summary.at).toBe(utc('2026-11-27T22:00:00'));
    expect(summary.title).toEqual({ en: 'During quiet hours: 2 alerts', ja: 'おやすみ時間中のお知らせ：2 件' });
    expect(summary.text.en).toContain('■ 1 scanner banned in the last 5 minutes');
    expect(summary.text.en).toContain('■ Registration with your provider restored');
    expect((summary.details['alerts'] as Array<{ kind: string }>).map((a) => a.kind)).toEqual(['bans', 'registration-restored']);
  });

  it('holds registration lost too when it is not configured as urgent', async () => {
    const { clock, channel, sources, settle } = setup({ quietHours: { ...quietHours, urgent: [] } }, '2026-11-27T17:00:00'); // 02:00 Tokyo
    sources.health.emit({ kind: 'lost', aor: 'sip:a@voip.example.test', at: clock.now(), detail: 'no answer for 32 s' });
    await settle();
    expect(channel.alerts).toHaveLength(0);
    clock.advance(5 * 60 * MIN); // 07:00
    await settle();
    // A single held alert goes out as it was.
    expect(channel.alerts.map((a) => a.kind)).toEqual(['registration-lost']);
  });

  it('sends what quiet hours held when the guard stops, and unsubscribes', async () => {
    const { clock, channel, sources, service } = setup({ quietHours }, '2026-11-27T17:00:00');
    sources.health.emit({ kind: 'lost', aor: 'sip:a@voip.example.test', at: clock.now(), detail: 'no answer for 32 s' });
    sources.health.emit({ kind: 'restored', aor: 'sip:a@voip.example.test', at: clock.now(), detail: 'registered' });
    expect(service.router.held).toBe(1);
    await service.stop();
    expect(channel.alerts.map((a) => a.kind)).toEqual(['registration-lost', 'registration-restored']);
    expect(sources.health.size + sources.bans.size).toBe(0);
  });
});

describe('daily digest', () => {
  it('is sent at 08:00 Tokyo time with the counts of the last 24 hours from the event store', async () => {
    const start = '2026-11-27T20:00:00'; // 05:00 in Tokyo
    const clock = new ManualClock(utc(start));
    store = openStore(':memory:', { clock: { now: () => clock.now() }, events: { flushIntervalMs: 0 } });
    const t = utc('2026-11-27T12:00:00');
    const events = [
      digestEvent(t, '198.51.100.66'),
      digestEvent(t + 61_000, '198.51.100.66'),
      digestEvent(t + 62_000, '198.51.100.67'),
      digestEvent(t + 63_000, '203.0.113.5', { family: null }),
      // From a provider address (the Request-URI named no live alias): may have been a real call.
      digestEvent(t + 64_000, '192.0.2.10', { family: null, reasons: ['unknown-alias'] }),
      // Not ghost call attempts: in-dialog (To tag), or not an INVITE.
      digestEvent(t + 65_000, '198.51.100.68', { to: '<sip:100@192.0.2.30>;tag=abc', reasons: ['unknown-dialog'] }),
      digestEvent(t + 66_000, '198.51.100.69', { method: 'OPTIONS' }),
      // Dropped unread from a banned source.
      digestEvent(t + 67_000, '198.51.100.70', { method: null, to: null, family: null, reasons: ['banned'] }),
      // Older than 24 hours at digest time.
      digestEvent(utc('2026-11-26T22:00:00'), '198.51.100.71'),
    ];
    for (const e of events) store.events.record(e);
    let calls = 40;
    const { channel, settle } = setup({ digest: { at: { hour: 8, minute: 0 } } }, start, { events: store.events, callsReached: () => calls }, clock);
    calls = 45;
    clock.advance(3 * 60 * MIN - 1); // 07:59:59.999
    await settle();
    expect(channel.alerts).toHaveLength(0);
    clock.advance(1); // 08:00
    await settle();
    expect(channel.alerts).toHaveLength(1);
    const digest = channel.alerts[0]!;
    expect(digest.kind).toBe('digest');
    expect(digest.details).toMatchObject({
      since: '2026-11-26T23:00:00.000Z',
      until: '2026-11-27T23:00:00.000Z',
      ghostCalls: 5,
      scanners: 4,
      families: { sipvicious: 3, unknown: 2 },
      fromProvider: 1,
      fromBanned: 1,
      blocked: 8,
      // The counter has not covered a whole day yet.
      callsReached: null,
      partial: false,
    });
    expect(digest.title.en).toBe('Last 24 hours: blocked 5 ghost calls from 4 scanners');
    expect(digest.title.ja).toBe('過去24時間：4 件のスキャナーからのゴースト着信を 5 件ブロック');
    expect(digest.text.en).toContain("1 of them came from your provider's addresses");

    // The next day: the counter covers 24 hours now; no new events.
    calls = 52;
    clock.advance(24 * 60 * MIN);
    await settle();
    expect(channel.alerts).toHaveLength(2);
    const next = channel.alerts[1]!;
    expect(next.title.en).toBe('Last 24 hours: no ghost calls');
    expect(next.details).toMatchObject({ ghostCalls: 0, callsReached: 7 });
    expect(next.text.en).toContain('7 incoming calls from your provider were put through to your phone.');
    expect(next.text.ja).toContain('プロバイダーからの着信 7 件を電話機に取り次ぎました。');
  });

  it('says "none came from your provider" when every attempt came from strangers', async () => {
    const clock = new ManualClock(utc('2026-11-27T20:00:00'));
    store = openStore(':memory:', { clock: { now: () => clock.now() }, events: { flushIntervalMs: 0 } });
    store.events.record(digestEvent(utc('2026-11-27T12:00:00'), '198.51.100.66'));
    const { service } = setup({}, '2026-11-27T20:00:00', { events: store.events }, clock);
    const digest = service.digest();
    expect(digest.text.en).toContain('ghostguard blocked 1 ghost call from 1 scanner in the last 24 hours; your phone did not ring for any of them.');
    expect(digest.text.en).toContain('None of them came from your provider.');
    expect(digest.text.ja).toContain('プロバイダーから来たものはありませんでした。');
  });
});
