import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../transport/logger.js';
import { ManualClock } from '../util/clock.js';
import { DeliveryQueue } from './delivery-queue.js';
import { sampleAlert } from './test-kit/sample-alert.js';
import { startWebhookReceiver, type WebhookReceiver } from './test-kit/webhook-receiver.js';
import { webhookSignature, WebhookChannel } from './webhook-channel.js';

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function start(): Promise<WebhookReceiver> {
  receiver = await startWebhookReceiver();
  return receiver;
}

/** Lets real I/O run until `done()` holds (bounded). */
async function until(done: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('webhook channel', () => {
  it('POSTs the alert as JSON { kind, at, title, text, details } in both languages', async () => {
    const r = await start();
    const alert = sampleAlert();
    const note = await new WebhookChannel({ url: r.url, secret: null, lang: 'both' }).deliver(alert);
    expect(note).toBe('answered 200');
    expect(r.received).toHaveLength(1);
    const hook = r.received[0]!;
    expect(hook.method).toBe('POST');
    expect(hook.path).toBe('/hooks/T0KEN');
    expect(hook.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(hook.headers['x-ghostguard-signature']).toBeUndefined();
    expect(JSON.parse(hook.body)).toEqual({
      kind: 'bans',
      at: '2026-11-28T01:00:00.000Z',
      title: alert.title,
      text: alert.text,
      details: alert.details,
    });
  });

  it('sends only the configured language', async () => {
    const r = await start();
    await new WebhookChannel({ url: r.url, secret: null, lang: 'ja' }).deliver(sampleAlert());
    const body = JSON.parse(r.received[0]!.body) as { title: Record<string, string> };
    expect(body.title).toEqual({ ja: '直近5分で 12 件のスキャナーを遮断しました' });
  });

  it('signs the body with HMAC-SHA256 over "<timestamp>.<body>" when a secret is set', async () => {
    const r = await start();
    const secret = 'a-long-shared-secret-123';
    await new WebhookChannel({ url: r.url, secret, lang: 'en' }).deliver(sampleAlert());
    const hook = r.received[0]!;
    const timestamp = hook.headers['x-ghostguard-timestamp'] as string;
    expect(timestamp).toBe(String(Date.UTC(2026, 10, 28, 1, 0, 0) / 1000));
    expect(hook.headers['x-ghostguard-signature']).toBe(`sha256=${webhookSignature(secret, timestamp, hook.body)}`);
    expect(hook.headers['x-ghostguard-signature']).not.toBe(`sha256=${webhookSignature('another-secret-of-length', timestamp, hook.body)}`);
  });

  it('reports a refusal with the status and the start of the answer', async () => {
    const r = await start();
    r.statuses.push(503);
    await expect(new WebhookChannel({ url: r.url, secret: null, lang: 'en' }).deliver(sampleAlert())).rejects.toThrow(
      'the server answered 503 Service Unavailable: refused with 503: try later',
    );
  });

  it('gives up on a receiver that never answers, after its timeout', async () => {
    const r = await start();
    r.hang = true;
    const started = Date.now();
    await expect(new WebhookChannel({ url: r.url, secret: null, lang: 'en', timeoutMs: 200 }).deliver(sampleAlert())).rejects.toThrow('no answer within 200 ms');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports an address nobody listens on', async () => {
    const r = await start();
    const url = r.url;
    await r.close();
    receiver = undefined;
    await expect(new WebhookChannel({ url, secret: null, lang: 'en' }).deliver(sampleAlert())).rejects.toThrow(/cannot reach 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });
});

describe('delivery queue', () => {
  it('retries with backoff on the clock until the receiver takes the alert', async () => {
    const r = await start();
    r.statuses.push(500, 502);
    const clock = new ManualClock();
    const queue = new DeliveryQueue(new WebhookChannel({ url: r.url, secret: null, lang: 'en' }), { clock, logger: silentLogger, retryDelaysMs: [1000, 5000] });
    queue.enqueue(sampleAlert());
    await until(() => r.received.length === 1 && clock.waiting === 1);
    clock.advance(999);
    expect(r.received).toHaveLength(1);
    clock.advance(1);
    await until(() => r.received.length === 2 && clock.waiting === 1);
    clock.advance(5000);
    await queue.idle();
    expect(r.received).toHaveLength(3);
    expect(queue.stats()).toMatchObject({ delivered: 1, failed: 0, waiting: 0, lastError: 'the server answered 502 Bad Gateway: refused with 502: try later' });
  });

  it('gives up after the last retry and goes on with the next alert', async () => {
    const r = await start();
    r.statuses.push(500, 500);
    const clock = new ManualClock();
    const queue = new DeliveryQueue(new WebhookChannel({ url: r.url, secret: null, lang: 'en' }), { clock, logger: silentLogger, retryDelaysMs: [1000] });
    queue.enqueue(sampleAlert('bans', 1, 1));
    queue.enqueue(sampleAlert('bans', 2, 2));
    await until(() => clock.waiting === 1);
    clock.advance(1000);
    await queue.idle();
    expect(queue.stats()).toMatchObject({ delivered: 1, failed: 1 });
    expect(r.received.map((h) => (JSON.parse(h.body) as { details: { banned: number } }).details.banned)).toEqual([1, 1, 2]);
  });

  it('close() aborts the attempt in flight at once', async () => {
    const r = await start();
    r.hang = true;
    const channel = new WebhookChannel({ url: r.url, secret: null, lang: 'en', timeoutMs: 10_000 });
    const queue = new DeliveryQueue(channel, { clock: new ManualClock(), logger: silentLogger });
    queue.enqueue(sampleAlert());
    await until(() => r.received.length === 1);
    const started = Date.now();
    queue.close();
    await queue.idle();
    expect(Date.now() - started).toBeLessThan(500);
    expect(queue.stats()).toMatchObject({ delivered: 0, waiting: 0 });
    // The abort also rejects a direct attempt.
    const controller = new AbortController();
    const sent = channel.deliver(sampleAlert(), controller.signal);
    controller.abort();
    await expect(sent).rejects.toThrow(/abort/i);
  });

  it('is bounded: when full, the oldest waiting alert is dropped', async () => {
    const r = await start();
    r.hang = true;
    const queue = new DeliveryQueue(new WebhookChannel({ url: r.url, secret: null, lang: 'en', timeoutMs: 300 }), {
      clock: new ManualClock(),
      logger: silentLogger,
      retryDelaysMs: [],
      capacity: 2,
    });
    for (let i = 1; i <= 5; i++) queue.enqueue(sampleAlert('bans', i, i));
    // #1 is in flight; #2 and #3 were pushed out by #4 and #5.
    expect(queue.stats()).toMatchObject({ dropped: 2, waiting: 2 });
    await until(() => r.received.length === 1);
    r.hang = false;
    await queue.idle();
    expect(queue.stats()).toMatchObject({ delivered: 2, failed: 1, dropped: 2 });
    expect(r.received.map((h) => (JSON.parse(h.body) as { details: { banned: number } }).details.banned)).toEqual([1, 4, 5]);
  });
});
