/**
 * Helpers for the transaction layer's tests (no test runner in here): a ManualClock, a send
 * function that records what is sent and when, flows, and SIP messages from short templates.
 */
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parse.js';
import { makeFlow, type Flow, type TransportKind } from '../transport/flow.js';
import type { SendTarget } from '../transport/transport.js';
import { ManualClock } from '../util/clock.js';
import { buildResponse } from './build-response.js';
import type { SendFn } from './send-fn.js';
import { resolveTimerConfig } from './timer-config.js';
import type { TransactionContext } from './transaction-user.js';

export const START = 1_700_000_000_000;

export interface Sent {
  readonly message: SipMessage;
  readonly target: SendTarget;
  /** ms since START. */
  readonly at: number;
}

/** A SendFn that records; `failWith` makes the next sends throw (sync) or reject (async). */
export class RecordingSend {
  readonly sent: Sent[] = [];
  failWith: 'throw' | 'reject' | undefined;
  readonly fn: SendFn;

  constructor(private readonly clock: ManualClock) {
    this.fn = (message, target) => {
      if (this.failWith === 'throw') throw new Error('send failed');
      if (this.failWith === 'reject') return Promise.reject(new Error('send failed'));
      this.sent.push({ message, target, at: this.clock.now() - START });
      return undefined;
    };
  }

  /** Send times (ms since START) of messages whose start line begins with `prefix`. */
  times(prefix = ''): number[] {
    return this.sent.filter((s) => startLine(s.message).startsWith(prefix)).map((s) => s.at);
  }

  lines(): string[] {
    return this.sent.map((s) => startLine(s.message));
  }

  last(): SipMessage {
    const last = this.sent.at(-1);
    if (last === undefined) throw new Error('nothing sent');
    return last.message;
  }
}

export function startLine(message: SipMessage): string {
  const text = message.serialize().toString('latin1');
  return text.slice(0, text.indexOf('\r\n'));
}

export function setup(transport: TransportKind = 'udp'): {
  clock: ManualClock;
  net: RecordingSend;
  context: TransactionContext;
  flow: Flow;
} {
  const clock = new ManualClock(START);
  const net = new RecordingSend(clock);
  const context: TransactionContext = { clock, send: net.fn, timers: resolveTimerConfig() };
  return { clock, net, context, flow: flowFrom('198.51.100.1', 5060, transport) };
}

export function flowFrom(address: string, port = 5060, transport: TransportKind = 'udp'): Flow {
  return makeFlow(transport, { address: '192.0.2.30', port: 5060 }, { address, port });
}

/** Parses a message written with `\n` line ends; throws on a bad template (tests only). */
export function sip(text: string): SipMessage {
  const message = parseMessage(text.replace(/\r?\n/g, '\r\n'));
  if (isSipError(message)) throw new Error(`bad test message: ${message.message}`);
  return message;
}

export interface RequestFields {
  method?: string;
  uri?: string;
  branch?: string;
  sentBy?: string;
  callId?: string;
  cseq?: number;
  fromTag?: string;
  toTag?: string;
  /** Extra header lines, e.g. `Route: <sip:p.example.test;lr>`. */
  extra?: string[];
}

export function request(fields: RequestFields = {}): SipMessage {
  const method = fields.method ?? 'INVITE';
  const to = fields.toTag === undefined ? '<sip:bob@example.test>' : `<sip:bob@example.test>;tag=${fields.toTag}`;
  const lines = [
    `${method} ${fields.uri ?? 'sip:bob@192.0.2.4'} SIP/2.0`,
    `Via: SIP/2.0/UDP ${fields.sentBy ?? '198.51.100.1:5060'};branch=${fields.branch ?? 'z9hG4bKabc123'};rport`,
    'Max-Forwards: 70',
    ...(fields.extra ?? []),
    `From: "Alice" <sip:alice@example.test>;tag=${fields.fromTag ?? 'a1'}`,
    `To: ${to}`,
    `Call-ID: ${fields.callId ?? 'call-1@198.51.100.1'}`,
    `CSeq: ${fields.cseq ?? 1} ${method}`,
    'Content-Length: 0',
    '',
    '',
  ];
  return sip(lines.join('\n'));
}

/** A response to `req` (all its Vias, From, To, Call-ID, CSeq), with a To tag when given. */
export function response(req: SipMessage, status: number, toTag?: string): SipMessage {
  const res = buildResponse(req, status, `Status ${status}`, toTag === undefined ? {} : { toTag });
  if (isSipError(res)) throw new Error(`cannot build response: ${res.message}`);
  return res;
}
