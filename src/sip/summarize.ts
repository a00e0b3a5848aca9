/**
 * A plain, JSON-ready picture of one SIP message: the fields a person (or `ghostguard parse --json`)
 * wants to see. Header values that do not parse are reported as `null` here; `validate()` says why.
 */
import { isSipError } from './errors.js';
import type { SipMessage } from './message.js';
import type { NameAddr, Via } from './types.js';
import { utf8Text } from './text.js';

export interface PartySummary {
  displayName: string | null;
  uri: string;
  tag: string | null;
}

export interface ViaSummary {
  transport: string;
  host: string;
  port: number | null;
  branch: string | null;
  received: string | null;
  rport: number | true | null;
}

export interface MessageSummary {
  kind: 'request' | 'response';
  method: string | null;
  requestUri: string | null;
  status: number | null;
  reason: string | null;
  from: PartySummary | null;
  to: PartySummary | null;
  callId: string | null;
  cseq: { seq: number; method: string } | null;
  via: ViaSummary[];
  userAgent: string | null;
  contacts: '*' | PartySummary[];
  contentLength: number | null;
  bodyLength: number;
}

export function summarizeMessage(msg: SipMessage): MessageSummary {
  const from = msg.from();
  const to = msg.to();
  const callId = msg.callId();
  const cseq = msg.cseq();
  const vias = msg.vias();
  const contacts = msg.contacts();
  const userAgent = msg.userAgent();
  return {
    kind: msg.isRequest ? 'request' : 'response',
    method: msg.isRequest ? msg.method : null,
    requestUri: msg.isRequest ? msg.requestUri : null,
    status: msg.isRequest ? null : msg.status,
    reason: msg.isRequest ? null : utf8Text(msg.reason),
    from: isSipError(from) ? null : party(from),
    to: isSipError(to) ? null : party(to),
    callId: isSipError(callId) ? null : callId,
    cseq: isSipError(cseq) ? null : { seq: cseq.seq, method: cseq.method },
    via: isSipError(vias) ? [] : vias.map(via),
    userAgent: userAgent === undefined ? null : utf8Text(userAgent),
    contacts: isSipError(contacts) ? [] : contacts === '*' ? '*' : contacts.map(party),
    contentLength: msg.contentLength(),
    bodyLength: msg.body.length,
  };
}

function party(value: NameAddr): PartySummary {
  const tag = value.params.get('tag');
  return {
    displayName: value.displayName === null ? null : utf8Text(value.displayName),
    uri: value.uri.raw,
    tag: tag ?? null,
  };
}

function via(value: Via): ViaSummary {
  return {
    transport: value.transport,
    host: value.host,
    port: value.port,
    branch: value.branch,
    received: value.received,
    rport: value.rport,
  };
}
