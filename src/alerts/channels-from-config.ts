/**
 * The channels of an `alerts:` section: one per webhook, one for email. The SMTP password, when it is
 * given as `password_env`, is looked up in the environment the CLI passes in (only `cli/` reads
 * `process.env`); a missing variable is a clear error, not an empty password.
 */
import type { AlertsConfig } from '../config/alerts-config.js';
import type { AlertChannel } from './alert-channel.js';
import { EmailChannel } from './email-channel.js';
import type { SmtpOptions } from './smtp/smtp-client.js';
import { WebhookChannel } from './webhook-channel.js';

export interface ChannelOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Per-step network timeout (tests); defaults: webhook 10 s, SMTP 30 s. */
  readonly timeoutMs?: number;
  /** Extra trust for TLS (a test CA). */
  readonly ca?: string | Buffer;
}

export type ChannelsResult = { readonly ok: true; readonly channels: AlertChannel[] } | { readonly ok: false; readonly error: string };

export function channelsFromConfig(alerts: AlertsConfig, options: ChannelOptions): ChannelsResult {
  const channels: AlertChannel[] = alerts.webhooks.map(
    (w) =>
      new WebhookChannel({
        url: w.url,
        secret: w.secret,
        lang: w.lang,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.ca ? { ca: options.ca } : {}),
      }),
  );
  const email = alerts.email;
  if (email !== null) {
    const { smtp } = email;
    let password: string | null = null;
    if (smtp.password?.kind === 'literal') password = smtp.password.value;
    if (smtp.password?.kind === 'env') {
      const value = options.env[smtp.password.name];
      if (value === undefined || value === '') {
        return { ok: false, error: `alerts.email.smtp.password_env: the environment variable ${smtp.password.name} is not set` };
      }
      password = value;
    }
    const smtpOptions: SmtpOptions = {
      host: smtp.host,
      port: smtp.port,
      starttls: smtp.starttls && !smtp.implicitTls,
      implicitTls: smtp.implicitTls,
      user: smtp.user,
      password,
      allowPlainAuth: smtp.loopback,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.ca ? { tls: { ca: options.ca } } : {}),
    };
    channels.push(new EmailChannel({ smtp: smtpOptions, from: smtp.from, to: email.to, lang: email.lang }));
  }
  return { ok: true, channels };
}
