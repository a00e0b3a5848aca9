import { describe, expect, it } from 'vitest';
import type { Config } from './config.js';
import { formatConfigError, type ConfigError } from './config-error.js';
import { describeConfig } from './describe-config.js';
import { parseConfig, type ParseConfigOptions } from './parse-config.js';

const noFiles: ParseConfigOptions = { baseDir: '/etc/ghostguard', fileExists: () => false };
const BASE = `provider:
  domain: voip.example.test
lan:
  listen: 10.77.0.1
`;

function ok(alerts: string): Config {
  const result = parseConfig(`${BASE}alerts:\n${alerts}`, 'ghostguard.yaml', noFiles);
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.config;
}

function errors(alerts: string): readonly ConfigError[] {
  const result = parseConfig(`${BASE}alerts:\n${alerts}`, 'ghostguard.yaml', noFiles);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

const FULL = `  timezone: Asia/Tokyo
  webhooks:
    - url: https://hooks.example.test/ghostguard/T0KEN
      secret: a-long-shared-secret-123
      lang: ja
    - url: http://127.0.0.1:9000/alerts
  email:
    smtp:
      host: smtp.example.test
      user: guard
      password_env: GG_SMTP_PASSWORD
      from: ghostguard@example.test
    to: [alice@example.test, bob@example.test]
    lang: en
  digest:
    at: "07:30"
  quiet_hours:
    from: "23:00"
    to: "07:00"
    urgent: [registration-lost, bans]
  bans:
    batch_s: 120
  lost_after_s: 90
`;

describe('alerts: config section', () => {
  it('is optional: no channels, digest at 08:00, bans batched per 5 minutes, no quiet hours, registration lost alerted after 60 s', () => {
    const result = parseConfig(BASE, 'ghostguard.yaml', noFiles);
    if (!result.ok) throw new Error('expected a valid config');
    expect(result.config.alerts).toEqual({
      webhooks: [],
      email: null,
      timezone: null,
      digest: { at: { hour: 8, minute: 0 } },
      quietHours: null,
      bans: { batchSeconds: 300 },
      lostAfterSeconds: 60,
    });
    expect(describeConfig(result.config).join('\n')).toMatch(/Alerts: none \(add alerts\.webhooks or alerts\.email/);
  });

  it('reads every key', () => {
    const { alerts } = ok(FULL);
    expect(alerts.webhooks).toEqual([
      { url: 'https://hooks.example.test/ghostguard/T0KEN', secret: 'a-long-shared-secret-123', lang: 'ja' },
      { url: 'http://127.0.0.1:9000/alerts', secret: null, lang: 'both' },
    ]);
    expect(alerts.email).toEqual({
      smtp: {
        host: 'smtp.example.test',
        port: 587,
        starttls: true,
        implicitTls: false,
        user: 'guard',
        password: { kind: 'env', name: 'GG_SMTP_PASSWORD' },
        from: 'ghostguard@example.test',
        loopback: false,
      },
      to: ['alice@example.test', 'bob@example.test'],
      lang: 'en',
    });
    expect(alerts.timezone).toBe('Asia/Tokyo');
    expect(alerts.digest).toEqual({ at: { hour: 7, minute: 30 } });
    expect(alerts.quietHours).toEqual({ from: { hour: 23, minute: 0 }, to: { hour: 7, minute: 0 }, urgent: ['registration-lost', 'bans'] });
    expect(alerts.bans).toEqual({ batchSeconds: 120 });
    expect(alerts.lostAfterSeconds).toBe(90);
  });

  it('describes what will be alerted and where, without the secret parts of a hook URL', () => {
    const text = describeConfig(ok(FULL)).join('\n');
    expect(text).toContain('webhook https://hooks.example.test/… (signed, Japanese)');
    expect(text).not.toContain('T0KEN');
    expect(text).toContain('email to alice@example.test, bob@example.test from ghostguard@example.test via smtp.example.test:587 (STARTTLS, login as guard (password from $GG_SMTP_PASSWORD); English)');
    expect(text).toContain('new bans, batched into one alert per 2 minutes');
    expect(text).toContain('provider registration lost ("you may be missing real calls") once it has stayed lost for 90 s, then restored (shorter outages are only counted in the digest)');
    expect(text).toContain('a daily digest at 07:30 (Asia/Tokyo)');
    expect(text).toContain('Quiet hours: 23:00–07:00 (Asia/Tokyo): other alerts are held and sent as one summary at 07:00; sent at once even then: registration-lost, bans');
  });

  it('turns the digest and ban alerts off with "off"; port 465 means TLS from the first byte', () => {
    const { alerts } = ok(`  digest: { at: off }\n  bans: { batch_s: off }\n  email:\n    smtp: { host: smtp.example.test, port: 465, user: u, password: pw, from: g@example.test }\n    to: a@example.test\n`);
    expect(alerts.digest).toBeNull();
    expect(alerts.bans).toBeNull();
    expect(alerts.email?.smtp).toMatchObject({ port: 465, implicitTls: true, password: { kind: 'literal', value: 'pw' } });
  });

  it('reports each mistake at its line with its path', () => {
    const list = errors(`  timezone: Mars/Olympus
  webhooks:
    - url: ftp://example.test/x
      secret: short
      langg: en
    - just-a-string
  digest: { at: "25:00" }
  quiet_hours: { from: "23:00" }
  bans: { batch_s: 5 }
  email:
    smtp: { host: "smtp.example.test:25", user: u, password: p, password_env: P, from: not-an-address }
    to: [ok@example.test, "bad address"]
`);
    const byPath = new Map(list.map((e) => [e.path, e]));
    const timezone = byPath.get('alerts.timezone');
    expect(timezone?.message).toMatch(/unknown time zone "Mars\/Olympus"/);
    expect(timezone?.line).toBe(6);
    expect(byPath.get('alerts.webhooks[0].url')?.message).toMatch(/only http:\/\/ and https:\/\//);
    expect(byPath.get('alerts.webhooks[0].url')?.line).toBe(8);
    expect(byPath.get('alerts.webhooks[0].secret')?.message).toMatch(/too short/);
    expect(list.find((e) => e.message.includes('unknown key "langg"'))?.line).toBe(10);
    expect(byPath.get('alerts.webhooks[1]')?.message).toMatch(/expected a mapping with url/);
    expect(byPath.get('alerts.digest.at')?.message).toMatch(/not a time of day/);
    expect(byPath.get('alerts.quiet_hours.to')?.message).toMatch(/need both from and to/);
    expect(byPath.get('alerts.bans.batch_s')?.message).toMatch(/out of range \(10\.\.86400\)/);
    expect(byPath.get('alerts.email.smtp.host')?.message).toMatch(/port in alerts\.email\.smtp\.port/);
    expect(byPath.get('alerts.email.smtp.password_env')?.message).toMatch(/not both/);
    expect(byPath.get('alerts.email.smtp.from')?.message).toMatch(/not a mail address/);
    expect(byPath.get('alerts.email.to[1]')?.message).toMatch(/"bad address" is not a mail address/);
  });

  it('refuses a password that would travel unencrypted, except to this machine', () => {
    const smtp = (host: string): string => `  email:\n    smtp: { host: "${host}", starttls: false, user: u, password: p, from: g@example.test }\n    to: a@example.test\n`;
    expect(errors(smtp('smtp.example.test')).map((e) => e.message).join()).toMatch(/password would travel unencrypted/);
    expect(ok(smtp('127.0.0.1')).alerts.email?.smtp.loopback).toBe(true);
  });

  it('needs email.to, smtp.from and a password for a user', () => {
    const list = errors(`  email:\n    smtp: { host: smtp.example.test, user: u }\n`);
    const paths = list.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['alerts.email.to', 'alerts.email.smtp.from', 'alerts.email.smtp.password']));
  });

  it('reads alerts.lost_after_s: 0 alerts at once; out of range or not a number is a located error', () => {
    const hook = '  webhooks: [{ url: "https://hooks.example.test/x" }]\n';
    const now = ok(`${hook}  lost_after_s: 0\n`);
    expect(now.alerts.lostAfterSeconds).toBe(0);
    expect(describeConfig(now).join('\n')).toContain('provider registration lost ("you may be missing real calls") at once, and restored');
    const noDigest = describeConfig(ok(`${hook}  lost_after_s: 300\n  digest: { at: off }\n`)).join('\n');
    expect(noDigest).toContain('once it has stayed lost for 5 minutes, then restored (shorter outages are not alerted)');
    expect(ok('  lost_after_s: 3600\n').alerts.lostAfterSeconds).toBe(3600);
    for (const [value, message] of [
      ['3601', /3601 is out of range \(0\.\.3600\)/],
      ['-1', /-1 is out of range \(0\.\.3600\)/],
      ['1.5', /expected a whole number \(0\.\.3600\)/],
      ['"60s"', /expected a whole number \(0\.\.3600\)/],
    ] as const) {
      const list = errors(`  timezone: Asia/Tokyo\n  lost_after_s: ${value}\n`);
      expect(list.map((e) => [e.path, e.line])).toEqual([['alerts.lost_after_s', 7]]);
      expect(list[0]!.message).toMatch(message);
    }
  });

  it('takes the zone from digest.timezone too, and refuses two different zones', () => {
    expect(ok(`  digest: { at: "08:00", timezone: Europe/Berlin }\n`).alerts.timezone).toBe('Europe/Berlin');
    const list = errors(`  timezone: Asia/Tokyo\n  digest: { at: "08:00", timezone: Europe/Berlin }\n`);
    expect(list.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'alerts.digest.timezone: the digest and quiet hours share one time zone: Europe/Berlin differs from alerts.timezone Asia/Tokyo',
    ]);
  });

  it('refuses quiet hours that begin and end at the same time, and unknown urgent kinds', () => {
    const list = errors(`  quiet_hours: { from: "07:00", to: "07:00", urgent: [everything] }\n`);
    expect(list.map((e) => e.message).join('\n')).toMatch(/same time/);
    expect(list.map((e) => e.message).join('\n')).toMatch(/expected one of registration-lost, registration-restored, bans, digest/);
  });
});
