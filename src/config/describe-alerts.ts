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

/** "90 s", "1 minute", "5 minutes". */
function seconds(s: number): string {
  return s % 60 === 0 && s > 0 ? `${s / 60} minute${s === 60 ? '' : 's'}` : `${s} s`;
}

/** What is said about the registration alerts, with the hold of `lost_after_s`. */
function registrationLine(alerts: AlertsConfig): string {
  const lost = 'provider registration lost ("you may be missing real calls")';
  if (alerts.lostAfterSeconds === 0) return `${lost} at once, and restored`;
  const shorter = alerts.digest ? 'shorter outages are only counted in the digest' : 'shorter outages are not alerted';
  return `${lost} once it has stayed lost for ${seconds(alerts.lostAfterSeconds)}, then restored (${shorter})`;
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
  const what = [registrationLine(alerts)];
  if (alerts.bans) what.push(`new bans, batched into one alert per ${seconds(alerts.bans.batchSeconds)}`);
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
