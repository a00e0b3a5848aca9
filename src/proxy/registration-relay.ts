/**
 * The registration relay with contact aliasing (DESIGN §2, issue 3 item 2).
 *
 * A phone's REGISTER arrives on the LAN leg. The guard forwards it to the provider's registrar with
 * each Contact replaced by an alias `<sip:TOKEN@PUBLIC:WANPORT;transport=...>` that keeps the
 * Contact's header parameters (expires, q, +sip.instance, reg-id) and drops the phone's address; a
 * new top Via for the WAN leg (the phone's own Vias are hidden and restored on the way back);
 * Max-Forwards decremented; Request-URI, Call-ID, CSeq, From, To and Authorization as they are —
 * RFC 3261 §22.4: the digest covers the method and the Request-URI, not the Contact, so the
 * phone's credentials stay valid.
 *
 * Responses: a 401/407 challenge goes back unchanged except for the Vias. Every response teaches the
 * guard its public address (top Via `received`/`rport`, RFC 3581). A 2xx (§10.3 step 8: "The
 * registrar returns a 200 (OK) response. The response MUST contain Contact header field values
 * enumerating all current bindings") teaches each alias's expiry (its `expires` parameter, else the
 * Expires header), stores the bindings, and goes back with the phone's own Contact restored.
 * De-registration (expires=0, or `Contact: *` with Expires: 0, §10.2.2) removes the bindings after
 * the 2xx.
 *
 * Public address learning, the decision: the first REGISTER usually draws a 401 whose Via already
 * tells the public address, so the authenticated REGISTER carries the right alias. When a 2xx shows
 * that the alias just registered carried a wrong address, the guard cannot re-register by itself
 * (it has no credentials); it answers the phone with a short expiry (`refreshAfterChangeSeconds`,
 * default 60) so that the phone's next REGISTER, which gets the right alias, comes within a minute.
 *
 * Tokens are stable: a refresh from the same AOR and Contact (or the same +sip.instance, RFC 5626
 * §4.2) reuses the binding's token. The binding table is bounded (`maxBindings`): a REGISTER that
 * would need a new binding beyond it is answered 503.
 */
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import type { NameAddr, SipUri, Uri } from '../sip/types.js';
import type { Binding } from '../store/binding-store.js';
import type { ClientTransaction, ServerTransaction } from '../transaction/transaction-user.js';
import type { Flow } from '../transport/flow.js';
import { newAliasToken } from './alias-token.js';
import { answer } from './answer.js';
import { aliasContact, aliasUri, tokenOfUri } from './contact-alias.js';
import { decrementMaxForwards, finalize, forwardBranch, pushVia, restoreVias } from './forwarding.js';
import { viaTransport } from './leg-transports.js';
import { nameAddrParts, withParam } from './name-addr-parts.js';
import { flowRecord, type ProxyContext } from './proxy-context.js';
import { ownRouteCount, removeRoutes } from './record-route.js';
import { isStaleChallenge, type RegistrationAttempt, type RegistrationWatch } from '../defense/password/registration-watch.js';
import type { RegistrationReport } from './provider-health.js';

export interface RegistrationRelayOptions {
  /** Most bindings held at once (default 10 000). */
  readonly maxBindings?: number;
  /** Expiry assumed when neither the REGISTER nor the 2xx names one (RFC 3261 §10.2.1.1: 3600 s). */
  readonly defaultExpires?: number;
  /** Expiry told to the phone after the public address turned out wrong (default 60 s). */
  readonly refreshAfterChangeSeconds?: number;
  /** Password-guessing defense: asked before each REGISTER is forwarded, told the provider's answer. */
  readonly watch?: RegistrationWatch;
  /** Told each REGISTER's fate at the provider (provider health, `provider-health.ts`). */
  readonly onReport?: (report: RegistrationReport) => void;
}

export interface RegistrationStats {
  readonly forwarded: number;
  readonly registered: number;
  readonly deregistered: number;
  readonly challenged: number;
  readonly failed: number;
  readonly refusedFull: number;
}

/** One Contact of a REGISTER in flight: its alias token and the phone's own Contact. */
interface PendingContact {
  readonly token: string;
  /** The alias URI sent in this REGISTER. */
  readonly alias: string;
  readonly phoneContact: NameAddr;
  readonly requestedExpires: number;
  readonly existing: Binding | undefined;
}

interface PendingRegister {
  readonly server: ServerTransaction;
  readonly flow: Flow;
  readonly aor: string;
  readonly callId: string;
  readonly cseq: number;
  readonly star: boolean;
  readonly contacts: ReadonlyMap<string, PendingContact>;
  readonly attempt: RegistrationAttempt;
}

const DEFAULT_MAX_BINDINGS = 10_000;

/** The address-of-record of a To URI: scheme, user and host (RFC 3261 §10.3 step 5), without parameters. */
export function aorOf(uri: Uri): string {
  if (uri.scheme === 'sip' || uri.scheme === 'sips') {
    const sip = uri as SipUri;
    const host = sip.hostKind === 'ipv6' ? `[${sip.host.toLowerCase()}]` : sip.host.toLowerCase();
    return sip.user === null ? `${sip.scheme}:${host}` : `${sip.scheme}:${sip.user}@${host}`;
  }
  return uri.raw;
}

/** The user part of an AOR (`sip:0312345678@voip.example.test` → `0312345678`), or null. */
export function aorUser(aor: string): string | null {
  const colon = aor.indexOf(':');
  const at = aor.indexOf('@');
  return colon >= 0 && at > colon ? aor.slice(colon + 1, at) : null;
}

function sameContact(a: NameAddr, stored: string): boolean {
  const instance = a.params.get('+sip.instance');
  const storedParts = nameAddrParts(stored);
  if (instance != null && storedParts.params.toLowerCase().includes(`+sip.instance="${instance.toLowerCase()}"`)) return true;
  return nameAddrParts(a.raw).uri.toLowerCase() === storedParts.uri.toLowerCase();
}

/** The same alias URI: user, host and port (a registrar may reorder or drop URI parameters). */
function sameAlias(listed: string, sent: string): boolean {
  const strip = (uri: string): string => {
    const semi = uri.indexOf(';');
    return (semi < 0 ? uri : uri.slice(0, semi)).toLowerCase();
  };
  return strip(listed) === strip(sent);
}

function expiresParam(value: NameAddr): number | null {
  const text = value.params.get('expires');
  if (text == null || !/^[0-9]{1,10}$/.test(text)) return null;
  return Number(text);
}

export class RegistrationRelay {
  readonly #ctx: ProxyContext;
  readonly #maxBindings: number;
  readonly #defaultExpires: number;
  readonly #refreshAfterChange: number;
  readonly #watch: RegistrationWatch | undefined;
  readonly #onReport: (report: RegistrationReport) => void;
  /** The alias URI each binding was last registered with (to remove it when the public address changed). */
  readonly #registeredAs = new Map<string, string>();
  #pendingNew = 0;
  #forwarded = 0;
  #registered = 0;
  #deregistered = 0;
  #challenged = 0;
  #failed = 0;
  #refusedFull = 0;

  constructor(ctx: ProxyContext, options: RegistrationRelayOptions = {}) {
    this.#ctx = ctx;
    this.#maxBindings = options.maxBindings ?? DEFAULT_MAX_BINDINGS;
    this.#defaultExpires = options.defaultExpires ?? 3600;
    this.#refreshAfterChange = options.refreshAfterChangeSeconds ?? 60;
    this.#watch = options.watch;
    this.#onReport = options.onReport ?? (() => {});
  }

  /** A live binding by token (expired ones count as absent). */
  live(token: string): Binding | undefined {
    const binding = this.#ctx.bindings.getByToken(token);
    return binding !== undefined && binding.expiresAt > this.#ctx.clock.now() ? binding : undefined;
  }

  /** A REGISTER from a phone on the LAN leg, with its new server transaction. */
  handle(request: SipMessage, server: ServerTransaction, flow: Flow): void {
    const ctx = this.#ctx;
    const to = request.to();
    const contacts = request.contacts();
    const callId = request.callId();
    const cseq = request.cseq();
    const expiresHeader = request.expires();
    if (isSipError(to) || isSipError(contacts) || isSipError(callId) || isSipError(cseq) || isSipError(expiresHeader)) {
      answer(server, 400, 'Bad Request');
      return;
    }
    const target = ctx.providerTarget();
    const wanFlow = target === undefined ? undefined : ctx.transports.flowTo('wan', target.transport, target);
    if (target === undefined || wanFlow === undefined) {
      ctx.logger.warn('REGISTER not forwarded: the provider registrar is not known yet', { aor: aorOf(to.uri) });
      answer(server, 503, 'Service Unavailable', [['Retry-After', '30']]);
      return;
    }
    const aor = aorOf(to.uri);
    const attempt = { source: flow.remote.address, aor, credentials: request.has('Authorization') || request.has('Proxy-Authorization') };
    if (this.#watch !== undefined && !this.#watch.admit(attempt)) {
      // Password guessing on this account: a source that already failed waits (`password-guard.ts`).
      this.#failed++;
      ctx.logger.info('REGISTER refused: the account is under a password attack and this source failed recently', { aor, source: attempt.source });
      answer(server, 403, 'Forbidden');
      return;
    }
    const transport = viaTransport(wanFlow.transport);
    const at = ctx.addresses.wanSentBy(transport);
    const existing = ctx.bindings.listByAor(aor);
    const pending = new Map<string, PendingContact>();
    const aliases: string[] = [];
    let newOnes = 0;
    if (contacts !== '*') {
      for (const contact of contacts) {
        const found = existing.find((b) => sameContact(contact, b.phoneContact));
        const token = found?.token ?? newAliasToken();
        if (found === undefined) newOnes++;
        const requestedExpires = expiresParam(contact) ?? expiresHeader ?? this.#defaultExpires;
        const alias = aliasUri(token, at, transport);
        pending.set(token, { token, alias, phoneContact: contact, requestedExpires, existing: found });
        aliases.push(aliasContact(token, at, transport, nameAddrParts(contact.raw).params));
        // The public address changed since this binding was registered: remove the stale alias too.
        const stale = this.#registeredAs.get(token);
        if (stale !== undefined && stale !== alias) aliases.push(`<${stale}>;expires=0`);
      }
    }
    if (newOnes > 0 && ctx.bindings.size() + this.#pendingNew + newOnes > this.#maxBindings) {
      this.#refusedFull++;
      ctx.logger.warn('REGISTER refused: the binding table is full', { aor, max: this.#maxBindings });
      answer(server, 503, 'Service Unavailable', [['Retry-After', '300']]);
      return;
    }

    const copy = request.clone();
    copy.removeHeader('Via');
    removeRoutes(copy, ownRouteCount(request, ctx.addresses));
    decrementMaxForwards(copy, request);
    if (contacts !== '*') {
      copy.removeHeader('Contact');
      for (const alias of aliases) copy.addHeader('Contact', alias);
    }
    pushVia(copy, at, transport, forwardBranch(ctx.branchPrefix, request));
    const forwarded = finalize(copy);
    if (forwarded === null) {
      answer(server, 500, 'Server Internal Error');
      return;
    }
    const state: PendingRegister = { server, flow, aor, callId, cseq: cseq.seq, star: contacts === '*', contacts: pending, attempt };
    this.#pendingNew += newOnes;
    let settled = false;
    const settle = (): void => {
      if (!settled) this.#pendingNew -= newOnes;
      settled = true;
    };
    const sentAt = ctx.clock.now();
    const result = ctx.transactions.sendRequest(forwarded, {
      target: wanFlow,
      user: {
        onResponse: (response) => {
          if (response.status >= 200) settle();
          this.#onResponse(state, response);
        },
        onTimeout: () => {
          settle();
          this.#failed++;
          this.#onReport({ kind: 'no-answer', aor, at: ctx.clock.now(), why: 'timeout', waitedMs: ctx.clock.now() - sentAt });
          answer(server, 408, 'Request Timeout');
        },
        onTransportError: () => {
          settle();
          this.#failed++;
          this.#onReport({ kind: 'no-answer', aor, at: ctx.clock.now(), why: 'unreachable' });
          answer(server, 500, 'Provider Unreachable');
        },
        onTerminated: (done: ClientTransaction) => {
          if (done.request === forwarded) settle();
        },
      },
    });
    if (result.kind !== 'created') {
      settle();
      answer(server, 503, 'Service Unavailable');
      return;
    }
    this.#forwarded++;
  }

  /** Removes expired bindings; returns them. */
  purgeExpired(): Binding[] {
    const expired = this.#ctx.bindings.purgeExpired(this.#ctx.clock.now());
    for (const b of expired) this.#registeredAs.delete(b.token);
    const now = this.#ctx.clock.now();
    for (const aor of new Set(expired.map((b) => b.aor))) {
      if (!this.#bound(aor)) this.#onReport({ kind: 'expired', aor, at: now });
    }
    return expired;
  }

  stats(): RegistrationStats {
    return {
      forwarded: this.#forwarded,
      registered: this.#registered,
      deregistered: this.#deregistered,
      challenged: this.#challenged,
      failed: this.#failed,
      refusedFull: this.#refusedFull,
    };
  }

  #onResponse(state: PendingRegister, response: SipMessage): void {
    // §16.7 step 5: "a proxy MUST NOT forward a 100 (Trying) response".
    if (response.status === 100) return;
    if (response.status >= 200) {
      const stale = isStaleChallenge(response.get('WWW-Authenticate') ?? response.get('Proxy-Authenticate'));
      this.#watch?.outcome(state.attempt, response.status, stale);
    }
    const changed = this.#learnPublicAddress(response);
    const copy = response.clone();
    if (response.status >= 200 && response.status < 300) this.#accept(state, response, copy, changed);
    else if (response.status === 401 || response.status === 407) this.#challenged++;
    else if (response.status >= 300) this.#failed++;
    restoreVias(copy, state.server.request);
    state.server.respond(copy);
    if (response.status >= 200 || response.status === 401 || response.status === 407) {
      const at = this.#ctx.clock.now();
      this.#onReport({ kind: 'answer', aor: state.aor, at, status: response.status, reason: response.reason, bound: this.#bound(state.aor) });
    }
  }

  /** Does the account hold a live binding? */
  #bound(aor: string): boolean {
    const now = this.#ctx.clock.now();
    return this.#ctx.bindings.listByAor(aor).some((b) => b.expiresAt > now);
  }

  /** RFC 3581 §4: `received` and `rport` of our Via in the provider's response. */
  #learnPublicAddress(response: SipMessage): boolean {
    const via = response.topVia();
    if (isSipError(via)) return false;
    const rport = typeof via.rport === 'number' ? via.rport : null;
    if (via.received === null && rport === null) return false;
    const addresses = this.#ctx.addresses;
    const result = addresses.learnPublic(via.received, via.transport === 'UDP' ? rport : null);
    if (result !== 'changed') return false;
    this.#ctx.logger.info('learned the public address from the provider (Via received/rport)', {
      public: `${addresses.public.host}:${addresses.public.port}`,
    });
    this.#ctx.publicAddressLearned(addresses.public);
    return true;
  }

  /** A 2xx: store or remove bindings, restore the phones' Contacts in `copy`. */
  #accept(state: PendingRegister, response: SipMessage, copy: SipMessage, changed: boolean): void {
    const ctx = this.#ctx;
    const now = ctx.clock.now();
    const listed = response.contacts();
    const headerExpires = response.expires();
    const contacts = isSipError(listed) || listed === '*' ? [] : listed;
    const seen = new Map<string, number>();
    for (const c of contacts) {
      const token = tokenOfUri(c.uri);
      const sent = token === null ? undefined : state.contacts.get(token);
      if (sent !== undefined && sameAlias(nameAddrParts(c.raw).uri, sent.alias)) {
        seen.set(sent.token, expiresParam(c) ?? (isSipError(headerExpires) ? null : headerExpires) ?? sent.requestedExpires);
      }
    }
    if (state.star) {
      for (const b of ctx.bindings.listByAor(state.aor)) {
        ctx.bindings.remove(b.token);
        this.#registeredAs.delete(b.token);
        this.#deregistered++;
      }
    }
    for (const p of state.contacts.values()) {
      let expires = seen.get(p.token);
      if (expires === undefined && contacts.length === 0) {
        expires = (isSipError(headerExpires) ? null : headerExpires) ?? p.requestedExpires;
      }
      if (expires === undefined || expires === 0 || p.requestedExpires === 0) {
        if (ctx.bindings.remove(p.token)) this.#deregistered++;
        this.#registeredAs.delete(p.token);
        continue;
      }
      this.#registeredAs.set(p.token, p.alias);
      ctx.bindings.put({
        token: p.token,
        aor: state.aor,
        phoneContact: p.phoneContact.raw,
        flow: flowRecord(state.flow),
        expiresAt: now + expires * 1000,
        callId: state.callId,
        cseq: state.cseq,
        createdAt: p.existing?.createdAt ?? now,
        ...(p.existing?.lastCallAt !== undefined ? { lastCallAt: p.existing.lastCallAt } : {}),
      });
      this.#registered++;
    }
    this.#restoreContacts(state, contacts, copy, changed);
  }

  /** The 2xx towards the phone: every alias of ours becomes the phone's own Contact again. */
  #restoreContacts(state: PendingRegister, contacts: readonly NameAddr[], copy: SipMessage, shorten: boolean): void {
    if (contacts.length === 0) return;
    const values: string[] = [];
    for (const c of contacts) {
      const token = tokenOfUri(c.uri);
      const phone = token === null ? undefined : (state.contacts.get(token)?.phoneContact.raw ?? this.#ctx.bindings.getByToken(token)?.phoneContact);
      if (phone === undefined) {
        values.push(c.raw);
        continue;
      }
      let params = nameAddrParts(c.raw).params;
      const expires = expiresParam(c);
      if (shorten && expires !== null && expires > this.#refreshAfterChange) {
        params = withParam(params, 'expires', String(this.#refreshAfterChange));
      }
      values.push(`<${nameAddrParts(phone).uri}>${params}`);
    }
    copy.removeHeader('Contact');
    for (const v of values) copy.addHeader('Contact', v);
    if (shorten) {
      const header = copy.get('Expires');
      if (header !== undefined && Number(header) > this.#refreshAfterChange) copy.setHeader('Expires', String(this.#refreshAfterChange));
    }
  }
}
