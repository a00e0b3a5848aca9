/**
 * The event a dropped or refused request becomes (issue 3 item 6): when, the flow, what the request
 * said (method, Request-URI, From, To, User-Agent, Call-ID), the verdict's reasons and scanner
 * family, the plain-language explanation in English and Japanese, and the first bytes of the message.
 */
import type { SipMessage } from '../sip/message.js';
import type { GuardEvent, Leg } from '../store/guard-event.js';
import type { Verdict } from '../policy/verdict.js';
import { explainRequest } from '../policy/explain-request.js';
import type { Flow } from '../transport/flow.js';
import { flowRecord } from './proxy-context.js';

/** Bytes of the message kept with an event (the store caps again by its own setting). */
export const EVENT_RAW_BYTES = 4096;

export interface EventInput {
  readonly time: number;
  readonly flow: Flow;
  readonly leg: Leg;
  readonly verdict: Verdict;
  /** The message, or null when it was not parsed (banned, too large, malformed). */
  readonly msg: SipMessage | null;
  /** The received bytes (absent when a transport refused them unread). */
  readonly data?: Buffer;
  readonly providerDomain: string;
}

export function guardEvent(input: EventInput): GuardEvent {
  const { msg, verdict } = input;
  return {
    time: input.time,
    flow: flowRecord(input.flow),
    leg: input.leg,
    method: msg?.isRequest ? msg.method : null,
    requestUri: msg?.isRequest ? msg.requestUri : null,
    from: msg?.get('From') ?? null,
    to: msg?.get('To') ?? null,
    userAgent: msg?.userAgent() ?? null,
    callId: msg?.get('Call-ID') ?? null,
    reasons: verdict.reasons,
    family: verdict.family,
    explanation: explainRequest({
      verdict,
      msg: msg?.isRequest ? msg : null,
      source: input.flow.remote.address,
      providerDomain: input.providerDomain,
      leg: input.leg,
    }),
    ...(input.data === undefined ? {} : { raw: input.data.subarray(0, EVENT_RAW_BYTES) }),
  };
}
