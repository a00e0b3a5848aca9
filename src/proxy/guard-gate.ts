/**
 * The questions the policy asks about the world (`policy/gate-context.ts`, `policy/lan-gate.ts`),
 * answered from the proxy's state: provider set, bindings, dialogs, the guard's own addresses.
 */
import type { Config } from '../config/config.js';
import { canonicalIp } from '../config/ip-address.js';
import type { Classification, GateContext, RateState } from '../policy/gate-context.js';
import type { LanContext } from '../policy/lan-gate.js';
import type { SipMessage } from '../sip/message.js';
import type { SipUri, Uri } from '../sip/types.js';
import type { Binding } from '../store/binding-store.js';
import { canonicalAliasToken } from './alias-token.js';
import type { DialogTable } from './dialog-table.js';
import type { GuardAddresses } from './guard-addresses.js';
import type { ProviderAddressBook } from './provider-book.js';
import { aorUser, type RegistrationRelay } from './registration-relay.js';
import type { RequestUriWatch } from './request-uri-watch.js';

export interface GuardGateDeps {
  readonly config: Config;
  readonly addresses: GuardAddresses;
  readonly providers: ProviderAddressBook;
  readonly registrations: RegistrationRelay;
  readonly bindings: () => readonly Binding[];
  readonly dialogs: DialogTable;
  readonly watch: RequestUriWatch;
  readonly branchPrefix: string;
  readonly rate?: (address: string, now?: number) => RateState;
  readonly classify?: (msg: SipMessage) => Classification | null;
}

function isSip(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

/** Digits of a number (`+81 3-1234-5678` → `81312345678`), or '' when it has none. */
function digits(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) out += text[i];
  }
  return out;
}

/** The WAN gate's context. */
export function wanGateContext(deps: GuardGateDeps): GateContext<Binding> {
  const { addresses, providers, registrations, dialogs, watch } = deps;
  return {
    isProvider: (address) => providers.has(address),
    aliasFor: (token) => {
      const canonical = canonicalAliasToken(token);
      return canonical === null ? null : (registrations.live(canonical) ?? null);
    },
    knownDialog: (callId, localTag, remoteTag) => dialogs.has(callId, localTag, remoteTag),
    ownRecordRoute: (uri) => isSip(uri) && addresses.isOurs(uri),
    rate: deps.rate ?? (() => 'ok'),
    unknownAction: deps.config.policy.unknown,
    get providerRewritesUri() {
      return watch.rewrites;
    },
    isAliasPort: (port) => port === addresses.wan.port || port === addresses.wanTlsPort,
    lookupByUser: (user) => bindingsByUser(deps.bindings(), user),
    ownBranchPrefix: deps.branchPrefix,
    isOwnUri: (uri) => addresses.isOurHost(uri),
    // Labelled when an event is recorded in full (message-pipeline.ts), not for a flood's repeats.
    ...(deps.classify === undefined ? {} : { classify: deps.classify, labelLater: true }),
  };
}

/** Live bindings whose AOR user is `user`, or the same number (digits only, at least 4 of them). */
export function bindingsByUser(bindings: readonly Binding[], user: string): Binding[] {
  const wanted = digits(user);
  return bindings.filter((b) => {
    const own = aorUser(b.aor);
    if (own === null) return false;
    if (own === user) return true;
    const number = digits(own);
    return number.length >= 4 && number.length === own.replace(/^\+/, '').length && number === wanted;
  });
}

/** The LAN gate's context. */
export function lanGateContext(deps: GuardGateDeps): LanContext {
  const { config, addresses, providers, dialogs } = deps;
  const registrar = config.provider.registrar?.host ?? null;
  return {
    isAllowed: (address) => config.lan.allow.has(address),
    isProviderDestination: (uri) => {
      if (!isSip(uri)) return false;
      const host = uri.host.toLowerCase();
      if (host === config.provider.domain || host === registrar) return true;
      const ip = canonicalIp(uri.host);
      return ip !== null && providers.has(ip);
    },
    isOwnUri: (uri) => isSip(uri) && addresses.isOurs(uri),
    knownDialog: (callId, localTag, remoteTag) => dialogs.has(callId, localTag, remoteTag),
    ownBranchPrefix: deps.branchPrefix,
  };
}
