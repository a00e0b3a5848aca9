/**
 * Probes one port: a scanner-like INVITE and an OPTIONS, each its own exchange, then the clean-up
 * that leaves nothing ringing:
 * - 18x to the INVITE: CANCEL it (RFC 3261 §9.1: only after a provisional) and ACK the 487;
 * - 2xx: ACK it and BYE the call (§13.2.2.4, §15);
 * - any other final: ACK it (§17.1.1.3), again for every retransmission of it.
 * Over UDP requests are retransmitted T1-doubling (§17.1.1.2, §17.1.2.2) until answered. Every
 * wait is bounded: answers within `timeoutMs`, clean-up within CLEANUP_MS after that at most.
 */
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { openTcp, openUdp, type ProbeChannel } from './probe-channel.js';
import { ackNon2xx, cancelRequest, inDialogRequest, initialRequest, newDialog, type AnsweredDialog, type ProbeDialog } from './probe-messages.js';
import type { PortReport, ProbeExchange } from './probe-report.js';
import { describePort } from './describe-port.js';

const T1 = 500;
const TICK_MS = 10;
/** How long the clean-up may take after the answers' wait (CANCEL → 487, BYE → 200). */
export const CLEANUP_MS = 2000;

export interface PortProbeOptions {
  /** Host as written in the Request-URI (a name or an address). */
  readonly uriHost: string;
  readonly address: string;
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
  readonly timeoutMs: number;
  readonly localAddress?: string;
  readonly signal?: AbortSignal;
}

/** A request the probe keeps sending (UDP) until it is answered or time runs out. */
interface Outgoing {
  readonly bytes: Buffer;
  next: number;
  interval: number;
  answered: boolean;
}

interface Seen {
  provisional: SipMessage | null;
  final: SipMessage | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function exchange(seen: Seen): ProbeExchange {
  const m = seen.final ?? seen.provisional;
  return {
    status: m?.status ?? null,
    reason: m?.reason ?? null,
    agent: m === null ? null : (m.get('server') ?? m.userAgent() ?? null),
    provisional: seen.provisional?.status ?? null,
  };
}

/** A header value from the device, safe to write back into one header line (else `fallback`). */
function echo(value: string | undefined, fallback: string): string {
  return value !== undefined && value.length > 0 && value.length <= 512 && !/[\r\n\0]/.test(value) ? value : fallback;
}

/** RFC 3261 §12.1.2: remote target = Contact of the 2xx, route set = its Record-Route reversed (at most 8). */
function answeredDialog(msg: SipMessage, d: ProbeDialog): AnsweredDialog {
  const contacts = msg.contacts();
  const first = isSipError(contacts) || contacts === '*' ? undefined : contacts[0];
  const routes = msg.recordRoutes();
  return {
    remoteTarget: /^sips?:[^\s]+$/.test(first?.uri.raw ?? '') ? echo(first?.uri.raw, d.requestUri) : d.requestUri,
    routes: isSipError(routes) ? [] : [...routes].slice(0, 8).reverse().map((r) => echo(r.raw, '')).filter((r) => r !== ''),
    responseTo: echo(msg.get('to'), `<${d.requestUri}>`),
  };
}

export async function probePort(o: PortProbeOptions): Promise<PortReport> {
  const invite: Seen = { provisional: null, final: null };
  const options: Seen = { provisional: null, final: null };
  const cleanup: { method: 'CANCEL' | 'ACK' | 'BYE'; answered: boolean | null }[] = [];
  const pending: Outgoing[] = [];
  const udp = o.transport === 'udp';
  let inv: ProbeDialog | undefined;
  let opt: ProbeDialog | undefined;
  let cancel: Outgoing | undefined;
  let bye: Outgoing | undefined;
  let channel: ProbeChannel | null = null;

  const send = (bytes: Buffer, retransmit: boolean): Outgoing => {
    const out: Outgoing = { bytes, next: Date.now() + T1, interval: T1, answered: !retransmit };
    channel?.send(bytes);
    if (retransmit && udp) pending.push(out);
    return out;
  };
  const record = (method: 'CANCEL' | 'ACK' | 'BYE'): void => {
    cleanup.push({ method, answered: method === 'ACK' ? null : false });
  };
  const markAnswered = (method: 'CANCEL' | 'BYE'): void => {
    const entry = cleanup.find((c) => c.method === method);
    if (entry !== undefined) entry.answered = true;
  };

  let inviteOut: Outgoing | undefined;
  let optionsOut: Outgoing | undefined;
  const onMessage = (msg: SipMessage): void => {
    if (msg.isRequest || inv === undefined || opt === undefined) return;
    const callId = msg.callId();
    const cseq = msg.cseq();
    if (isSipError(callId) || isSipError(cseq)) return;
    if (callId === opt.callId && cseq.method === 'OPTIONS') {
      if (optionsOut !== undefined) optionsOut.answered ||= msg.status >= 200;
      if (msg.status < 200) options.provisional = msg;
      else options.final ??= msg;
      return;
    }
    if (callId !== inv.callId) return;
    if (cseq.method === 'CANCEL') {
      if (cancel !== undefined) cancel.answered = true;
      markAnswered('CANCEL');
      return;
    }
    if (cseq.method === 'BYE') {
      if (msg.status >= 200 && bye !== undefined) {
        bye.answered = true;
        markAnswered('BYE');
      }
      return;
    }
    if (cseq.method !== 'INVITE') return;
    if (inviteOut !== undefined) inviteOut.answered = true; // any response stops INVITE retransmissions (§17.1.1.2)
    if (msg.status < 200) {
      invite.provisional = msg;
      if (msg.status >= 180 && cancel === undefined && invite.final === null) {
        cancel = send(cancelRequest(inv), true);
        record('CANCEL');
      }
      return;
    }
    invite.final ??= msg;
    if (msg.status < 300) {
      const dialog = answeredDialog(msg, inv);
      channel?.send(inDialogRequest(inv, dialog, 'ACK'));
      if (bye === undefined) {
        record('ACK');
        bye = send(inDialogRequest(inv, dialog, 'BYE'), true);
        record('BYE');
      }
    } else {
      channel?.send(ackNon2xx(inv, echo(msg.get('to'), `<${inv.requestUri}>`)));
      if (!cleanup.some((c) => c.method === 'ACK')) record('ACK');
    }
  };

  const started = Date.now();
  const connectTimeoutMs = o.timeoutMs;
  const open = { address: o.address, port: o.port, localAddress: o.localAddress, connectTimeoutMs, onMessage };
  channel = udp ? await openUdp(open) : await openTcp(open);
  if (channel === null) {
    return describePort({ port: o.port, transport: o.transport, invite: exchange(invite), options: exchange(options), cleanup, refused: Date.now() - started < connectTimeoutMs, timeoutMs: o.timeoutMs });
  }
  try {
    inv = newDialog('INVITE', o.uriHost, o.port, channel.local);
    opt = newDialog('OPTIONS', o.uriHost, o.port, channel.local);
    inviteOut = send(initialRequest(inv), true);
    optionsOut = send(initialRequest(opt), true);
    let answerDeadline = started + o.timeoutMs;
    let cleanupDeadline = answerDeadline + CLEANUP_MS;
    for (;;) {
      const now = Date.now();
      // Stopped: wait for no more answers, but still clean up (a ringing INVITE is cancelled).
      if (o.signal?.aborted === true && answerDeadline > now) {
        answerDeadline = now;
        cleanupDeadline = Math.min(cleanupDeadline, now + CLEANUP_MS);
      }
      // A provisional without a final by the deadline: cancel it too (nothing may stay ringing).
      if (now >= answerDeadline && invite.provisional !== null && invite.final === null && cancel === undefined) {
        cancel = send(cancelRequest(inv), true);
        record('CANCEL');
        cleanupDeadline = now + CLEANUP_MS;
      }
      const inviteDone = invite.final !== null ? bye === undefined || bye.answered : now >= answerDeadline && cancel === undefined;
      const optionsDone = options.final !== null || now >= answerDeadline;
      if ((inviteDone && optionsDone) || now >= cleanupDeadline || (channel.refused && now - started > 50)) break;
      for (const out of pending) {
        if (out.answered || now < out.next) continue;
        channel.send(out.bytes);
        out.interval = Math.min(out.interval * 2, 4000);
        out.next = now + out.interval;
      }
      await sleep(TICK_MS);
    }
  } finally {
    channel.close();
  }
  return describePort({ port: o.port, transport: o.transport, invite: exchange(invite), options: exchange(options), cleanup, refused: channel.refused && invite.final === null && invite.provisional === null && options.final === null, timeoutMs: o.timeoutMs });
}
