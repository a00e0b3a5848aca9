/**
 * Webhook channel: the alert as JSON in one HTTP(S) POST,
 * `{ kind, at, title: {en, ja}, text: {en, ja}, details }` (only the configured languages), with a
 * timeout on the whole exchange. With a secret, the body is signed (HMAC-SHA256 over
 * "<timestamp>.<body>", headers X-Ghostguard-Timestamp and X-Ghostguard-Signature: sha256=<hex>) so the
 * receiver can check it came from this guard and is fresh. Any 2xx is success; redirects are not
 * followed.
 */
import { formatDuration } from './format-duration.js';
import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { languages, type Alert, type AlertLang } from './alert.js';
import type { AlertChannel } from './alert-channel.js';
import { redactUrl } from '../config/describe-alerts.js';

export interface WebhookOptions {
  readonly url: string;
  readonly secret: string | null;
  readonly lang: AlertLang;
  /** The whole request, connect to response, ms. Default 10 s. */
  readonly timeoutMs?: number;
  /** Extra TLS trust (a test CA). */
  readonly ca?: string | Buffer;
}

const DEFAULT_TIMEOUT = 10_000;
/** Bytes of the response kept for an error message. */
const RESPONSE_EXCERPT = 200;

export function webhookBody(alert: Alert, lang: AlertLang): string {
  const pick = (b: { en: string; ja: string }): Record<string, string> =>
    Object.fromEntries(languages(lang).map((l) => [l, b[l]]));
  return JSON.stringify({
    kind: alert.kind,
    at: new Date(alert.at).toISOString(),
    title: pick(alert.title),
    text: pick(alert.text),
    details: alert.details,
  });
}

/** The signature a receiver recomputes: hex HMAC-SHA256 of `${timestamp}.${body}`. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export class WebhookChannel implements AlertChannel {
  readonly name: string;
  readonly #options: WebhookOptions;

  constructor(options: WebhookOptions) {
    this.#options = options;
    this.name = `webhook ${redactUrl(options.url)}`;
  }

  deliver(alert: Alert, signal?: AbortSignal): Promise<string> {
    const { url, secret, lang } = this.#options;
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT;
    const body = webhookBody(alert, lang);
    const target = new URL(url);
    const headers: Record<string, string | number> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'user-agent': 'ghostguard-alerts',
    };
    if (secret !== null) {
      const timestamp = String(Math.floor(alert.at / 1000));
      headers['x-ghostguard-timestamp'] = timestamp;
      headers['x-ghostguard-signature'] = `sha256=${webhookSignature(secret, timestamp, body)}`;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const finish = (err: Error | null, note = ''): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(note);
      };
      const extra = { ...(this.#options.ca ? { ca: this.#options.ca } : {}), ...(signal ? { signal } : {}) };
      const req = send(target, { method: 'POST', headers, ...extra }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < RESPONSE_EXCERPT) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', (err) => finish(new Error(`the response broke off: ${err.message}`)));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return finish(null, `answered ${status}`);
          const excerpt = Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_EXCERPT).replace(/\s+/g, ' ').replace(/[\x00-\x1f\x7f]/g, '?').trim();
          finish(new Error(`the server answered ${status} ${res.statusMessage ?? ''}${excerpt ? `: ${excerpt}` : ''}`.trim()));
        });
      });
      const timer = setTimeout(() => {
        finish(new Error(`no answer within ${formatDuration(timeoutMs)}`));
        req.destroy();
      }, timeoutMs);
      req.on('error', (err) => finish(new Error(`cannot reach ${target.host}: ${err.message}`)));
      req.end(body);
    });
  }
}
