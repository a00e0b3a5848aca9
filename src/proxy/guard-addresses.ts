/**
 * The addresses the guard shows on each leg, and how it recognises its own: the sent-by of the Vias
 * it adds (RFC 3261 §16.6 step 8), the Record-Route URIs it inserts (§16.6 step 4), the host and port
 * of alias Contacts, and the Route values that name it (§16.4).
 *
 * WAN: the public address is `wan.public` when configured (fixed: a guard behind a port forward knows
 * it), else learned from the `received` / `rport` of the top Via of the provider's responses to our
 * requests (RFC 3581 §4: "the server MUST insert a "received" parameter ... and an rport parameter
 * containing the source port"), else a first guess (the WAN listen address, or the first non-internal
 * interface address when it listens on a wildcard). Earlier public addresses stay recognised as ours
 * (a few, bounded), so that dialogs set up before a change still route.
 */
import { canonicalIp } from '../config/ip-address.js';
import { formatEndpoint, type Endpoint } from '../transport/flow.js';
import type { SipUri } from '../sip/types.js';

export type LegTransport = 'udp' | 'tcp' | 'tls';

export interface HostAndPort {
  readonly host: string;
  readonly port: number;
}

export interface GuardAddressesOptions {
  /** The LAN listen address (an IP literal) and port. */
  readonly lan: Endpoint;
  /** The WAN listen address (may be a wildcard) and the bound WAN port. */
  readonly wan: Endpoint;
  /** The WAN TLS port, when TLS listens. */
  readonly wanTlsPort?: number | null;
  /** The LAN TLS port, when TLS listens on the LAN leg (phones across the internet). */
  readonly lanTlsPort?: number | null;
  /** `wan.public`: fixed, never learned. A null port means the WAN port. */
  readonly configuredPublic?: { readonly host: string; readonly port: number | null } | null;
  /** The first guess (or the address learned before a restart) while nothing is configured or learned yet. */
  readonly initialPublic: HostAndPort;
}

export type LearnResult = 'unchanged' | 'changed' | 'configured';

/** Earlier public addresses still recognised as ours. */
const MAX_PREVIOUS = 4;

export class GuardAddresses {
  readonly lan: Endpoint;
  readonly wan: Endpoint;
  readonly wanTlsPort: number | null;
  readonly lanTlsPort: number | null;
  readonly #configured: boolean;
  #public: HostAndPort;
  readonly #previous: HostAndPort[] = [];
  #ours = new Set<string>();
  #hosts = new Set<string>();

  constructor(options: GuardAddressesOptions) {
    this.lan = options.lan;
    this.wan = options.wan;
    this.wanTlsPort = options.wanTlsPort ?? null;
    this.lanTlsPort = options.lanTlsPort ?? null;
    const configured = options.configuredPublic ?? null;
    this.#configured = configured !== null;
    this.#public = configured !== null ? { host: configured.host, port: configured.port ?? options.wan.port } : options.initialPublic;
    this.#rebuild();
  }

  /** Where the provider reaches the guard over UDP (and the host for every WAN transport). */
  get public(): HostAndPort {
    return this.#public;
  }

  /** True when `wan.public` fixes the public address. */
  get publicConfigured(): boolean {
    return this.#configured;
  }

  /** The sent-by / contact host and port of the WAN leg for a transport. */
  wanSentBy(transport: LegTransport): HostAndPort {
    if (transport === 'tls') return { host: this.#public.host, port: this.wanTlsPort ?? this.wan.port + 1 };
    if (transport === 'tcp') return { host: this.#public.host, port: this.wan.port };
    return this.#public;
  }

  /** The sent-by / Record-Route host and port of the LAN leg for a transport. */
  lanSentBy(transport: LegTransport = 'udp'): HostAndPort {
    if (transport === 'tls') return { host: this.lan.address, port: this.lanTlsPort ?? this.lan.port + 1 };
    return { host: this.lan.address, port: this.lan.port };
  }

  /**
   * RFC 3581: what the provider saw as our source. `received` alone (no rport number) changes the
   * host only. Returns whether the public address changed (and so alias Contacts sent so far were wrong).
   */
  learnPublic(received: string | null, rport: number | null): LearnResult {
    if (this.#configured) return 'configured';
    const host = received === null ? this.#public.host : (canonicalIp(received) ?? this.#public.host);
    const port = rport ?? this.#public.port;
    if (host === this.#public.host && port === this.#public.port) return 'unchanged';
    this.#previous.unshift(this.#public);
    if (this.#previous.length > MAX_PREVIOUS) this.#previous.pop();
    this.#public = { host, port };
    this.#rebuild();
    return 'changed';
  }

  /**
   * Whether a SIP URI names this guard (§16.4 "indicates this proxy"): its host and port are one of
   * our addresses. A URI without a port means 5060 (5061 for sips or transport=tls, RFC 3261 §19.1.2).
   */
  isOurs(uri: SipUri): boolean {
    const host = canonicalIp(uri.host) ?? uri.host.toLowerCase();
    const tls = uri.scheme === 'sips' || uri.params.get('transport')?.toLowerCase() === 'tls';
    const port = uri.port ?? (tls ? 5061 : 5060);
    return this.#ours.has(key(host, port));
  }

  /** Whether a SIP URI's host is one of our addresses, whatever the port (`sip:100@<guard>` from a scanner). */
  isOurHost(uri: SipUri): boolean {
    const host = canonicalIp(uri.host) ?? uri.host.toLowerCase();
    return this.#hosts.has(host);
  }

  describe(): string {
    return `LAN ${formatEndpoint(this.lan)}, WAN ${formatEndpoint(this.wan)}, public ${formatEndpoint({ address: this.#public.host, port: this.#public.port })}${this.#configured ? ' (configured)' : ''}`;
  }

  #rebuild(): void {
    const ours = new Set<string>();
    const add = (host: string, port: number): void => {
      ours.add(key(canonicalIp(host) ?? host.toLowerCase(), port));
    };
    add(this.lan.address, this.lan.port);
    if (this.lanTlsPort !== null) add(this.lan.address, this.lanTlsPort);
    const wanPorts = [this.wan.port, ...(this.wanTlsPort !== null ? [this.wanTlsPort] : [])];
    for (const host of [this.wan.address, this.#public.host, ...this.#previous.map((p) => p.host)]) {
      if (isWildcard(host)) continue;
      for (const port of wanPorts) add(host, port);
    }
    for (const p of [this.#public, ...this.#previous]) add(p.host, p.port);
    this.#ours = ours;
    this.#hosts = new Set([...ours].map((k) => k.slice(0, k.lastIndexOf('|'))));
  }
}

function key(host: string, port: number): string {
  return `${host}|${port}`;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}
