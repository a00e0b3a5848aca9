/**
 * `describeAlerts(alerts)`: what will be alerted and where, as plain lines for `ghostguard check-config`.
 */
import type { AlertLang, AlertsConfig } from './alerts-config.js';
import { formatTimeOfDay } from './time-of-day.js';

const LANG: Record<AlertLang, string> = { en: 'English', ja: 'Japanese', both: 'Japanese and English' };

/** "https://hooks.example/…": scheme and host only (many hook URLs carry a token in the path). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 ? '/…' : '/'}`;
  } catch {
    return '(invalid URL)';
  }
}

/** `systemZone`: the zone used when none is configured (this machine's). */
export function describeAlerts(alerts: AlertsConfig, systemZone: string): string[] {
  const where: string[] = [];
  for (const w of alerts.webhooks) where.push(`webhook ${redactUrl(w.url)} (${w.secret ? 'signed, ' : ''}${LANG[w.lang]})`);
  const email = alerts.email;
  if (email !== null) {
    const { smtp } = email;
    const security = smtp.implicitTls ? 'TLS' : smtp.starttls ? 'STARTTLS' : 'no encryption';
    const login = smtp.user === null ? '' : `, login as ${smtp.user}${smtp.password?.kind === 'env' ? ` (password from $${smtp.password.name})` : ''}`;
    where.push(`email to ${email.to.join(', ')} from ${smtp.from} via ${smtp.host}:${smtp.port} (${security}${login}; ${LANG[email.lang]})`);
  }
  if (where.length === 0) {
    return ['Alerts: none (add alerts.webhooks or alerts.email to hear when the provider registration is lost, scanners are banned, and a daily digest)'];
  }
  const zone = alerts.timezone ?? `${systemZone}, this machine's time zone`;
  const lines = [`Alerts go to: ${where.join('; ')}`];
  const what = ['provider registration lost ("you may be missing real calls") and restored'];
  if (alerts.bans) {
    const s = alerts.bans.batchSeconds;
    what.push(`new bans, batched into one alert per ${s % 60 === 0 ? `${s / 60} minute${s === 60 ? '' : 's'}` : `${s} s`}`);
  }
  if (alerts.digest) what.push(`a daily digest at ${formatTimeOfDay(alerts.digest.at)} (${zone}) of the last 24 hours`);
  lines.push(`Alerts on: ${what.join('; ')}`);
  const q = alerts.quietHours;
  if (q !== null) {
    const urgent = q.urgent.length > 0 ? `; sent at once even then: ${q.urgent.join(', ')}` : '';
    lines.push(`Quiet hours: ${formatTimeOfDay(q.from)}–${formatTimeOfDay(q.to)} (${zone}): other alerts are held and sent as one summary at ${formatTimeOfDay(q.to)}${urgent}`);
  }
  lines.push('Test the channels with: ghostguard alerts test --config FILE');
  return lines;
}
