import { afterEach, describe, expect, it } from 'vitest';
import type { AlertsConfig } from '../config/alerts-config.js';
import type { ProviderHealthChange } from '../proxy/provider-health-types.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { silentLogger } from '../transport/logger.js';
import { ManualClock } from '../util/clock.js';
import { AlertsService } from './alerts-service.js';
import { RegistrationDebounce } from './registration-debounce.js';
import { fakeSources, RecordingChannel } from './test-kit/fake-sources.js';

const S = 1000;
const ALICE = 'sip:alice@voip.example.test';
const BOB = 'sip:bob@voip.example.test';
const CONFIG: AlertsConfig = { webhooks: [], email: null, timezone: 'Asia/Tokyo', digest: null, quietHours: null, bans: null, lostAfterSeconds: 60 };

let store: Store | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

function setup(config: Partial<AlertsConfig> = {}, withStore = false) {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 3, 0, 0));
  const channel = new RecordingChannel();
  const sources = fakeSources();
  const service = new AlertsService({ config: { ...CONFIG, ...config }, channels: [channel], timeZone: 'Asia/Tokyo', clock, logger: silentLogger });
  if (withStore) store = openStore(':memory:', { clock: { now: () => clock.now() }, events: { flushIntervalMs: 0 } });
  service.start({ onProviderHealth: sources.health.subscribe, ...(store ? { events: store.events } : {}) });
  const change = (kind: ProviderHealthChange['kind'], aor = ALICE): void =>
    sources.health.emit({ kind, aor, at: clock.now(), detail: kind === 'lost' ? 'no answer from the provider for 32 s' : 'the provider accepted the registration again (200 OK)' });
  const sent = async (): Promise<string[]> => {
    await Promise.all(service.queues.map((q) => q.idle()));
    return channel.alerts.map((a) => `${a.kind} ${String(a.details['aor'])}`);
  };
  return { clock, channel, service, change, sent };
}

describe('registration alerts, debounced (alerts.lost_after_s: 60)', () => {
  it('sends nothing for a registration that flaps lost→restored within the hold time, and counts each flap for the digest', async () => {
    const { clock, service, change, sent } = setup({}, true);
    for (let i = 0; i < 10; i++) {
      change('lost');
      clock.advance(59 * S);
      change('restored');
      clock.advance(S);
    }
    clock.advance(3600 * S);
    expect(await sent()).toEqual([]);
    const digest = service.digest();
    expect(digest.details['shortOutages']).toBe(10);
    expect(digest.text.en).toContain('10 short outages of your provider registration: each came back within 60 s, so no alert was sent. If this keeps happening, check your provider and your router (NAT).');
    expect(digest.text.ja).toContain('プロバイダーへの登録が 10 回短時間切れましたが、いずれも 60 秒以内に回復したため、お知らせは送っていません。');
    // The count starts again after each digest.
    change('lost');
    clock.advance(30 * S);
    change('restored');
    const next = service.digest();
    expect(next.details['shortOutages']).toBe(1);
    expect(next.text.en).toContain('1 short outage of your provider registration: it came back within 60 s, so no alert was sent.');
    expect(next.text.ja).toContain('プロバイダーへの登録が 1 回短時間切れましたが、60 秒以内に回復したため、お知らせは送っていません。');
    expect(service.digest().text.en).not.toContain('short outage');
  });

  it('sends one lost alert once the registration has stayed lost for the hold time, then one restored alert', async () => {
    const { clock, channel, change, sent } = setup();
    const lostAt = clock.now();
    change('lost');
    clock.advance(60 * S - 1);
    expect(await sent()).toEqual([]);
    clock.advance(1);
    expect(await sent()).toEqual([`registration-lost ${ALICE}`]);
    // When it happened, not when the hold ran out.
    expect(channel.alerts[0]!.at).toBe(lostAt);
    expect(channel.alerts[0]!.text.en).toContain('no answer from the provider for 32 s');
    clock.advance(3600 * S);
    change('lost'); // the guard repeats itself: still one alert
    clock.advance(120 * S);
    expect(await sent()).toEqual([`registration-lost ${ALICE}`]);
    change('restored');
    change('restored');
    expect(await sent()).toEqual([`registration-lost ${ALICE}`, `registration-restored ${ALICE}`]);
  });

  it('keeps each account apart: one flapping, one lost for good', async () => {
    const { clock, change, sent } = setup();
    change('lost', ALICE);
    clock.advance(20 * S);
    change('lost', BOB);
    clock.advance(30 * S);
    change('restored', ALICE); // 50 s: short
    clock.advance(20 * S); // Bob: 50 s
    expect(await sent()).toEqual([]);
    change('lost', ALICE);
    clock.advance(10 * S); // Bob: 60 s
    expect(await sent()).toEqual([`registration-lost ${BOB}`]);
    clock.advance(50 * S); // Alice: 60 s
    expect(await sent()).toEqual([`registration-lost ${BOB}`, `registration-lost ${ALICE}`]);
    change('restored', BOB);
    expect(await sent()).toEqual([`registration-lost ${BOB}`, `registration-lost ${ALICE}`, `registration-restored ${BOB}`]);
  });

  it('sends no restored alert when no lost alert was sent for that account', async () => {
    const { change, sent } = setup();
    change('restored');
    expect(await sent()).toEqual([]);
  });

  it('stop() cancels the pending timers without sending', async () => {
    const { clock, service, change, sent } = setup();
    change('lost', ALICE);
    change('lost', BOB);
    expect(clock.waiting).toBe(2);
    await service.stop();
    expect(clock.waiting).toBe(0);
    clock.advance(3600 * S);
    expect(await sent()).toEqual([]);
  });

  it('with lost_after_s: 0 alerts at once, as before', async () => {
    const { clock, change, sent } = setup({ lostAfterSeconds: 0 });
    change('lost');
    expect(clock.waiting).toBe(0);
    expect(await sent()).toEqual([`registration-lost ${ALICE}`]);
    change('restored');
    expect(await sent()).toEqual([`registration-lost ${ALICE}`, `registration-restored ${ALICE}`]);
  });
});

describe('RegistrationDebounce bounds', () => {
  it('tracks at most maxAccounts accounts: the oldest is forgotten, and a pending loss is alerted rather than dropped', () => {
    const clock = new ManualClock();
    const alerted: string[] = [];
    const debounce = new RegistrationDebounce({ clock, holdMs: 60 * S, maxAccounts: 2, alert: (c) => alerted.push(`${c.kind} ${c.aor}`) });
    const lost = (aor: string): void => debounce.onChange({ kind: 'lost', aor, at: clock.now(), detail: 'expired' });
    lost('sip:a@x.test');
    lost('sip:b@x.test');
    expect(alerted).toEqual([]);
    lost('sip:c@x.test');
    expect(alerted).toEqual(['lost sip:a@x.test']);
    expect(debounce.pending).toBe(2);
    clock.advance(60 * S);
    expect(alerted).toEqual(['lost sip:a@x.test', 'lost sip:b@x.test', 'lost sip:c@x.test']);
    expect(clock.waiting).toBe(0);
  });
});
