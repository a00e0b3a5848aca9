/**
 * The simulated phone: a softphone behind the guard. It registers through the guard's LAN leg (its
 * outbound proxy) with digest authentication and refreshes at half the granted expiry; it rings for
 * every INVITE that reaches it (180), answers after a while (200, retransmitted until the ACK, RFC 3261
 * §13.3.1.4), answers CANCEL with 200 + 487 (§9.2), BYE with 200, and hangs up calls that go on too
 * long. Like a real phone it cannot tell a provider call from a ghost call: it reports every ring,
 * and the lab decides whom it came from.
 */
import { answerDigestChallenge, parseDigest } from '../sip/digest.js';
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseNameAddr } from '../sip/name-addr.js';
import type { SipUri, TelUri } from '../sip/types.js';
import type { Endpoint } from '../transport/flow.js';
import type { LabRandom } from './lab-random.js';
import type { LabTimers } from './lab-timers.js';
import type { LabTiming } from './lab-timing.js';
import type { Incoming, SipPeer } from './sip-peer.js';
import { request, response, sdp, uriOf, type Header } from './sip-text.js';

export interface PhoneHooks {
  registered(expires: number, refresh: boolean): void;
  registrationFailed(status: number | null, why: string): void;
  /** An INVITE reached the phone and it rang; `caller` is what its screen shows. */
  rang(callId: string, caller: string): void;
}

export interface PhoneOptions {
  readonly peer: SipPeer;
  readonly user: string;
  readonly password: string;
  readonly domain: string;
  /** The guard's LAN leg: the phone's outbound proxy. */
  readonly proxy: Endpoint;
  readonly timing: LabTiming;
  readonly timers: LabTimers;
  readonly random: LabRandom;
  readonly hooks: PhoneHooks;
}

export interface PhoneStats {
  readonly rings: number;
  /** Requests other than calls that reached the phone (OPTIONS, MESSAGE ...). */
  readonly otherRequests: number;
  readonly registered: boolean;
}

enum CallState {
  Ringing,
  Answered,
  Talking,
  Cancelled,
  Ended,
}

interface IncomingCall {
  readonly invite: SipMessage;
  readonly branch: string;
  readonly toTag: string;
  state: CallState;
  /** The last response sent to the INVITE (re-sent for a retransmitted INVITE). */
  last: string;
  cancelTimers: Array<() => void>;
}

/** No answer to a REGISTER after this long: try again. */
const REGISTER_TIMEOUT_MS = 5_000;

export class SimPhone {
  readonly #o: PhoneOptions;
  readonly #calls = new Map<string, IncomingCall>();
  readonly #callId: string;
  #cseq = 1;
  #registered = false;
  #everRegistered = false;
  #triedCredentials = false;
  #registerTimeout: (() => void) | undefined;
  #stats = { rings: 0, otherRequests: 0 };

  constructor(options: PhoneOptions) {
    this.#o = options;
    this.#callId = `${options.random.hex(16)}@${options.user}-phone`;
  }

  get aor(): string {
    return `sip:${this.#o.user}@${this.#o.domain}`;
  }

  /** The phone's own Contact (what the guard replaces with an alias on the WAN leg). */
  get contact(): string {
    const { address, port } = this.#o.peer.address;
    return `sip:${this.#o.user}@${address}:${port}`;
  }

  stats(): PhoneStats {
    return { ...this.#stats, registered: this.#registered };
  }

  start(): void {
    this.#register();
  }

  /** Everything the phone's socket receives. */
  receive({ msg }: Incoming): void {
    if (!msg.isRequest) return this.#response(msg);
    switch (msg.method) {
      case 'INVITE':
        return this.#invite(msg);
      case 'CANCEL':
        return this.#cancel(msg);
      case 'ACK':
        return this.#ack(msg);
      case 'BYE':
        return this.#bye(msg);
      default:
        this.#stats.otherRequests++;
        this.#send(response(msg, msg.method === 'OPTIONS' ? 200 : 405, msg.method === 'OPTIONS' ? 'OK' : 'Method Not Allowed', { toTag: this.#o.random.hex(8) }));
    }
  }

  #register(authorization?: string): void {
    this.#triedCredentials = authorization !== undefined;
    const { address, port } = this.#o.peer.address;
    const headers: Header[] = [
      ['Via', `SIP/2.0/UDP ${address}:${port};branch=z9hG4bK${this.#o.random.hex(16)};rport`],
      ['Max-Forwards', '70'],
      ['From', `<${this.aor}>;tag=${this.#o.random.hex(8)}`],
      ['To', `<${this.aor}>`],
      ['Call-ID', this.#callId],
      ['CSeq', `${this.#cseq++} REGISTER`],
      ['Contact', `<${this.contact}>`],
      ['Expires', String(this.#o.timing.registerExpiresS)],
      ...(authorization === undefined ? [] : [['Authorization', authorization] as Header]),
      ['User-Agent', 'ghostguard-lab-phone/1.0'],
    ];
    this.#registerTimeout?.();
    const timeout = this.#o.timers.after(REGISTER_TIMEOUT_MS, () => this.#registrationFailed(null, 'no answer to REGISTER'));
    this.#registerTimeout = () => timeout.cancel();
    this.#send(request('REGISTER', `sip:${this.#o.domain}`, headers));
  }

  #response(msg: SipMessage): void {
    const cseq = msg.cseq();
    if (isSipError(cseq)) return;
    if (cseq.method === 'REGISTER' && msg.get('Call-ID') === this.#callId) this.#registerResponse(msg);
    // Responses to the phone's BYE need nothing more: the call is already over on this side.
  }

  #registerResponse(msg: SipMessage): void {
    if (msg.status < 200) return;
    this.#registerTimeout?.();
    this.#registerTimeout = undefined;
    if ((msg.status === 401 || msg.status === 407) && !this.#triedCredentials) {
      const challenge = parseDigest(msg.get(msg.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate') ?? '');
      const credentials = isSipError(challenge)
        ? challenge
        : answerDigestChallenge(challenge, { username: this.#o.user, password: this.#o.password, method: 'REGISTER', uri: `sip:${this.#o.domain}` });
      if (isSipError(credentials)) return this.#registrationFailed(msg.status, `cannot answer the challenge: ${credentials.message}`);
      return this.#register(credentials);
    }
    if (msg.status >= 300) return this.#registrationFailed(msg.status, `${msg.status} ${msg.reason}`);
    const expires = this.#grantedExpires(msg);
    const refresh = this.#everRegistered;
    this.#registered = true;
    this.#everRegistered = true;
    this.#o.hooks.registered(expires, refresh);
    this.#o.timers.after(Math.max(500, (expires * 1000) / 2), () => this.#register());
  }

  /** The expiry of the phone's own Contact in the 200 (§10.2.4), else the Expires header, else what it asked. */
  #grantedExpires(msg: SipMessage): number {
    const contacts = msg.contacts();
    if (!isSipError(contacts) && contacts !== '*') {
      const own = contacts.find((c) => uriOf(c.raw) === this.contact);
      const value = Number(own?.params.get('expires'));
      if (own !== undefined && Number.isFinite(value) && value > 0) return value;
    }
    const header = msg.expires();
    return !isSipError(header) && header !== null && header > 0 ? header : this.#o.timing.registerExpiresS;
  }

  #registrationFailed(status: number | null, why: string): void {
    this.#registered = false;
    this.#o.hooks.registrationFailed(status, why);
    this.#o.timers.after(this.#o.timing.registerRetryMs, () => this.#register());
  }

  #invite(invite: SipMessage): void {
    const callId = invite.get('Call-ID') ?? '';
    const branch = topBranch(invite);
    const known = this.#calls.get(callId);
    if (known !== undefined) {
      if (known.branch === branch) this.#send(known.last); // a retransmission: the last response again (§17.2.1)
      return;
    }
    const call: IncomingCall = { invite, branch, toTag: this.#o.random.hex(10), state: CallState.Ringing, last: '', cancelTimers: [] };
    this.#calls.set(callId, call);
    this.#stats.rings++;
    this.#o.hooks.rang(callId, callerOf(invite.get('From') ?? ''));
    this.#answer(call, 180, 'Ringing');
    const answer = this.#o.timers.after(this.#o.timing.answerAfterMs, () => this.#pickUp(call));
    call.cancelTimers.push(() => answer.cancel());
  }

  #pickUp(call: IncomingCall): void {
    if (call.state !== CallState.Ringing) return;
    call.state = CallState.Answered;
    const { address } = this.#o.peer.address;
    this.#answer(call, 200, 'OK', sdp(address, 40000 + this.#o.random.int(0, 999) * 2));
    // §13.3.1.4: the 2xx is retransmitted (T1, doubling) until the ACK comes.
    const resend = (delay: number, left: number): void => {
      if (left === 0) return;
      const timer = this.#o.timers.after(delay, () => {
        if (call.state !== CallState.Answered) return;
        this.#send(call.last);
        resend(delay * 2, left - 1);
      });
      call.cancelTimers.push(() => timer.cancel());
    };
    resend(500, 4);
  }

  #answer(call: IncomingCall, status: number, reason: string, body?: string): void {
    call.last = response(call.invite, status, reason, {
      toTag: call.toTag,
      headers: [
        ['Contact', `<${this.contact}>`],
        ...(status >= 200 ? [['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS'] as Header] : []),
      ],
      ...(body === undefined ? {} : { body }),
    });
    this.#send(call.last);
  }

  #cancel(cancel: SipMessage): void {
    const call = this.#calls.get(cancel.get('Call-ID') ?? '');
    if (call === undefined || call.branch !== topBranch(cancel)) {
      this.#send(response(cancel, 481, 'Call/Transaction Does Not Exist', { toTag: this.#o.random.hex(8) }));
      return;
    }
    this.#send(response(cancel, 200, 'OK', { toTag: call.toTag }));
    if (call.state !== CallState.Ringing) return; // §9.2: a CANCEL after the final response changes nothing
    call.state = CallState.Cancelled;
    this.#stopTimers(call);
    this.#answer(call, 487, 'Request Terminated');
    // The ACK for the 487 comes hop by hop from the guard; keep the call a little to absorb it.
    this.#o.timers.after(5_000, () => this.#calls.delete(cancel.get('Call-ID') ?? ''));
  }

  #ack(ack: SipMessage): void {
    const call = this.#calls.get(ack.get('Call-ID') ?? '');
    if (call === undefined || call.state !== CallState.Answered) return;
    call.state = CallState.Talking;
    this.#stopTimers(call);
    // A person hangs up eventually: the provider's caller usually does first (at talkMs).
    const hangUp = this.#o.timers.after(Math.round(this.#o.timing.talkMs * 1.5), () => this.#hangUp(call));
    call.cancelTimers.push(() => hangUp.cancel());
  }

  #bye(bye: SipMessage): void {
    const callId = bye.get('Call-ID') ?? '';
    const call = this.#calls.get(callId);
    if (call === undefined) {
      this.#send(response(bye, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    this.#send(response(bye, 200, 'OK'));
    call.state = CallState.Ended;
    this.#stopTimers(call);
    this.#calls.delete(callId);
  }

  /** The phone's BYE (§15.1.1): to the caller's Contact, along the Record-Route of the INVITE (§12.1.1). */
  #hangUp(call: IncomingCall): void {
    if (call.state !== CallState.Talking) return;
    call.state = CallState.Ended;
    this.#stopTimers(call);
    const invite = call.invite;
    const callId = invite.get('Call-ID') ?? '';
    this.#calls.delete(callId);
    const { address, port } = this.#o.peer.address;
    const headers: Header[] = [
      ['Via', `SIP/2.0/UDP ${address}:${port};branch=z9hG4bK${this.#o.random.hex(16)};rport`],
      ...invite.values('Record-Route').map((r): Header => ['Route', r]),
      ['Max-Forwards', '70'],
      ['From', `${invite.get('To') ?? ''};tag=${call.toTag}`],
      ['To', invite.get('From') ?? ''],
      ['Call-ID', callId],
      ['CSeq', '1 BYE'],
      ['User-Agent', 'ghostguard-lab-phone/1.0'],
    ];
    this.#send(request('BYE', uriOf(invite.get('Contact') ?? ''), headers));
  }

  #stopTimers(call: IncomingCall): void {
    for (const cancel of call.cancelTimers.splice(0)) cancel();
  }

  #send(text: string): void {
    this.#o.peer.send(this.#o.proxy, text);
  }
}

function topBranch(msg: SipMessage): string {
  const via = msg.topVia();
  return isSipError(via) ? '' : (via.branch ?? '');
}

/** What a phone's screen shows for a From value: the display name, else the user part of the URI. */
export function callerOf(from: string): string {
  const parsed = parseNameAddr(from);
  if (isSipError(parsed)) return '(unknown)';
  if (parsed.displayName !== null && parsed.displayName.length > 0) return parsed.displayName;
  const uri = parsed.uri;
  if (uri.scheme === 'tel') return (uri as TelUri).number;
  if (uri.scheme === 'sip' || uri.scheme === 'sips') return (uri as SipUri).user ?? (uri as SipUri).host;
  return uri.raw;
}
