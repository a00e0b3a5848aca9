/**
 * The verdict for one port and its sentence for people, from what the INVITE and the OPTIONS got:
 * RANG (18x or 2xx to the INVITE: a ghost call would ring), ANSWERED (any other answer: a SIP
 * device is revealed), SILENT (nothing answered).
 */
import type { PortReport, PortVerdict, ProbeExchange } from './probe-report.js';

export interface PortFacts {
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
  readonly invite: ProbeExchange;
  readonly options: ProbeExchange;
  readonly cleanup: NonNullable<PortReport['cleanup']>;
  /** TCP: the connection was refused; UDP: the datagrams could not be sent. And nothing SIP answered. */
  readonly refused: boolean;
  readonly timeoutMs: number;
}

/** A response for people, e.g. "180 Ringing from baresip". */
export function answerText(status: number, reason: string | null, agent: string | null): string {
  const phrase = `${status}${reason ? ` ${reason}` : ''}`;
  return agent ? `${phrase} from ${agent.slice(0, 60)}` : phrase;
}

export function verdictOf(invite: ProbeExchange, options: ProbeExchange): PortVerdict {
  const rang = (s: number | null | undefined): boolean => s != null && ((s >= 180 && s < 190) || (s >= 200 && s < 300));
  if (rang(invite.provisional) || rang(invite.status)) return 'RANG';
  if (invite.status !== null || options.status !== null) return 'ANSWERED';
  return 'SILENT';
}

function rangDetail(invite: ProbeExchange, cleanup: PortFacts['cleanup']): string {
  const answered = invite.status !== null && invite.status >= 200 && invite.status < 300;
  const ring = answered ? (invite.status ?? 0) : (invite.provisional ?? invite.status ?? 0);
  const what = answered ? 'was answered' : 'made it ring';
  const ringReason = ring === invite.status ? invite.reason : null;
  const base = `a scanner's INVITE ${what} (${answerText(ring, ringReason ?? (ring === 180 ? 'Ringing' : null), invite.agent)}): a ghost call would ring here`;
  const methods = cleanup.map((c) => c.method);
  const cleaned = methods.length > 0 ? `; the probe sent ${methods.join(' + ')}` : '';
  const unanswered = cleanup.filter((c) => c.answered === false).map((c) => c.method);
  return `${base}${cleaned}${unanswered.length > 0 ? ` (no answer to ${unanswered.join(', ')})` : ''}`;
}

export function describePort(f: PortFacts): PortReport {
  const verdict = verdictOf(f.invite, f.options);
  let detail: string;
  if (verdict === 'RANG') detail = rangDetail(f.invite, f.cleanup);
  else if (verdict === 'ANSWERED') {
    const parts: string[] = [];
    if (f.invite.status !== null) parts.push(`${answerText(f.invite.status, f.invite.reason, f.invite.agent)} to the INVITE`);
    if (f.options.status !== null) parts.push(`${answerText(f.options.status, f.options.reason, f.options.agent)} to the OPTIONS`);
    detail = `it answered ${parts.join(' and ')}: a scanner learns a SIP device is here`;
  } else if (f.refused) {
    detail = f.transport === 'tcp' ? 'the connection was refused: no SIP over TCP here' : 'the probe could not send to it (no route): nothing answered';
  } else {
    detail = f.transport === 'tcp' ? `no connection or no answer within ${f.timeoutMs} ms` : `nothing answered within ${f.timeoutMs} ms`;
  }
  return { port: f.port, transport: f.transport, verdict, invite: f.invite, options: f.options, detail, cleanup: f.cleanup };
}
