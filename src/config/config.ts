/**
 * The validated configuration: what `parseConfig` returns once every key has been checked and every
 * default filled in. Plain data, except the address lists, which are compiled into {@link AddressSet}s
 * once so that the hot path only calls `has()`.
 *
 * The YAML keys are snake_case (`retention_days`); the fields here are camelCase.
 */
import type { AddressSet } from './address-set.js';
import type { AlertsConfig } from './alerts-config.js';
import type { DefenseConfig } from './defense-config.js';
import type { HostPort } from './host-port.js';

export type TransportName = 'udp' | 'tcp' | 'tls';

/** What a request from a stranger gets: nothing at all (`drop`), or a 403 / 404 response. */
export type UnknownPolicy = 'drop' | '403' | '404';

/** An address to bind: an IP literal (never a name) and a port. */
export interface ListenAddress {
  readonly address: string;
  readonly family: 4 | 6;
  /** 0 only on the WAN leg: a random high port, chosen at the first start and kept in the store. */
  readonly port: number;
}

export interface TlsFiles {
  /** Absolute paths (relative ones are resolved against the config file's folder). */
  readonly cert: string;
  readonly key: string;
  /** Null: the WAN port + 1 (and, when the WAN port is 0, chosen at the first start and kept with it). */
  readonly port: number | null;
}

export interface ProviderConfig {
  /** The SIP domain of the account(s), lower-cased. */
  readonly domain: string;
  /** Where REGISTER goes; null: RFC 3263 lookup (NAPTR, SRV, A/AAAA) of `domain`. A null port: from SRV, else 5060. */
  readonly registrar: HostPort | null;
  /** Extra provider addresses and blocks, trusted besides those found by DNS and seen answering REGISTER. */
  readonly trusted: AddressSet;
}

export interface WanConfig {
  readonly listen: ListenAddress;
  readonly transports: readonly TransportName[];
  /** The address the provider sees when the guard is behind NAT; null: learned from Via received/rport. */
  readonly public: HostPort | null;
  /** Present exactly when `transports` includes `tls`. */
  readonly tls: TlsFiles | null;
  /**
   * Processes besides the guard that read the WAN UDP socket under a flood (`proxy/wan-readers/`):
   * `auto` is one per core (none on one core, at most 4); 0 keeps all reading in the guard.
   */
  readonly readers: number | 'auto';
}

export interface LanConfig {
  readonly listen: ListenAddress;
  /** Addresses phones may come from; requests from anywhere else on the LAN leg are ignored. */
  readonly allow: AddressSet;
  readonly transports: readonly TransportName[];
  /**
   * Present exactly when `transports` includes `tls`: phones that reach the guard across the internet
   * (softphones on smartphones, a guard on a VPS) register over TLS to the LAN leg.
   */
  readonly tls: TlsFiles | null;
}

export interface DashboardConfig {
  readonly listen: ListenAddress;
  /** Bearer token for the dashboard and API; required unless `listen` is a loopback address. */
  readonly token: string | null;
}

export interface EventsConfig {
  /** Events older than this are pruned. */
  readonly retentionDays: number;
  /** Floods are counted in one row per source and reason per window of this length. */
  readonly aggregateWindowSeconds: number;
  /** Distinct (source, reason) rows per window; the rest are counted in one overflow row. */
  readonly maxSourcesPerWindow: number;
  /**
   * New rows per second at most (bursts of one second's worth); a flood from more new sources is
   * counted in the overflow row. Bounds the cost of a spoofed-source flood: a new row is labelled,
   * explained and written, a counted event is not.
   */
  readonly newSourcesPerSecond: number;
  /** Hard cap on stored event rows; the oldest go first. */
  readonly maxRows: number;
}

export interface Config {
  /** The file (or name) the configuration came from. */
  readonly source: string;
  readonly provider: ProviderConfig;
  readonly wan: WanConfig;
  readonly lan: LanConfig;
  /** Absolute path of the SQLite database, or ":memory:". */
  readonly store: string;
  readonly dashboard: DashboardConfig;
  readonly policy: { readonly unknown: UnknownPolicy };
  readonly events: EventsConfig;
  /** Rate limits, bans, password-guessing limits (`defense-config.ts`). */
  readonly defense: DefenseConfig;
  /** Where alerts go, the digest, quiet hours (`alerts-config.ts`); no channels: no alerts. */
  readonly alerts: AlertsConfig;
}

/**
 * Defaults for every optional key (YAML spelling). Required: `provider.domain` and `lan.listen`
 * (there is no safe guess for the phones' interface: a wrong one would open the LAN leg to the internet).
 */
export const CONFIG_DEFAULTS = Object.freeze({
  /** No registrar: RFC 3263 lookup of provider.domain. */
  'provider.registrar': null,
  /** No extra trusted provider addresses. */
  'provider.trusted': Object.freeze([] as string[]),
  /** Every interface, port chosen at first start and kept. */
  'wan.listen': '0.0.0.0:0',
  'wan.transports': Object.freeze(['udp', 'tcp'] as TransportName[]),
  /** Learned from the provider's responses (Via received / rport). */
  'wan.public': null,
  /** One WAN reader process per core (none on one core, at most 4). */
  'wan.readers': 'auto' as number | 'auto',
  /** The port of lan.listen when it is written without one. */
  'lan.port': 5060,
  /** Private, link-local and loopback ranges (RFC 1918, RFC 4193, RFC 3927, RFC 4291). */
  'lan.allow': Object.freeze([
    '10.0.0.0/8',
    '172.16.0.0/12',
    '192.168.0.0/16',
    '169.254.0.0/16',
    '127.0.0.0/8',
    'fc00::/7',
    'fe80::/10',
    '::1',
  ]),
  'lan.transports': Object.freeze(['udp', 'tcp'] as TransportName[]),
  /** Beside the config file. */
  store: './ghostguard.db',
  'dashboard.listen': '127.0.0.1:8080',
  /** The port of dashboard.listen when it is written without one. */
  'dashboard.port': 8080,
  'dashboard.token': null,
  /** Strangers learn nothing, not even that a host is there. */
  'policy.unknown': 'drop' as UnknownPolicy,
  'events.retention_days': 30,
  'events.aggregate_window_s': 60,
  'events.max_sources_per_window': 10_000,
  'events.new_sources_per_s': 200,
  'events.max_rows': 1_000_000,
});
