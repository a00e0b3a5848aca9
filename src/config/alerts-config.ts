/**
 * The `alerts:` section (all optional): where alerts go (webhooks, email over SMTP), in which language,
 * the daily digest time, quiet hours, the batching of ban alerts, and how long a registration must stay
 * lost before it is alerted (`lost_after_s`, so a flapping registration does not flood the user); read
 * with located errors like the rest of the config, and described for `ghostguard check-config`.
 *
 * A password may be given as `password_env` (the name of an environment variable): only the CLI reads
 * the environment, so the config keeps the name and the CLI resolves it at start.
 */
import { isMap } from 'yaml';
import type { ConfigReader, Entry } from './config-reader.js';
import { parseHostPort } from './host-port.js';
import { isLoopbackIp, parseIp } from './ip-address.js';
import { isTimeZone, parseTimeOfDay, type TimeOfDay } from './time-of-day.js';

export type { TimeOfDay };

/** English, Japanese, or both. */
export type AlertLang = 'en' | 'ja' | 'both';
/** The alerts that quiet hours may let through (`quiet_hours.urgent`). */
export type AlertTopic = 'registration-lost' | 'registration-restored' | 'bans' | 'digest';
export const ALERT_TOPICS: readonly AlertTopic[] = ['registration-lost', 'registration-restored', 'bans', 'digest'];

export interface WebhookConfig {
  readonly url: string;
  /** HMAC-SHA256 key for the X-Ghostguard-Signature header; null: unsigned. */
  readonly secret: string | null;
  readonly lang: AlertLang;
}

export type SecretSource = { readonly kind: 'literal'; readonly value: string } | { readonly kind: 'env'; readonly name: string };

export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  /** STARTTLS required (ignored with implicit TLS). */
  readonly starttls: boolean;
  /** TLS from the first byte: port 465. */
  readonly implicitTls: boolean;
  readonly user: string | null;
  readonly password: SecretSource | null;
  readonly from: string;
  /** The host is this machine: a password may go without TLS. */
  readonly loopback: boolean;
}

export interface EmailConfig {
  readonly smtp: SmtpConfig;
  readonly to: readonly string[];
  readonly lang: AlertLang;
}

export interface AlertsConfig {
  readonly webhooks: readonly WebhookConfig[];
  readonly email: EmailConfig | null;
  /** IANA zone for the digest and quiet hours; null: this machine's zone. */
  readonly timezone: string | null;
  /** Null: no digest (`digest.at: off`). */
  readonly digest: { readonly at: TimeOfDay } | null;
  readonly quietHours: { readonly from: TimeOfDay; readonly to: TimeOfDay; readonly urgent: readonly AlertTopic[] } | null;
  /** Null: no ban alerts (`bans.batch_s: off`). */
  readonly bans: { readonly batchSeconds: number } | null;
  /** A registration must stay lost this long before the lost alert (`lost_after_s`); 0: at once. */
  readonly lostAfterSeconds: number;
}

export const ALERTS_DEFAULTS = Object.freeze({
  lang: 'both' as AlertLang,
  'smtp.port': 587,
  'smtp.starttls': true,
  'digest.at': '08:00',
  'quiet_hours.urgent': Object.freeze(['registration-lost'] as AlertTopic[]),
  'bans.batch_s': 300,
  lost_after_s: 60,
});

/** The longest hold before a lost registration is alerted (an hour: a registration refresh interval). */
export const MAX_LOST_AFTER_S = 3600;

export const ALERTS_CONFIG_KEYS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['alerts', ['webhooks', 'email', 'timezone', 'digest', 'quiet_hours', 'bans', 'lost_after_s']],
  ['alerts.webhooks[]', ['url', 'secret', 'lang']],
  ['alerts.email', ['smtp', 'to', 'lang']],
  ['alerts.email.smtp', ['host', 'port', 'starttls', 'user', 'password', 'password_env', 'from']],
  ['alerts.digest', ['at', 'timezone']],
  ['alerts.quiet_hours', ['from', 'to', 'urgent']],
  ['alerts.bans', ['batch_s']],
];

const MIN_SECRET = 16;
const MAX_WEBHOOKS = 10;
const MAX_RECIPIENTS = 20;

type Section = Map<string, Entry>;

/** A bare mail address, ASCII (RFC 5321 §4.1.2 Mailbox without quoting), e.g. guard@example.test. */
export function isMailAddress(text: string): boolean {
  return /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(text) && !text.includes('..');
}

export function readAlerts(r: ConfigReader, entry: Entry): AlertsConfig {
  const keys = r.section(entry) ?? new Map<string, Entry>();
  const child = (key: string): Entry => r.child(keys, entry, key);
  const sub = (key: string): { entry: Entry; keys: Section } => {
    const e = child(key);
    return { entry: e, keys: r.section(e) ?? new Map<string, Entry>() };
  };
  const digest = sub('digest');
  // One zone for the digest and quiet hours: alerts.timezone, or digest.timezone (as the issue spells it).
  const zoneEntries = [child('timezone'), r.child(digest.keys, digest.entry, 'timezone')];
  const zones = zoneEntries.map((e) => readZone(r, e));
  if (zones[0] && zones[1] && zones[0] !== zones[1]) {
    r.error(zoneEntries[1]!.path, zoneEntries[1]!.node, `the digest and quiet hours share one time zone: ${zones[1]} differs from alerts.timezone ${zones[0]}`);
  }
  const timezone = zones[0] ?? zones[1] ?? null;
  const digestAtEntry = r.child(digest.keys, digest.entry, 'at');
  const digestText = r.text(digestAtEntry) ?? ALERTS_DEFAULTS['digest.at'];
  const digestAt = digestText.trim().toLowerCase() === 'off' ? null : readTime(r, digestAtEntry, digestText);

  const quiet = sub('quiet_hours');
  let quietHours: AlertsConfig['quietHours'] = null;
  if (quiet.entry.node !== null) {
    const time = (key: string): TimeOfDay | null => {
      const e = r.child(quiet.keys, quiet.entry, key);
      const text = r.text(e);
      if (text === undefined) {
        if (e.node === null) r.missing(e, `quiet hours need both from and to, e.g. from: "23:00", to: "07:00"`);
        return null;
      }
      return readTime(r, e, text);
    };
    const from = time('from');
    const to = time('to');
    const urgentEntry = r.child(quiet.keys, quiet.entry, 'urgent');
    const urgentItems = r.list(urgentEntry);
    const urgent = urgentItems === undefined ? [...ALERTS_DEFAULTS['quiet_hours.urgent']] : urgentItems.flatMap((i) => r.choice(i, ALERT_TOPICS) ?? []);
    if (from !== null && to !== null && from.hour === to.hour && from.minute === to.minute) {
      r.error(quiet.entry.path, quiet.entry.node, 'from and to are the same time: quiet hours would be empty');
    } else if (from !== null && to !== null) {
      quietHours = { from, to, urgent };
    }
  }

  const bans = sub('bans');
  const batchEntry = r.child(bans.keys, bans.entry, 'batch_s');
  const batchValue = (batchEntry.node as { value?: unknown } | null)?.value;
  const banOff = typeof batchValue === 'string' && batchValue.trim().toLowerCase() === 'off';
  const batchSeconds = banOff ? null : (r.int(batchEntry, 10, 86_400) ?? ALERTS_DEFAULTS['bans.batch_s']);
  const lostAfterSeconds = r.int(child('lost_after_s'), 0, MAX_LOST_AFTER_S) ?? ALERTS_DEFAULTS.lost_after_s;

  return {
    webhooks: readWebhooks(r, child('webhooks')),
    email: readEmail(r, sub('email')),
    timezone,
    digest: digestAt === null ? null : { at: digestAt },
    quietHours,
    bans: batchSeconds === null ? null : { batchSeconds },
    lostAfterSeconds,
  };
}

function readZone(r: ConfigReader, entry: Entry): string | null {
  const zone = r.text(entry)?.trim() ?? null;
  if (zone !== null && !isTimeZone(zone)) {
    r.error(entry.path, entry.node, `unknown time zone "${zone}" (use an IANA name such as Asia/Tokyo or Europe/Berlin)`);
    return null;
  }
  return zone;
}

function readTime(r: ConfigReader, entry: Entry, text: string): TimeOfDay | null {
  const t = parseTimeOfDay(text);
  if (typeof t === 'string') {
    r.error(entry.path, entry.node ?? entry.near, t);
    return null;
  }
  return t;
}

function readLang(r: ConfigReader, entry: Entry): AlertLang {
  return r.choice<AlertLang>(entry, ['en', 'ja', 'both']) ?? ALERTS_DEFAULTS.lang;
}

function readWebhooks(r: ConfigReader, entry: Entry): WebhookConfig[] {
  const items = r.list(entry) ?? [];
  if (items.length > MAX_WEBHOOKS) r.error(entry.path, entry.node, `at most ${MAX_WEBHOOKS} webhooks`);
  const out: WebhookConfig[] = [];
  for (const item of items.slice(0, MAX_WEBHOOKS)) {
    if (item.node === null || !isMap(item.node)) {
      r.error(item.path, item.node ?? item.near, 'expected a mapping with url (and optionally secret, lang), e.g. - url: https://hooks.example/ghostguard');
      continue;
    }
    // The keys of every list item are checked against one list ("alerts.webhooks[]"); paths keep the index.
    const raw = r.section({ ...item, path: 'alerts.webhooks[]' }) ?? new Map<string, Entry>();
    const keys = new Map([...raw].map(([k, e]) => [k, { ...e, path: `${item.path}.${k}` }]));
    const urlEntry = r.child(keys, item, 'url');
    const url = r.text(urlEntry)?.trim();
    let valid: string | null = null;
    if (url === undefined) {
      if (urlEntry.node === null) r.missing(urlEntry, 'the webhook needs a url');
    } else {
      let parsed: URL | null = null;
      try {
        parsed = new URL(url);
      } catch {
        r.error(urlEntry.path, urlEntry.node, `"${url.slice(0, 60)}" is not a URL`);
      }
      if (parsed !== null && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        r.error(urlEntry.path, urlEntry.node, `only http:// and https:// URLs can receive webhooks; found ${parsed.protocol}`);
      } else if (parsed !== null) {
        valid = parsed.href;
      }
    }
    const secretEntry = r.child(keys, item, 'secret');
    let secret = r.text(secretEntry) ?? null;
    if (secret !== null && secret.length < MIN_SECRET) {
      r.error(secretEntry.path, secretEntry.node, `the secret is too short (${secret.length} characters; at least ${MIN_SECRET})`);
      secret = null;
    }
    const lang = readLang(r, r.child(keys, item, 'lang'));
    if (valid !== null) out.push({ url: valid, secret, lang });
  }
  return out;
}

function readEmail(r: ConfigReader, { entry, keys }: { entry: Entry; keys: Section }): EmailConfig | null {
  if (entry.node === null) return null;
  const smtpEntry = r.child(keys, entry, 'smtp');
  const smtpKeys = r.section(smtpEntry) ?? new Map<string, Entry>();
  const s = (key: string): Entry => r.child(smtpKeys, smtpEntry, key);
  const required = (e: Entry, what: string): string | null => {
    const text = r.text(e)?.trim();
    if (text === undefined && e.node === null) r.missing(e, `required: ${what}`);
    return text ?? null;
  };
  const hostText = required(s('host'), 'the SMTP server, e.g. smtp.example.test');
  let host: string | null = null;
  let loopback = false;
  if (hostText !== null) {
    const parsed = parseHostPort(hostText);
    if (typeof parsed === 'string') r.error(s('host').path, s('host').node, parsed);
    else if (parsed.port !== null) r.error(s('host').path, s('host').node, 'write the port in alerts.email.smtp.port');
    else {
      host = parsed.host;
      const ip = parseIp(parsed.host);
      loopback = parsed.host === 'localhost' || (ip !== null && isLoopbackIp(ip));
    }
  }
  const port = r.int(s('port'), 1, 65535) ?? ALERTS_DEFAULTS['smtp.port'];
  const starttlsNode = s('starttls').node as { value?: unknown } | null;
  let starttls: boolean = ALERTS_DEFAULTS['smtp.starttls'];
  if (starttlsNode !== null) {
    if (typeof starttlsNode.value === 'boolean') starttls = starttlsNode.value;
    else r.error(s('starttls').path, s('starttls').node, 'expected true or false');
  }
  const implicitTls = port === 465;
  const user = r.text(s('user')) ?? null;
  const literal = r.text(s('password'));
  const envName = r.text(s('password_env'))?.trim();
  let password: SecretSource | null = null;
  if (literal !== undefined && envName !== undefined) r.error(s('password_env').path, s('password_env').node, 'give password or password_env, not both');
  else if (literal !== undefined) password = { kind: 'literal', value: literal };
  else if (envName !== undefined) {
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) password = { kind: 'env', name: envName };
    else r.error(s('password_env').path, s('password_env').node, `"${envName.slice(0, 40)}" is not an environment variable name`);
  }
  if (user !== null && password === null && s('password').node === null && s('password_env').node === null) {
    r.missing(s('password'), 'a user needs a password (or password_env: the name of an environment variable holding it)');
  }
  if (user === null && password !== null) r.error(s('user').path, s('user').near, 'a password needs a user');
  if (user !== null && !starttls && !implicitTls && !loopback) {
    r.error(s('starttls').path, s('starttls').node ?? smtpEntry.near, 'the password would travel unencrypted: use starttls: true (or port 465)');
  }
  const fromText = required(s('from'), 'the sender address, e.g. from: ghostguard@example.test');
  if (fromText !== null && !isMailAddress(fromText)) r.error(s('from').path, s('from').node, `"${fromText.slice(0, 60)}" is not a mail address`);
  const toEntry = r.child(keys, entry, 'to');
  const toItems = r.list(toEntry);
  if (toItems === undefined && toEntry.node === null) r.missing(toEntry, 'required: who gets the mail, e.g. to: [you@example.test]');
  const to: string[] = [];
  for (const item of (toItems ?? []).slice(0, MAX_RECIPIENTS)) {
    const text = r.text(item)?.trim();
    if (text === undefined) continue;
    if (isMailAddress(text)) to.push(text);
    else r.error(item.path, item.node, `"${text.slice(0, 60)}" is not a mail address`);
  }
  if ((toItems?.length ?? 0) > MAX_RECIPIENTS) r.error(toEntry.path, toEntry.node, `at most ${MAX_RECIPIENTS} recipients`);
  const lang = readLang(r, r.child(keys, entry, 'lang'));
  if (host === null || fromText === null || !isMailAddress(fromText) || to.length === 0) return null;
  return { smtp: { host, port, starttls, implicitTls, user, password, from: fromText, loopback }, to, lang };
}
