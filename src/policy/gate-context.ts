/**
 * What the inbound gate needs to know about the world, as a small interface of questions. The proxy
 * answers them from its state (provider set, bindings, dialogs) and the defense layer from its own
 * (rate, bans, fingerprints); the gate itself holds no state and changes none.
 */
import type { SipMessage } from '../sip/message.js';
import type { SipUri, Uri } from '../sip/types.js';
import type { UnknownAction } from './verdict.js';

/** A binding as far as the gate cares: the proxy passes its own type (with the phone's contact, flow...). */
export interface AliasBinding {
  readonly aor: string;
}

/** A scanner fingerprint, from the defense layer's classifier: a label, never the gate. */
export interface Classification {
  /** e.g. `sipvicious`, `sippts`, `nmap` (lower-case). */
  readonly family: string;
  /** 0..1 */
  readonly confidence: number;
}

/** Per-source rate state reported by the defense layer. */
export type RateState = 'ok' | 'limited';

export interface GateContext<B extends AliasBinding = AliasBinding> {
  /** Source address ∈ provider set (RFC 3263 records, configured addresses, where REGISTER answers came from). */
  isProvider(address: string): boolean;
  /** The live binding an alias token names, or null (unknown or expired). */
  aliasFor(token: string): B | null;
  /**
   * Whether the guard knows this dialog. `localTag` is the tag of the side behind the guard (for a request
   * from the WAN: its To tag), `remoteTag` that of the side that sent it (its From tag).
   */
  knownDialog(callId: string, localTag: string | null, remoteTag: string | null): boolean;
  /** Whether a Route URI is one of the guard's own Record-Route entries. */
  ownRecordRoute(uri: Uri): boolean;
  /** Rate state of the source (defense layer), `now` when the caller has read the clock already. */
  rate(address: string, now?: number): RateState;
  /** `policy.unknown`: what a refused request gets. */
  readonly unknownAction: UnknownAction;
  /** The provider addresses calls to the phone number instead of the alias Contact: use the fallback. */
  readonly providerRewritesUri: boolean;
  /** Whether a local port is the WAN port that alias Contacts name (the fallback accepts calls only there). */
  isAliasPort(port: number): boolean;
  /** The bindings whose AOR user (or number) is `user`, for the fallback. */
  lookupByUser(user: string): readonly B[];
  /** Prefix of the branch of every Via the guard adds (starts with z9hG4bK): loop detection. */
  readonly ownBranchPrefix: string;
  /**
   * Whether a sip/sips URI names the guard itself (its WAN or public address). Optional: when given, a
   * refused request whose Request-URI names another host is labelled `open-relay`.
   */
  isOwnUri?(uri: SipUri): boolean;
  /** Scanner classifier (defense layer); labels refused requests. Default: none. */
  classify?(msg: SipMessage): Classification | null;
  /**
   * Leave the label for later: refusals come back with `labelPending`, and the caller runs
   * `labelNow()` only for the ones it records in full (the guard, where a flood's repeats are only
   * counted). Default: label at once.
   */
  readonly labelLater?: boolean;
}
