/**
 * Pass 1 of the analyzer: learns the provider and the phones from what the capture shows (DESIGN.md §2:
 * the provider set includes "where REGISTER responses actually came from").
 *
 * Evidence, strongest first:
 * - a REGISTER answered 2xx by the address it was sent to: that address is a registrar (the provider)
 *   and the sender a phone; a 401/407 challenge counts when no REGISTER was accepted anywhere;
 * - an INVITE answered 18x/2xx by a phone that carries Record-Route or is addressed (To) to a
 *   registered account: its source is the provider too (providers often send calls from a proxy that
 *   is not the registrar).
 * Requests the scanner fingerprints recognize are never evidence (svcrack guesses passwords with
 * REGISTERs, and a PBX answers them 401).
 *
 * Memory is bounded whatever the capture holds: pending transactions, candidates and sets are capped.
 */
import { classify } from '../defense/fingerprint/classify.js';
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parse.js';
import { isSipUri } from '../policy/alias-token.js';
import { unescapePercent } from '../sip/text.js';
import { BoundedMap } from './bounded-map.js';
import type { CapturedMessage } from './capture/captured-message.js';
import { ownString, type SipFacts } from './sip-facts.js';
import type { Topology } from './topology.js';

const PENDING_CAP = 20_000;
/** Pending REGISTERs keep a copy of their bytes: fewer of them. */
const PENDING_REGISTER_CAP = 5_000;
const CANDIDATE_CAP = 1_000;
const SET_CAP = 10_000;
/** The provider's name in explanations when the capture shows none. */
const NO_PROVIDER = '(not seen in this capture)';

interface PendingRegister {
  readonly phone: string;
  readonly registrar: string;
  readonly users: readonly string[];
  readonly domain: string | null;
  /** A copy of the request: fingerprinted only if it is answered (most scanner REGISTERs are not). */
  readonly bytes: Buffer;
  readonly transport: CapturedMessage['transport'];
  scanner?: boolean;
}

interface PendingInvite {
  readonly source: string;
  readonly phone: string;
  readonly recordRoute: boolean;
  readonly toUser: string | null;
}

interface Registrar {
  accepted: number;
  challenged: number;
  readonly phones: Set<string>;
  readonly challengedPhones: Set<string>;
  readonly domains: Map<string, number>;
}

interface InviteSource {
  answered: number;
  readonly phones: Set<string>;
  readonly evidence: Set<'Record-Route' | 'To'>;
}

/** A provider given on the command line (then only the phones are learned). */
export interface GivenProvider {
  readonly isProvider: (address: string) => boolean;
  readonly names: readonly string[];
  /** The provider's domain when it was given by name. */
  readonly domain?: string | null;
}

export class TopologyCollector {
  private readonly registers = new BoundedMap<string, PendingRegister>(PENDING_REGISTER_CAP);
  private readonly invites = new BoundedMap<string, PendingInvite>(PENDING_CAP);
  private readonly registrars = new Map<string, Registrar>();
  private readonly answeredInvites = new BoundedMap<string, PendingInvite>(PENDING_CAP);
  private readonly accounts = new Set<string>();
  private readonly outgoing = new Map<string, Set<string>>();

  constructor(private readonly given: GivenProvider | null = null) {}

  add(captured: CapturedMessage, facts: SipFacts): void {
    const msg = facts.msg;
    if (msg === null || facts.callId === null || facts.cseqSeq === null) return;
    const key = ownString(`${facts.cseqSeq} ${facts.callId}`);
    if (facts.isRequest) {
      if (facts.method === 'REGISTER') this.onRegister(key, captured, msg);
      else if (facts.method === 'INVITE' && facts.toTag === null) this.onInvite(key, captured, msg);
      return;
    }
    const status = facts.status ?? 0;
    if (facts.cseqMethod === 'REGISTER') this.onRegisterResponse(key, captured, status);
    else if (facts.cseqMethod === 'INVITE' && status >= 180 && status < 300) this.onInviteAnswer(key, captured);
  }

  private onRegister(key: string, captured: CapturedMessage, msg: SipMessage): void {
    if (this.given !== null && !this.given.isProvider(captured.dst.address)) return;
    const uri = msg.uri();
    const domain = !isSipError(uri) && isSipUri(uri) ? ownString(uri.host.toLowerCase()) : null;
    const users: string[] = [];
    const to = msg.to();
    if (!isSipError(to) && isSipUri(to.uri) && to.uri.user !== null) users.push(ownString(unescapePercent(to.uri.user)));
    const contacts = msg.contacts();
    if (!isSipError(contacts) && contacts !== '*') {
      for (const c of contacts) if (isSipUri(c.uri) && c.uri.user !== null) users.push(ownString(unescapePercent(c.uri.user)));
    }
    const bytes = Buffer.from(captured.bytes);
    this.registers.set(key, { phone: captured.src.address, registrar: captured.dst.address, users, domain, bytes, transport: captured.transport });
  }

  private onRegisterResponse(key: string, captured: CapturedMessage, status: number): void {
    const pending = this.registers.get(key);
    if (pending === undefined || pending.registrar !== captured.src.address || pending.phone !== captured.dst.address) return;
    const accepted = status >= 200 && status < 300;
    const challenged = status === 401 || status === 407;
    if (!accepted && !challenged) return;
    if (pending.scanner === undefined) pending.scanner = isScanner(pending);
    if (pending.scanner) return;
    let registrar = this.registrars.get(pending.registrar);
    if (registrar === undefined) {
      if (this.registrars.size >= CANDIDATE_CAP) return;
      registrar = { accepted: 0, challenged: 0, phones: new Set(), challengedPhones: new Set(), domains: new Map() };
      this.registrars.set(pending.registrar, registrar);
    }
    if (accepted) {
      this.registers.delete(key);
      registrar.accepted++;
      if (registrar.phones.size < SET_CAP) registrar.phones.add(pending.phone);
      for (const user of pending.users) if (this.accounts.size < SET_CAP) this.accounts.add(user);
    } else {
      registrar.challenged++;
      if (registrar.challengedPhones.size < SET_CAP) registrar.challengedPhones.add(pending.phone);
    }
    if (pending.domain !== null && registrar.domains.size < 16) registrar.domains.set(pending.domain, (registrar.domains.get(pending.domain) ?? 0) + 1);
  }

  private onInvite(key: string, captured: CapturedMessage, msg: SipMessage): void {
    if (this.given !== null && this.given.isProvider(captured.dst.address)) {
      this.noteOutgoing(captured.src.address, captured.dst.address);
      return;
    }
    const rr = msg.recordRoutes();
    const recordRoute = !isSipError(rr) && rr.length > 0;
    const to = msg.to();
    const toUser = !isSipError(to) && isSipUri(to.uri) && to.uri.user !== null ? ownString(unescapePercent(to.uri.user)) : null;
    // Only an INVITE that can be evidence is worth the classifier's time (REGISTERs usually come first).
    const mayCount = this.given !== null || recordRoute || (toUser !== null && this.accounts.has(toUser));
    if (!mayCount || (this.given === null && classify(msg) !== null)) return;
    this.invites.set(key, { source: captured.src.address, phone: captured.dst.address, recordRoute, toUser });
  }

  private onInviteAnswer(key: string, captured: CapturedMessage): void {
    const pending = this.invites.get(key);
    if (pending === undefined || pending.phone !== captured.src.address || pending.source !== captured.dst.address) return;
    this.answeredInvites.set(key, pending);
  }

  private noteOutgoing(phone: string, provider: string): void {
    let set = this.outgoing.get(provider);
    if (set === undefined) {
      if (this.outgoing.size >= CANDIDATE_CAP) return;
      this.outgoing.set(provider, (set = new Set()));
    }
    if (set.size < SET_CAP) set.add(phone);
  }

  finish(): Topology {
    const providers = new Set<string>();
    const evidence: string[] = [];
    const phones = new Set<string>();
    const phoneEvidence: string[] = [];
    const domains = new Map<string, number>();

    const anyAccepted = [...this.registrars.values()].some((r) => r.accepted > 0);
    const qualifying = [...this.registrars].filter(([, r]) => (anyAccepted ? r.accepted > 0 : r.challenged > 0));
    const registrantsOf = (r: Registrar) => (anyAccepted ? r.phones : r.challengedPhones);
    const registrants = new Set(qualifying.flatMap(([, r]) => [...registrantsOf(r)]));
    for (const [address, r] of qualifying) {
      const registered = registrantsOf(r);
      for (const phone of registered) phones.add(phone);
      if (registrants.has(address)) {
        // A PBX: its own phones register with it, and it registers with the provider.
        evidence.push(`${address} is not the provider: it answers REGISTERs of ${plural(registered.size, 'phone')} but registers with a registrar itself (a PBX on the phone side)`);
        phoneEvidence.push(...[...registered].slice(0, 20).map((p) => `${p}: registered with the PBX ${address}`));
        continue;
      }
      providers.add(address);
      for (const [domain, n] of r.domains) domains.set(domain, (domains.get(domain) ?? 0) + n);
      const how = anyAccepted ? `${plural(r.accepted, 'REGISTER')} answered 2xx from there` : `${plural(r.challenged, 'REGISTER')} challenged 401/407 from there (none accepted)`;
      evidence.push(`${address}: ${how}, from ${plural(registered.size, 'phone')} (${[...registered].slice(0, 3).join(', ')}${registered.size > 3 ? ', ...' : ''})`);
      phoneEvidence.push(...[...registered].slice(0, 20).map((p) => `${p}: registered with ${address}`));
    }

    const inviteSources = new Map<string, InviteSource>();
    for (const invite of this.answeredInvites.values()) {
      if (this.given !== null) {
        if (this.given.isProvider(invite.source) && !phones.has(invite.phone) && phones.size < SET_CAP) {
          phones.add(invite.phone);
          phoneEvidence.push(`${invite.phone}: answered calls from the provider ${invite.source}`);
        }
        continue;
      }
      if (providers.has(invite.source)) continue;
      const byTo = invite.toUser !== null && this.accounts.has(invite.toUser);
      const toPhone = phones.size === 0 || phones.has(invite.phone);
      if (!toPhone || (!invite.recordRoute && !byTo)) continue;
      let s = inviteSources.get(invite.source);
      if (s === undefined) inviteSources.set(invite.source, (s = { answered: 0, phones: new Set(), evidence: new Set() }));
      s.answered++;
      s.phones.add(invite.phone);
      if (invite.recordRoute) s.evidence.add('Record-Route');
      if (byTo) s.evidence.add('To');
    }
    for (const [address, s] of inviteSources) {
      if (phones.has(address)) continue;
      providers.add(address);
      const why = [...s.evidence].map((e) => (e === 'To' ? 'addressed to a registered account' : 'with Record-Route')).join(' and ');
      evidence.push(`${address}: ${plural(s.answered, 'INVITE')} ${why} answered 18x/2xx by ${[...s.phones].slice(0, 3).join(', ')}`);
      for (const phone of s.phones) {
        if (!phones.has(phone) && phones.size < SET_CAP) {
          phones.add(phone);
          phoneEvidence.push(`${phone}: answered calls from the provider ${address}`);
        }
      }
    }

    const given = this.given;
    if (given !== null) {
      for (const [provider, senders] of this.outgoing) {
        for (const phone of senders) {
          if (!phones.has(phone) && !given.isProvider(phone) && phones.size < SET_CAP) {
            phones.add(phone);
            phoneEvidence.push(`${phone}: placed calls through the provider ${provider}`);
          }
        }
      }
    }
    const domain = [...domains.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const isPhone = (address: string) => phones.has(address);
    if (given !== null) {
      return {
        isProvider: given.isProvider,
        isPhone,
        provider: { origin: 'option', names: given.names, domain: domain ?? given.domain ?? given.names[0] ?? NO_PROVIDER, evidence: ['given with --provider'] },
        phones: [...phones],
        phoneEvidence,
        accounts: this.accounts,
      };
    }
    const names = [...providers];
    return {
      isProvider: (address) => providers.has(address),
      isPhone,
      provider: { origin: names.length > 0 ? 'inferred' : 'none', names, domain: domain ?? names[0] ?? NO_PROVIDER, evidence },
      phones: [...phones],
      phoneEvidence,
      accounts: this.accounts,
    };
  }
}

/** Whether the scanner fingerprints recognize a kept REGISTER. */
function isScanner(pending: PendingRegister): boolean {
  const msg = parseMessage(pending.bytes, { framing: pending.transport === 'tcp' ? 'stream' : 'datagram' });
  return isSipError(msg) || classify(msg) !== null;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
