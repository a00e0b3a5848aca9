/**
 * What happens to every message the guard receives (the request lifecycle, DESIGN §2 and §3):
 *
 * ```
 *  bytes ─► banned? ─► parse ─► response? ── transaction layer ─► the relay that sent the request
 *   (WAN)    drop       │ SipError: drop, `malformed` / `too-large`
 *                       ▼
 *                 request on the WAN leg                       request on the LAN leg
 *   ACK / CANCEL matching a transaction: no gate          LAN gate (lan.allow, open relay, 483/482)
 *   provider Request-URI watch (token or number?)                 │
 *   inbound gate (provider set, alias/dialog, rate, 483/482)      │
 *        │ drop / reject: event (reasons, family, explanation) ◄──┤
 *        ▼ relay                                                  ▼ relay
 *   transaction layer (new | absorbed retransmission | ACK) ─► registration relay / call relay
 * ```
 *
 * A refused request becomes an event only when it is the first of its source and primary reason in
 * the aggregation window (then it is labelled by the fingerprints and explained); the rest of a
 * flood is counted into that row (`EventSink.bump`), which is what keeps a flood cheap. With WAN
 * reader processes (`wan-readers/`), most of a flood's requests do not even come here whole: the
 * readers refuse them for the guard and hand over a tally (`strangerRequests`).
 *
 * The gate runs before the transaction layer, so a stranger's request never creates a transaction.
 * Only an ACK (which creates none) and a CANCEL that matches a pending INVITE from the same source
 * are matched first: they belong to a transaction the gate already let through. A rejected request
 * is answered statelessly (§16.3: the 403/404 of `policy.unknown`, 400, 482, 483).
 */
import { decideBanned, decideInbound, decideUnparsable, labelNow } from '../policy/inbound-gate.js';
import type { GateContext } from '../policy/gate-context.js';
import { decideLanRequest, type LanContext } from '../policy/lan-gate.js';
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import type { SipUri } from '../sip/types.js';
import { parseMessage } from '../sip/parse.js';
import type { Binding } from '../store/binding-store.js';
import type { EventSink } from '../store/event-store.js';
import type { GuardEvent, Leg } from '../store/guard-event.js';
import { drop, type Verdict } from '../policy/verdict.js';
import { buildResponse } from '../transaction/build-response.js';
import type { ServerTransaction } from '../transaction/transaction-user.js';
import { makeFlow, type Endpoint, type Flow } from '../transport/flow.js';
import type { DropReport, Received } from '../transport/transport.js';
import type { TallyReason } from './wan-readers/reader-protocol.js';
import { newAliasToken } from './alias-token.js';
import type { CallRelay } from './call-relay.js';
import { tokenOfUri } from './contact-alias.js';
import { guardEvent } from './guard-event.js';
import { tagOf } from './message-facts.js';
import type { GuardStats } from './guard-stats.js';
import type { ProxyContext } from './proxy-context.js';
import type { RegistrationRelay } from './registration-relay.js';
import type { RequestUriWatch } from './request-uri-watch.js';

export interface PipelineDeps {
  readonly ctx: ProxyContext;
  readonly providerDomain: string;
  readonly registrations: RegistrationRelay;
  readonly calls: CallRelay;
  readonly wanGate: GateContext<Binding>;
  readonly lanGate: LanContext;
  readonly watch: RequestUriWatch;
  readonly events: EventSink;
  readonly stats: GuardStats;
  readonly isBanned: (address: string) => boolean;
  /** Live bindings whose AOR user is this user (the Request-URI watch). */
  readonly bindingsByUser: (user: string) => readonly Binding[];
}

/** The remote address of events from sources counted without names (as on the overflow row). */
const UNNAMED_SOURCE = '*';

/** The decisions a WAN reader's tally stands for (`strangerRequests`), made once. */
const TALLIED: Readonly<Record<TallyReason | 'banned' | 'flood', Verdict>> = Object.freeze({
  'not-from-provider': drop(['not-from-provider']),
  flood: drop(['not-from-provider', 'flood']),
  malformed: drop(['malformed']),
  'too-large': drop(['too-large']),
  banned: drop(['banned']),
});

export class MessagePipeline {
  readonly #d: PipelineDeps;

  constructor(deps: PipelineDeps) {
    this.#d = deps;
  }

  /** One received message. Never throws on what it received. */
  receive(leg: Leg, received: Received): void {
    const { ctx, stats } = this.#d;
    const { flow, data } = received;
    const source = flow.remote.address;
    if (leg === 'wan') {
      const banned = decideBanned(source, { isBanned: this.#d.isBanned, isProvider: (a) => ctx.providers.has(a) });
      if (banned !== null) {
        stats.message(leg, null);
        this.#refused(leg, received.flow, received.data, null, banned);
        return;
      }
    }
    const framing = flow.transport === 'tcp' || flow.transport === 'tls' ? 'stream' : 'datagram';
    const msg = parseMessage(data, { framing });
    if (isSipError(msg)) {
      stats.message(leg, null);
      this.#refused(leg, received.flow, received.data, null, decideUnparsable(msg, source, { isProvider: (a) => ctx.providers.has(a) }));
      return;
    }
    stats.message(leg, msg.isRequest ? msg.method : null, !msg.isRequest);
    if (!msg.isRequest) this.#response(leg, msg, received);
    else if (leg === 'wan') this.#wanRequest(msg, received);
    else this.#lanRequest(msg, received);
  }

  /**
   * Requests a WAN reader process refused on the guard's behalf (`wan-readers/`): `count` requests
   * from one stranger, whose decision was never in doubt (dropped: `reason`, or `banned` once the
   * source is banned). Each gets what `receive` gives such a request after its decision: the
   * stats, the rate limiter (so floods are still banned), the refusal count (so are guessers and
   * scanners), and its count in the source's event row. A row opened here has no message to label
   * or quote: the reader hands a source's first request over whole, so this happens only when the
   * reader's hand-over budget was spent.
   */
  strangerRequests(local: Endpoint, source: string, port: number, reason: TallyReason, method: string | null, count: number, now: number): void {
    const { ctx, stats } = this.#d;
    if (ctx.providers.has(source)) {
      // The provider's address reached the reader later than the provider's requests did.
      stats.proxy('wan-reader-provider-missed', count);
      return;
    }
    for (let i = 0; i < count; i++) {
      let verdict: Verdict;
      if (this.#d.isBanned(source)) {
        stats.message('wan', null);
        verdict = TALLIED.banned;
      } else if (reason !== 'not-from-provider') {
        stats.message('wan', null);
        verdict = TALLIED[reason];
      } else {
        stats.message('wan', method);
        verdict = this.#d.wanGate.rate(source, now) === 'limited' ? TALLIED.flood : TALLIED['not-from-provider'];
      }
      stats.verdict('wan', 'drop', verdict.reasons[0]!);
      // #event's work, without a closure per request (a tally may hold thousands) and at the tally's time.
      if (this.#d.events.bump?.(now, source, verdict.reasons[0]!) !== undefined) continue;
      this.#d.events.record(guardEvent({ time: now, flow: makeFlow('udp', local, { address: source, port }), leg: 'wan', verdict, msg: null, providerDomain: this.#d.providerDomain }));
    }
  }

  /**
   * Requests a WAN reader refused from sources it had not sighted before, while a flood of new
   * sources spent its hand-over budget: `count` of them, counted without names (`reader-core.ts`).
   * The guard alone would have decided the same for each (a first sighting is never rate-limited:
   * `doorkeeper.ts`); they count in the stats and in the event window's overflow row.
   */
  unnamedRequests(local: Endpoint, reason: TallyReason, method: string | null, count: number, now: number): void {
    const { stats, events } = this.#d;
    const verdict = TALLIED[reason];
    stats.message('wan', reason === 'not-from-provider' ? method : null, false, count);
    stats.verdict('wan', 'drop', verdict.reasons[0]!, count);
    const first = (): GuardEvent =>
      guardEvent({ time: now, flow: makeFlow('udp', local, { address: UNNAMED_SOURCE, port: 0 }), leg: 'wan', verdict, msg: null, providerDomain: this.#d.providerDomain });
    if (events.countUnnamed !== undefined) events.countUnnamed(now, count, first);
    else for (let i = 0; i < count; i++) events.record(first());
  }

  /**
   * A transport refused bytes before they became a message (STYLE principle 4: nothing is
   * swallowed): too large, or a stream that cannot be framed, is an event like a malformed datagram;
   * connection-level refusals (idle, slow, too many connections, TLS handshake) are counted.
   */
  transportDrop(leg: Leg, report: DropReport): void {
    const { stats } = this.#d;
    const reason = report.reason === 'too-large' ? 'too-large' : report.reason === 'bad-framing' ? 'malformed' : null;
    if (reason === null) {
      stats.proxy(`${leg}-transport-${report.reason}`);
      return;
    }
    const verdict = drop([reason], { note: report.detail, neverBan: this.#d.ctx.providers.has(report.flow.remote.address) });
    stats.verdict(leg, 'drop', reason);
    this.#d.events.record(guardEvent({ time: report.at, flow: report.flow, leg, verdict, msg: null, providerDomain: this.#d.providerDomain }));
  }

  #response(leg: Leg, msg: SipMessage, received: Received): void {
    const { ctx, stats } = this.#d;
    const result = ctx.transactions.receiveResponse(msg, received.flow);
    if (result.kind === 'matched') {
      if (!result.passedUp) stats.proxy('response-retransmission-absorbed');
      // Issue 3 item 3: "plus the addresses REGISTER responses really came from".
      if (leg === 'wan' && result.transaction.request.method === 'REGISTER') {
        ctx.providers.learn(received.flow.remote.address, { reason: 'answered a REGISTER' });
      }
    } else if (result.kind === 'stray') {
      // §16.7 would forward it statelessly; the phones' Vias are hidden, so it is dropped and counted.
      stats.proxy(`${leg}-stray-response`);
    } else {
      stats.proxy(`${leg}-invalid-response`);
    }
  }

  #wanRequest(msg: SipMessage, received: Received): void {
    const { ctx, calls } = this.#d;
    const flow = received.flow;
    if (msg.method === 'ACK') {
      const matched = ctx.transactions.receiveRequest(msg, flow);
      if (matched.kind === 'absorbed') return this.#d.stats.proxy('ack-absorbed');
      if (matched.kind === 'ack-for-2xx') {
        this.#d.stats.verdict('wan', 'relay', null);
        return calls.ack(msg, flow, 'wan');
      }
    } else if (msg.method === 'CANCEL' && ctx.transactions.findCancelTarget(msg, flow) !== undefined) {
      this.#d.stats.verdict('wan', 'relay', null);
      return this.#transact('wan', msg, received, (server) => calls.cancel(msg, server, flow));
    } else if (msg.method === 'INVITE') {
      this.#watchRequestUri(msg, flow.remote.address);
    }
    const verdict = decideInbound({ msg, flow }, this.#d.wanGate);
    if (verdict.action !== 'relay') return this.#refused('wan', received.flow, received.data, msg, verdict);
    this.#d.stats.verdict('wan', 'relay', verdict.reasons[0] ?? null);
    if (msg.method === 'ACK') return calls.ack(msg, flow, 'wan');
    if (msg.method === 'CANCEL') return this.#transact('wan', msg, received, (server) => calls.cancel(msg, server, flow));
    this.#transact('wan', msg, received, (server) => calls.fromWan(msg, server, flow, verdict.targets));
  }

  #lanRequest(msg: SipMessage, received: Received): void {
    const { calls, registrations } = this.#d;
    const flow = received.flow;
    const verdict = decideLanRequest({ msg, flow }, this.#d.lanGate);
    if (verdict.action !== 'relay') return this.#refused('lan', received.flow, received.data, msg, verdict);
    this.#d.stats.verdict('lan', 'relay', null);
    if (msg.method === 'ACK') {
      const matched = this.#d.ctx.transactions.receiveRequest(msg, flow);
      if (matched.kind === 'absorbed') return this.#d.stats.proxy('ack-absorbed');
      return calls.ack(msg, flow, 'lan');
    }
    if (msg.method === 'REGISTER') return this.#transact('lan', msg, received, (server) => registrations.handle(msg, server, flow));
    if (msg.method === 'CANCEL') return this.#transact('lan', msg, received, (server) => calls.cancel(msg, server, flow));
    this.#transact('lan', msg, received, (server) => calls.fromLan(msg, server, flow));
  }

  /** Hands a request the gate let through to the transaction layer; a new transaction goes to `handle`. */
  #transact(leg: Leg, msg: SipMessage, received: Received, handle: (server: ServerTransaction) => void): void {
    const result = this.#d.ctx.transactions.receiveRequest(msg, received.flow);
    switch (result.kind) {
      case 'new':
        handle(result.transaction);
        return;
      case 'absorbed':
        this.#d.stats.proxy('retransmission-absorbed');
        return;
      case 'refused':
        this.#d.stats.proxy('transaction-table-full');
        this.#d.ctx.logger.warn('request dropped: the transaction table is full', { leg, method: msg.method });
        return;
      default:
        this.#d.stats.proxy(`${leg}-${result.kind}`);
    }
  }

  /** Issue 3 item 4: does the provider keep our token in the Request-URI? (Out-of-dialog INVITEs from the provider only.) */
  #watchRequestUri(msg: SipMessage, source: string): void {
    if (!this.#d.ctx.providers.has(source) || tagOf(msg.to()) !== null) return;
    const uri = msg.uri();
    if (isSipError(uri)) return;
    const token = tokenOfUri(uri);
    if (token !== null && this.#d.registrations.live(token) !== undefined) return this.#d.watch.observe('token');
    // Only a Request-URI that names this guard (or a tel: number) can be a provider's rewrite; one
    // that names another host is refused by the gate as an open-relay attempt and says nothing.
    const sipUri = uri.scheme === 'sip' || uri.scheme === 'sips' ? (uri as SipUri) : null;
    if (sipUri !== null && !this.#d.ctx.addresses.isOurHost(sipUri)) return;
    const user = uri.scheme === 'tel' ? (uri as { number: string }).number : (sipUri?.user ?? null);
    if (user != null && this.#d.bindingsByUser(user).length > 0) this.#d.watch.observe('number');
  }

  /**
   * Carries out a drop or a reject, and records the event: in full (labelled, explained) when it is
   * the first of its source and reason in the aggregation window, else only counted into that row,
   * which is all a flood's repeats cost.
   */
  #refused(leg: Leg, flow: Flow, data: Buffer | undefined, msg: SipMessage | null, verdict: Verdict): void {
    const { ctx, stats } = this.#d;
    stats.verdict(leg, verdict.action, verdict.reasons[0] ?? null);
    if (verdict.action === 'reject' && msg !== null && verdict.status !== undefined) {
      const response = buildResponse(msg, verdict.status, reasonPhrase(verdict.status), { toTag: newAliasToken().slice(0, 12) });
      if (!isSipError(response)) ctx.sendStateless(response, flow);
    }
    this.#event(flow.remote.address, verdict, (time) => {
      const full = msg === null ? verdict : labelNow(verdict, msg, this.#d.wanGate);
      return guardEvent({ time, flow, leg, verdict: full, msg, ...(data === undefined ? {} : { data }), providerDomain: this.#d.providerDomain });
    });
  }

  /** Counts a refusal into its source's event row, or records it in full (`event`) when it opens one. */
  #event(source: string, verdict: Verdict, event: (time: number) => GuardEvent): void {
    const time = this.#d.ctx.clock.now();
    const primary = verdict.reasons[0] ?? null;
    if (primary !== null && this.#d.events.bump?.(time, source, primary) !== undefined) return;
    this.#d.events.record(event(time));
  }
}

function reasonPhrase(status: number): string {
  switch (status) {
    case 400:
      return 'Bad Request';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not Found';
    case 482:
      return 'Loop Detected';
    case 483:
      return 'Too Many Hops';
    default:
      return 'Refused';
  }
}
