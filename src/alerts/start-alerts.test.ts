import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../config/config.js';
import { formatConfigError } from '../config/config-error.js';
import { parseConfig } from '../config/parse-config.js';
import { GuardStats } from '../proxy/guard-stats.js';
import { openStore } from '../store/open-store.js';
import { silentLogger, type Logger } from '../transport/logger.js';
import { ManualClock } from '../util/clock.js';
import { startAlerts, type AlertingGuard } from './start-alerts.js';
import { digestEvent } from './test-kit/digest-events.js';
import { fakeSources } from './test-kit/fake-sources.js';
import { startWebhookReceiver, type WebhookReceiver } from './test-kit/webhook-receiver.js';

let dir: string;
let hook: WebhookReceiver;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gg-start-alerts-'));
  hook = await startWebhookReceiver();
});
afterEach(async () => {
  await hook.close();
  rmSync(dir, { recursive: true, force: true });
});

function config(alerts: string, store = join(dir, 'guard.db')): Config {
  const text = `provider:\n  domain: voip.example.test\nlan:\n  listen: 10.77.0.1\nstore: "${store}"\nalerts:\n${alerts}`;
  const result = parseConfig(text, join(dir, 'ghostguard.yaml'), { fileExists: () => false });
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.config;
}

/** A guard whose counters are a real GuardStats; `relay.calls.inbound` counts every new request relayed from the provider, as CallRelay does. */
function fakeGuard(stats = new GuardStats()) {
  const sources = fakeSources();
  let inbound = 0;
  const relay = (method: string, from: 'wan' | 'lan', initial: boolean): void => {
    stats.relayed({ method, from, to: from === 'wan' ? 'lan' : 'wan', ms: 1, initial });
    if (from === 'wan') inbound++;
  };
  const guard: AlertingGuard = {
    onProviderHealth: sources.health.subscribe,
    bans: { subscribe: sources.bans.subscribe },
    stats: () => ({ ...stats.snapshot(), relay: { calls: { inbound } } }),
  };
  return { guard, sources, relay, inbound: (): number => inbound };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (msg: string): void => void lines.push(msg);
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe('startAlerts (the wiring of `ghostguard run`)', () => {
  it('sends a registration-lost alert from the guard to the configured webhook once it has lasted lost_after_s (default 60 s)', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28));
    const { guard, sources } = fakeGuard();
    const handle = startAlerts(config(`  webhooks: [{ url: "${hook.url}" }]\n`), guard, { env: {}, logger: silentLogger, clock });
    expect(handle).not.toBeNull();
    sources.health.emit({ kind: 'lost', aor: 'sip:alice@voip.example.test', at: clock.now(), detail: 'no answer for 32 s' });
    clock.advance(59_999);
    await Promise.all(handle!.service.queues.map((q) => q.idle()));
    expect(hook.received).toHaveLength(0);
    clock.advance(1);
    await Promise.all(handle!.service.queues.map((q) => q.idle()));
    const body = JSON.parse(hook.received[0]!.body) as { kind: string; title: { en: string; ja: string }; details: unknown };
    expect(body.kind).toBe('registration-lost');
    expect(body.title.ja).toContain('プロバイダーへの登録が切れました');
    expect(body.details).toEqual({ aor: 'sip:alice@voip.example.test', detail: 'no answer for 32 s' });
    await handle!.stop();
    expect(sources.health.size).toBe(0);
  });

  it('reads the digest from the guard\'s store file through a second connection', async () => {
    const file = join(dir, 'guard.db');
    const writer = openStore(file, { clock: { now: () => Date.now() }, events: { flushIntervalMs: 0 } });
    try {
      writer.events.record(digestEvent(Date.now() - 60_000, '198.51.100.66'));
      writer.events.flush();
      const { guard } = fakeGuard();
      const handle = startAlerts(config(`  webhooks: [{ url: "${hook.url}" }]\n`, file), guard, { env: {}, logger: silentLogger });
      expect(handle!.service.digest().details).toMatchObject({ ghostCalls: 1, scanners: 1 });
      await handle!.stop();
    } finally {
      writer.close();
    }
  });

  it('counts in the digest only new calls from the provider put through to a phone, not OPTIONS, REGISTER or in-call requests', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 7, 0, 0));
    const { guard, relay, inbound } = fakeGuard();
    const handle = startAlerts(config(`  timezone: UTC\n  webhooks: [{ url: "${hook.url}" }]\n  digest: { at: "08:00" }\n`), guard, { env: {}, logger: silentLogger, clock });
    const traffic = (): void => {
      for (let i = 0; i < 5; i++) relay('OPTIONS', 'wan', true); // the provider's keep-alives
      for (let i = 0; i < 4; i++) relay('REGISTER', 'lan', true); // the phone's registrations
      for (let i = 0; i < 3; i++) relay('INVITE', 'wan', true); // new calls from the provider
      relay('INVITE', 'wan', false); // a re-INVITE in a call
      relay('BYE', 'wan', false);
      relay('INVITE', 'lan', true); // a call the phone makes
    };
    traffic(); // before the first digest: not in the second one's count
    clock.advance(3_600_000); // 08:00: the counter has not covered a whole day yet
    traffic();
    traffic();
    clock.advance(86_400_000); // 08:00 the next day
    await Promise.all(handle!.service.queues.map((q) => q.idle()));
    const digests = hook.received.map((r) => JSON.parse(r.body) as { kind: string; text: { en: string; ja: string }; details: { callsReached: number | null } });
    expect(digests.map((d) => [d.kind, d.details.callsReached])).toEqual([['digest', null], ['digest', 6]]);
    // What the digest counted before (relay.calls.inbound: every request relayed from the provider) moved by 20 that day.
    expect(inbound()).toBe(30);
    expect(digests[1]!.text.en).toContain('6 incoming calls from your provider were put through to your phone.');
    expect(digests[1]!.text.ja).toContain('プロバイダーからの着信 6 件を電話機に取り次ぎました。');
    await handle!.stop();
  });

  it('starts nothing without channels, and logs why when the password variable is missing', () => {
    const { guard, sources } = fakeGuard();
    expect(startAlerts(config('  digest: { at: "08:00" }\n'), guard, { env: {}, logger: silentLogger })).toBeNull();
    expect(sources.health.size).toBe(0);
    const logger = recordingLogger();
    const smtp = `  email:\n    smtp: { host: smtp.example.test, user: u, password_env: NOPE, from: g@example.test }\n    to: a@example.test\n`;
    expect(startAlerts(config(smtp), guard, { env: {}, logger })).toBeNull();
    expect(logger.lines).toContain('alerts are off: alerts.email.smtp.password_env: the environment variable NOPE is not set');
  });
});
