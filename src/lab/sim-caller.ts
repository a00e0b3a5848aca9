/**
 * The simulated provider's calls: every few seconds someone calls the phone's number, and the
 * provider sends the INVITE to the Contact the phone registered — which, behind the guard, is the
 * guard's alias. Each call is a small UAC state machine (RFC 3261 §13, §15, §9): INVITE → 180 →
 * 200 → ACK → talk → BYE, or, for every fourth call, a caller who gives up while it rings (CANCEL →
 * 487 → ACK). One call in three is ended by the person at the phone instead (their BYE arrives here).
 */
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseNameAddr } from '../sip/name-addr.js';
import { parseUri } from '../sip/uri.js';
import type { SipUri } from '../sip/types.js';
import type { Endpoint } from '../transport/flow.js';
import type { Clock } from '../util/clock.js';
import type { LabRandom } from './lab-random.js';
import type { LabTimers } from './lab-timers.js';
import type { LabTiming } from './lab-timing.js';
import type { SipPeer } from './sip-peer.js';
import { request, response, sdp, uriOf, type Header } from './sip-text.js';

export interface CallerHooks {
  placed(callId: string, caller: string, number: string, plan: 'answer' | 'cancel'): void;
  skipped(why: string): void;
  answered(callId: string): void;
  cancelled(callId: string): void;
  ended(callId: string, by: 'provider' | 'phone', talkMs: number): void;
  failed(callId: string, status: number | null, why: string): void;
}

export interface CallerOptions {
  readonly peer: SipPeer;
  readonly domain: string;
  /** The called account, e.g. `sip:alice@voip.demo.test`. */
  readonly aor: string;
  /** The live Contacts registered for the AOR (from the registrar). */
  readonly contacts: () => readonly string[];
  readonly timing: LabTiming;
  readonly timers: LabTimers;
  readonly clock: Clock;
  readonly random: LabRandom;
  readonly hooks: CallerHooks;
}

/** People who call the phone (fictional). */
const CALLERS: ReadonlyArray<{ readonly name: string; readonly number: string }> = [
  { name: 'Hana Sato', number: '0312345678' },
  { name: 'Ito Dental Clinic', number: '0398765432' },
  { name: 'Kenji Mobile', number: '09012345678' },
  { name: 'Pizza Napoli', number: '0355501234' },
  { name: 'Mom', number: '0455512345' },
];

enum State {
  Inviting,
  Ringing,
  Cancelling,
  Talking,
  Ending,
  Over,
}

interface OutgoingCall {
  readonly n: number;
  readonly callId: string;
  readonly invite: string;
  readonly inviteVia: string;
  readonly from: string;
  readonly requestUri: string;
  readonly target: Endpoint;
  readonly plan: 'answer' | 'cancel';
  readonly endBy: 'provider' | 'phone';
  state: State;
  /** To of the 2xx (with the phone's tag), the remote target and route set of the dialog (§12.1.2). */
  dialog: { to: string; remoteTarget: string; route: string[]; next: Endpoint; answeredAt: number } | undefined;
  stopTimers: Array<() => void>;
}

export class SimCaller {
  readonly #o: CallerOptions;
  readonly #calls = new Map<string, OutgoingCall>();
  #placed = 0;
  #scheduled = false;

  constructor(options: CallerOptions) {
    this.#o = options;
  }

  /** Whether the provider placed this call (a ring with any other Call-ID is a ghost call). */
  placed(callId: string): boolean {
    return this.#calls.has(callId);
  }

  /** Starts placing calls: the first after `firstCallMs`, then one every `callEveryMs` (±20 %). */
  start(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const next = (ms: number): void => {
      this.#o.timers.after(ms, () => {
        this.placeCall();
        next(this.#o.random.jitter(this.#o.timing.callEveryMs));
      });
    };
    next(this.#o.timing.firstCallMs);
  }

  /** Places one call now, to the most recently registered Contact. */
  placeCall(): void {
    const contact = this.#o.contacts().at(-1);
    const target = contact === undefined ? null : hostPortOf(contact);
    if (contact === undefined || target === null) {
      this.#o.hooks.skipped(contact === undefined ? 'the phone is not registered' : `cannot reach ${contact}`);
      return;
    }
    const n = ++this.#placed;
    const who = CALLERS[(n - 1) % CALLERS.length]!;
    const { address, port } = this.#o.peer.address;
    const callId = `${this.#o.random.hex(20)}@${address}`;
    const inviteVia = `SIP/2.0/UDP ${address}:${port};branch=z9hG4bK${this.#o.random.hex(16)};rport`;
    const from = `"${who.name}" <sip:${who.number}@${this.#o.domain}>;tag=${this.#o.random.hex(10)}`;
    const headers: Header[] = [
      ['Via', inviteVia],
      ['Max-Forwards', '70'],
      ['From', from],
      ['To', `<${this.#o.aor}>`],
      ['Call-ID', callId],
      ['CSeq', '1 INVITE'],
      ['Contact', `<sip:${who.number}@${address}:${port}>`],
      ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS'],
      ['User-Agent', 'ghostguard-lab-provider/1.0'],
    ];
    const invite = request('INVITE', contact, headers, sdp(address, 30000 + n * 2));
    const call: OutgoingCall = {
      n,
      callId,
      invite,
      inviteVia,
      from,
      requestUri: contact,
      target,
      plan: n % 4 === 2 ? 'cancel' : 'answer',
      endBy: n % 3 === 0 ? 'phone' : 'provider',
      state: State.Inviting,
      dialog: undefined,
      stopTimers: [],
    };
    this.#calls.set(callId, call);
    this.#o.hooks.placed(callId, who.name, who.number, call.plan);
    this.#o.peer.send(target, invite);
    this.#after(call, this.#o.timing.callTimeoutMs, () => {
      if (call.state === State.Inviting || call.state === State.Ringing || call.state === State.Cancelling) this.#fail(call, null, 'no answer');
    });
    if (call.plan === 'cancel') this.#after(call, this.#o.timing.cancelAfterMs, () => this.#cancel(call));
  }

  /** A response for one of the provider's calls. */
  response(msg: SipMessage): void {
    const call = this.#calls.get(msg.get('Call-ID') ?? '');
    const cseq = msg.cseq();
    if (call === undefined || isSipError(cseq)) return;
    if (cseq.method === 'INVITE') this.#inviteResponse(call, msg);
    else if (cseq.method === 'BYE' && msg.status >= 200 && call.state === State.Ending) this.#end(call, 'provider');
  }

  /** A BYE from the phone's side; false when it names no call of ours. */
  bye(msg: SipMessage, reply: (text: string) => void): boolean {
    const call = this.#calls.get(msg.get('Call-ID') ?? '');
    if (call === undefined || call.state === State.Over) return false;
    reply(response(msg, 200, 'OK'));
    if (call.state === State.Talking || call.state === State.Ending) this.#end(call, 'phone');
    return true;
  }

  /** Calls not over yet. */
  get active(): number {
    return [...this.#calls.values()].filter((c) => c.state !== State.Over).length;
  }

  #inviteResponse(call: OutgoingCall, msg: SipMessage): void {
    if (msg.status < 200) {
      if (msg.status >= 180 && call.state === State.Inviting) call.state = State.Ringing;
      return;
    }
    if (msg.status < 300) return this.#answered(call, msg);
    // §17.1.1.3: a non-2xx final response is ACKed hop by hop, on the INVITE's branch.
    if (call.state === State.Over) return;
    this.#o.peer.send(call.target, this.#ackForError(call, msg));
    if (call.state === State.Cancelling && msg.status === 487) {
      this.#over(call);
      this.#o.hooks.cancelled(call.callId);
    } else {
      this.#fail(call, msg.status, `${msg.status} ${msg.reason}`);
    }
  }

  #answered(call: OutgoingCall, ok: SipMessage): void {
    if (call.dialog === undefined) {
      // §12.1.2: the route set is the Record-Route of the 2xx in reverse; the remote target its Contact.
      const route = ok.values('Record-Route').reverse();
      const remoteTarget = uriOf(ok.get('Contact') ?? call.requestUri);
      const next = hostPortOf(route.length > 0 ? uriOf(route[0]!) : remoteTarget) ?? call.target;
      call.dialog = { to: ok.get('To') ?? '', remoteTarget, route, next, answeredAt: this.#o.clock.now() };
    }
    const dialog = call.dialog;
    this.#o.peer.send(dialog.next, this.#inDialog(call, 'ACK', 1)); // also for a retransmitted 2xx (§13.2.2.4)
    if (call.state !== State.Inviting && call.state !== State.Ringing && call.state !== State.Cancelling) return;
    const raced = call.state === State.Cancelling;
    this.#stopTimers(call);
    call.state = State.Talking;
    this.#o.hooks.answered(call.callId);
    // A CANCEL that crossed the 200 changes nothing (§9.1): the caller then hangs up at once.
    if (raced) this.#hangUp(call);
    else if (call.endBy === 'provider') this.#after(call, this.#o.timing.talkMs, () => this.#hangUp(call));
    else this.#after(call, this.#o.timing.talkMs * 3, () => this.#hangUp(call)); // the phone should hang up first
  }

  #cancel(call: OutgoingCall): void {
    if (call.state !== State.Inviting && call.state !== State.Ringing) return;
    call.state = State.Cancelling;
    // §9.1: the CANCEL has the INVITE's Request-URI, Call-ID, To, From, top Via (branch) and CSeq number.
    const headers: Header[] = [
      ['Via', call.inviteVia],
      ['Max-Forwards', '70'],
      ['From', call.from],
      ['To', `<${this.#o.aor}>`],
      ['Call-ID', call.callId],
      ['CSeq', '1 CANCEL'],
    ];
    this.#o.peer.send(call.target, request('CANCEL', call.requestUri, headers));
  }

  #hangUp(call: OutgoingCall): void {
    if (call.state !== State.Talking || call.dialog === undefined) return;
    call.state = State.Ending;
    this.#o.peer.send(call.dialog.next, this.#inDialog(call, 'BYE', 2));
    this.#after(call, this.#o.timing.callTimeoutMs, () => {
      if (call.state === State.Ending) this.#end(call, 'provider'); // no 200 to the BYE: over all the same
    });
  }

  #end(call: OutgoingCall, by: 'provider' | 'phone'): void {
    const talked = call.dialog === undefined ? 0 : this.#o.clock.now() - call.dialog.answeredAt;
    this.#over(call);
    this.#o.hooks.ended(call.callId, by, talked);
  }

  #fail(call: OutgoingCall, status: number | null, why: string): void {
    this.#over(call);
    this.#o.hooks.failed(call.callId, status, why);
  }

  #over(call: OutgoingCall): void {
    call.state = State.Over;
    this.#stopTimers(call);
    // Keep the record a while: late retransmissions and the phone's ring report still find it.
    this.#o.timers.after(30_000, () => this.#calls.delete(call.callId));
  }

  #inDialog(call: OutgoingCall, method: 'ACK' | 'BYE', seq: number): string {
    const dialog = call.dialog!;
    const { address, port } = this.#o.peer.address;
    const headers: Header[] = [
      ['Via', `SIP/2.0/UDP ${address}:${port};branch=z9hG4bK${this.#o.random.hex(16)};rport`],
      ...dialog.route.map((r): Header => ['Route', r]),
      ['Max-Forwards', '70'],
      ['From', call.from],
      ['To', dialog.to],
      ['Call-ID', call.callId],
      ['CSeq', `${seq} ${method}`],
    ];
    return request(method, dialog.remoteTarget, headers);
  }

  #ackForError(call: OutgoingCall, msg: SipMessage): string {
    const headers: Header[] = [
      ['Via', call.inviteVia],
      ['Max-Forwards', '70'],
      ['From', call.from],
      ['To', msg.get('To') ?? `<${this.#o.aor}>`],
      ['Call-ID', call.callId],
      ['CSeq', '1 ACK'],
    ];
    return request('ACK', call.requestUri, headers);
  }

  #after(call: OutgoingCall, ms: number, fn: () => void): void {
    const timer = this.#o.timers.after(ms, fn);
    call.stopTimers.push(() => timer.cancel());
  }

  #stopTimers(call: OutgoingCall): void {
    for (const stop of call.stopTimers.splice(0)) stop();
  }
}

/** Where a sip URI (or a name-addr holding one) points: its host and port (5060 when it names none). */
export function hostPortOf(text: string): Endpoint | null {
  const inner = text.includes('<') ? parseNameAddr(text) : null;
  const uri = inner === null ? parseUri(text) : isSipError(inner) ? inner : inner.uri;
  if (isSipError(uri) || (uri.scheme !== 'sip' && uri.scheme !== 'sips')) return null;
  const sip = uri as SipUri;
  return { address: sip.host, port: sip.port ?? 5060 };
}
