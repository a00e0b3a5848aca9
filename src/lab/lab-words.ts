/**
 * The lab's happenings and score in plain words (English), for the terminal and any text feed. Pure
 * functions: they return text, the caller decides where it goes.
 */
import type { LabPlan } from './lab-plan.js';
import type { LabEvent } from './lab-event.js';
import type { LabTally } from './lab-tally.js';
import { SCANNER_FAMILIES } from './scanners/families.js';
import { SCANNER_IDS } from './scanners/scanner-id.js';
import { formatEndpoint } from '../transport/flow.js';

/** One line for an event worth telling a person, or null (single scanner messages, single blocks: the tally counts those). */
export function describeEvent(event: LabEvent): string | null {
  switch (event.kind) {
    case 'phone-registered':
      return event.refresh
        ? `phone      refreshed its registration through the guard (${event.expires} s)`
        : `phone      registered through the guard; the provider sees only the alias ${event.alias ?? '(unknown)'}`;
    case 'phone-registration-failed':
      return `phone      registration failed: ${event.why}`;
    case 'call-placed':
      return `provider   call from ${event.caller} (${event.number})${event.plan === 'cancel' ? ', who will hang up before it is answered' : ''}`;
    case 'call-skipped':
      return `provider   no call placed: ${event.why}`;
    case 'phone-rang':
      return event.from === 'provider'
        ? `phone      RINGS: ${event.caller}, a real call through the provider`
        : `phone      RINGS: ${event.caller} — A GHOST CALL got through!`;
    case 'call-answered':
      return 'phone      answered';
    case 'call-cancelled':
      return 'provider   the caller hung up before the answer (CANCEL): the ringing stopped';
    case 'call-ended':
      return `${event.by === 'phone' ? 'phone      hung up' : 'provider   the caller hung up'} after ${Math.round(event.talkMs / 100) / 10} s of talk`;
    case 'call-failed':
      return `provider   call failed: ${event.why}`;
    case 'scanner-burst':
      return `${event.scanner.padEnd(10)} ${event.what}`;
    case 'scanner-answered':
      return `${event.scanner.padEnd(10)} GOT AN ANSWER (${event.status}) — the guard should have stayed silent`;
    default:
      return null;
  }
}

/** The running score, in a few short lines (each under 80 columns). */
export function tallyLines(t: LabTally): string[] {
  const c = t.providerCalls;
  const answers = SCANNER_IDS.reduce((n, id) => n + t.scanners[id].answered, 0);
  const perFamily = SCANNER_IDS.map((id) => `${id} ${t.scanners[id].blocked}`);
  const half = Math.ceil(perFamily.length / 2);
  return [
    `provider calls  ${c.placed} placed · ${c.rang} rang · ${c.answered} answered · ${c.cancelled} cancelled${c.failed > 0 ? ` · ${c.failed} failed` : ''}`,
    `ghost calls     ${t.ghostCalls.rang} rang · ${t.ghostCalls.blocked} blocked · scanners got ${answers} answer${answers === 1 ? '' : 's'}`,
    `blocked         ${perFamily.slice(0, half).join(' · ')}`,
    `                ${perFamily.slice(half).join(' · ')}`,
  ];
}

/** The score on one line (logs, CI). */
export function tallyLine(t: LabTally): string {
  const c = t.providerCalls;
  const families = SCANNER_IDS.map((id) => `${id} ${t.scanners[id].blocked}`).join(' · ');
  return `provider calls: ${c.rang} rang · ghost calls: ${t.ghostCalls.rang} rang, ${t.ghostCalls.blocked} blocked (${families})`;
}

/** What runs where. */
export function planLines(plan: LabPlan): string[] {
  const lines = [
    `provider   ${plan.domain} at ${formatEndpoint(plan.provider)}: a registrar with digest authentication, and callers`,
    `guard      WAN ${formatEndpoint(plan.guard.wan)} (its random high port) · LAN ${formatEndpoint(plan.guard.lan)}`,
    `phone      ${plan.phone.aor.replace(/^sip:/, '')} at ${formatEndpoint(plan.phone.address)}, behind the guard (its outbound proxy)`,
    'scanners   aim at the guard\'s WAN address and real port:',
  ];
  for (const s of plan.scanners) lines.push(`           ${s.address.address.padEnd(11)} ${SCANNER_FAMILIES[s.id].name.padEnd(18)} ${s.summary}`);
  return lines;
}
