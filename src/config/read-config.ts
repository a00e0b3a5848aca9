/**
 * The configuration schema: reads each section of the YAML document into a {@link Config}, filling in
 * {@link CONFIG_DEFAULTS} and recording every error through the {@link ConfigReader}.
 */
import { resolve } from 'node:path';
import { isScalar, isSeq } from 'yaml';
import { AddressSet } from './address-set.js';
import { formatCidr, parseCidr, type Cidr } from './cidr.js';
import {
  CONFIG_DEFAULTS,
  type Config,
  type DashboardConfig,
  type EventsConfig,
  type LanConfig,
  type ListenAddress,
  type ProviderConfig,
  type TlsFiles,
  type TransportName,
  type UnknownPolicy,
  type WanConfig,
} from './config.js';
import type { ConfigReader, Entry } from './config-reader.js';
import { ALERTS_CONFIG_KEYS, readAlerts } from './alerts-config.js';
import { DEFENSE_KEYS, readDefense } from './defense-config.js';
import { parseHostPort, type HostPort } from './host-port.js';
import { isLoopbackIp, isUnspecifiedIp, parseIp } from './ip-address.js';

/** Every key the file may hold, per section. */
export const CONFIG_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  ['', ['provider', 'wan', 'lan', 'store', 'dashboard', 'policy', 'events', 'defense', 'alerts']],
  ['provider', ['domain', 'registrar', 'trusted']],
  ['wan', ['listen', 'transports', 'public', 'tls', 'readers']],
  ['wan.tls', ['cert', 'key', 'port']],
  ['lan', ['listen', 'allow', 'transports', 'tls']],
  ['lan.tls', ['cert', 'key', 'port']],
  ['dashboard', ['listen', 'token']],
  ['policy', ['unknown']],
  ['events', ['retention_days', 'aggregate_window_s', 'max_sources_per_window', 'new_sources_per_s', 'max_rows']],
  ...DEFENSE_KEYS,
  ...ALERTS_CONFIG_KEYS,
]);

export interface ReadContext {
  /** Folder that relative paths are resolved against (the config file's folder). */
  readonly baseDir: string;
  /** Whether a regular file exists at an absolute path (TLS certificate and key). */
  readonly fileExists: (path: string) => boolean;
}

/** Minimum prefix of a trusted provider block: anything wider would trust a large part of the internet. */
const MIN_TRUSTED_PREFIX = { 4: 8, 6: 16 } as const;

const MIN_TOKEN_LENGTH = 16;

type Section = Map<string, Entry>;

/** Reads the whole document; returns null when any error was recorded. */
export function readConfig(r: ConfigReader, root: Entry, source: string, ctx: ReadContext): Config | null {
  const top = r.section(root) ?? new Map<string, Entry>();
  const sub = (key: string): { entry: Entry; keys: Section } => {
    const entry = r.child(top, root, key);
    return { entry, keys: r.section(entry) ?? new Map<string, Entry>() };
  };
  const provider = readProvider(r, sub('provider'));
  const wan = readWan(r, sub('wan'), ctx);
  const lan = readLan(r, sub('lan'), ctx);
  const dashboard = readDashboard(r, sub('dashboard'));
  const policyPart = sub('policy');
  const unknown = r.choice<UnknownPolicy>(r.child(policyPart.keys, policyPart.entry, 'unknown'), ['drop', '403', '404']);
  const events = readEvents(r, sub('events'));
  const defense = readDefense(r, r.child(top, root, 'defense'));
  const alerts = readAlerts(r, r.child(top, root, 'alerts'));
  const storeText = r.text(r.child(top, root, 'store'));
  if (storeText !== undefined && storeText.trim() === '') r.error('store', r.child(top, root, 'store').node, 'the path is empty');
  const storeValue = storeText?.trim() || CONFIG_DEFAULTS.store;
  const store = storeValue === ':memory:' ? storeValue : resolve(ctx.baseDir, storeValue);

  checkPortClashes(r, [
    ['wan.listen', wan.entry, wan.value?.listen, wan.value?.transports ?? []],
    ['lan.listen', lan.entry, lan.value?.listen, lan.value?.transports ?? []],
    ['dashboard.listen', dashboard.entry, dashboard.value?.listen, ['tcp']],
  ]);
  if (r.errors.length > 0 || !provider || !wan.value || !lan.value || !dashboard.value) return null;
  return {
    source,
    provider,
    wan: wan.value,
    lan: lan.value,
    store,
    dashboard: dashboard.value,
    policy: { unknown: unknown ?? CONFIG_DEFAULTS['policy.unknown'] },
    events,
    defense,
    alerts,
  };
}

function readProvider(r: ConfigReader, { entry, keys }: { entry: Entry; keys: Section }): ProviderConfig | null {
  const domainEntry = r.child(keys, entry, 'domain');
  const domainText = r.text(domainEntry);
  let domain: string | null = null;
  if (domainText === undefined) {
    if (domainEntry.node === null) r.missing(domainEntry, 'the SIP domain of your provider account is required (e.g. voip.example.test)');
  } else {
    const parsed = parseHostPort(domainText);
    if (typeof parsed === 'string') r.error(domainEntry.path, domainEntry.node, parsed);
    else if (parsed.port !== null) r.error(domainEntry.path, domainEntry.node, 'the domain has no port; put host:port in provider.registrar');
    else domain = parsed.host;
  }
  const registrar = readHostPort(r, r.child(keys, entry, 'registrar'));
  const trusted = readAddressList(r, r.child(keys, entry, 'trusted'), true) ?? AddressSet.empty;
  return domain === null ? null : { domain, registrar, trusted };
}

function readWan(r: ConfigReader, { entry, keys }: { entry: Entry; keys: Section }, ctx: ReadContext): { entry: Entry; value: WanConfig | null } {
  const listenEntry = r.child(keys, entry, 'listen');
  const listen = readListen(r, listenEntry, CONFIG_DEFAULTS['wan.listen'], 0, true);
  const transports = readTransports(r, r.child(keys, entry, 'transports'), ['udp', 'tcp', 'tls'], CONFIG_DEFAULTS['wan.transports']);
  const publicAddress = readHostPort(r, r.child(keys, entry, 'public'));
  const tls = readTls(r, keys, entry, transports, 'wan', ctx);
  const readers = readReaders(r, r.child(keys, entry, 'readers'));
  const value = listen ? { listen, transports, public: publicAddress, tls, readers } : null;
  return { entry: listenEntry, value };
}

/** `wan.readers`: `auto` or a whole number of processes, 0 to 16. */
function readReaders(r: ConfigReader, entry: Entry): number | 'auto' {
  const node = entry.node;
  if (node === null) return CONFIG_DEFAULTS['wan.readers'];
  if (isScalar(node) && typeof node.value === 'string') {
    if (node.value.trim().toLowerCase() === 'auto') return 'auto';
    r.error(entry.path, node, `expected auto or a whole number of processes (0..16); found "${node.value}"`);
    return CONFIG_DEFAULTS['wan.readers'];
  }
  return r.int(entry, 0, 16) ?? CONFIG_DEFAULTS['wan.readers'];
}

/**
 * `<leg>.tls`: certificate and key files (resolved against the config's folder, must exist) and an
 * optional port; required exactly when the leg's transports include tls.
 */
function readTls(r: ConfigReader, keys: Section, entry: Entry, transports: readonly TransportName[], leg: 'wan' | 'lan', ctx: ReadContext): TlsFiles | null {
  const tlsEntry = r.child(keys, entry, 'tls');
  const tlsKeys = r.section(tlsEntry) ?? new Map<string, Entry>();
  if (!transports.includes('tls')) return null;
  const file = (key: 'cert' | 'key', what: string): string | null => {
    const e = r.child(tlsKeys, tlsEntry, key);
    const text = r.text(e);
    if (text === undefined) {
      if (e.node === null) r.missing(e, `the TLS transport needs ${leg}.tls.${key} (the ${what} file)`);
      return null;
    }
    const path = resolve(ctx.baseDir, text);
    if (!ctx.fileExists(path)) {
      r.error(e.path, e.node, `the ${what} file ${path} does not exist or is not a file`);
      return null;
    }
    return path;
  };
  const cert = file('cert', 'certificate');
  const key = file('key', 'private key');
  const port = r.int(r.child(tlsKeys, tlsEntry, 'port'), 0, 65535) ?? null;
  return cert !== null && key !== null ? { cert, key, port } : null;
}

function readLan(r: ConfigReader, { entry, keys }: { entry: Entry; keys: Section }, ctx: ReadContext): { entry: Entry; value: LanConfig | null } {
  const listenEntry = r.child(keys, entry, 'listen');
  let listen: ListenAddress | null = null;
  if (listenEntry.node === null) {
    r.missing(listenEntry, 'required: the address of this machine on the phones\' network, e.g. 10.77.0.1:5060');
  } else {
    listen = readListen(r, listenEntry, '', CONFIG_DEFAULTS['lan.port'], false);
  }
  const allowEntry = r.child(keys, entry, 'allow');
  const allow =
    allowEntry.node === null
      ? (AddressSet.parse(CONFIG_DEFAULTS['lan.allow']) as { set: AddressSet }).set
      : readAddressList(r, allowEntry, false) ?? AddressSet.empty;
  const transports = readTransports(r, r.child(keys, entry, 'transports'), ['udp', 'tcp', 'tls'], CONFIG_DEFAULTS['lan.transports']);
  const tls = readTls(r, keys, entry, transports, 'lan', ctx);
  return { entry: listenEntry, value: listen ? { listen, allow, transports, tls } : null };
}

function readDashboard(r: ConfigReader, { entry, keys }: { entry: Entry; keys: Section }): { entry: Entry; value: DashboardConfig | null } {
  const listenEntry = r.child(keys, entry, 'listen');
  const listen = readListen(r, listenEntry, CONFIG_DEFAULTS['dashboard.listen'], CONFIG_DEFAULTS['dashboard.port'], false);
  const tokenEntry = r.child(keys, entry, 'token');
  let token = r.text(tokenEntry) ?? null;
  if (token !== null && token.length < MIN_TOKEN_LENGTH) {
    r.error(tokenEntry.path, tokenEntry.node, `the token is too short (${token.length} characters; at least ${MIN_TOKEN_LENGTH})`);
    token = null;
  }
  if (listen && token === null && tokenEntry.node === null) {
    const ip = parseIp(listen.address);
    if (ip !== null && !isLoopbackIp(ip)) {
      r.error(tokenEntry.path, listenEntry.node ?? tokenEntry.near, `the dashboard listens on ${listen.address}, beyond this machine: set dashboard.token (at least ${MIN_TOKEN_LENGTH} characters)`);
    }
  }
  return { entry: listenEntry, value: listen ? { listen, token } : null };
}

function readEvents(r: ConfigReader, { entry, keys }: { entry: Entry; keys: Section }): EventsConfig {
  const int = (key: string, min: number, max: number, fallback: number): number =>
    r.int(r.child(keys, entry, key), min, max) ?? fallback;
  return {
    retentionDays: int('retention_days', 1, 3650, CONFIG_DEFAULTS['events.retention_days']),
    aggregateWindowSeconds: int('aggregate_window_s', 1, 3600, CONFIG_DEFAULTS['events.aggregate_window_s']),
    maxSourcesPerWindow: int('max_sources_per_window', 10, 1_000_000, CONFIG_DEFAULTS['events.max_sources_per_window']),
    newSourcesPerSecond: int('new_sources_per_s', 1, 1_000_000, CONFIG_DEFAULTS['events.new_sources_per_s']),
    maxRows: int('max_rows', 1000, 100_000_000, CONFIG_DEFAULTS['events.max_rows']),
  };
}

/** An IP literal and a port to bind; `fallback` (when not empty) is used when the key is absent. */
function readListen(r: ConfigReader, entry: Entry, fallback: string, defaultPort: number, allowPortZero: boolean): ListenAddress | null {
  if (entry.node !== null && isSeq(entry.node)) {
    r.error(entry.path, entry.node, 'expected address:port; an IPv6 address with a port must be quoted, e.g. "[2001:db8::1]:5060"');
    return null;
  }
  const text = entry.node === null ? fallback : r.text(entry);
  if (text === undefined) return null;
  const parsed = parseHostPort(text);
  if (typeof parsed === 'string') {
    r.error(entry.path, entry.node ?? entry.near, parsed);
    return null;
  }
  if (parsed.kind === 'domain') {
    r.error(entry.path, entry.node, `"${parsed.host}" is a name: listen needs an IP address of this machine (0.0.0.0 or :: for every interface)`);
    return null;
  }
  const port = parsed.port ?? defaultPort;
  if (port === 0 && !allowPortZero) {
    r.error(entry.path, entry.node, 'port 0 (a random port chosen once) is only for wan.listen; write the port here');
    return null;
  }
  return { address: parsed.host, family: parsed.kind === 'ipv4' ? 4 : 6, port };
}

function readHostPort(r: ConfigReader, entry: Entry): HostPort | null {
  const text = r.text(entry);
  if (text === undefined) return null;
  const parsed = parseHostPort(text);
  if (typeof parsed === 'string') r.error(entry.path, entry.node, parsed);
  else if (parsed.port === 0) r.error(entry.path, entry.node, 'port 0 is not a port one can send to (1..65535)');
  else return parsed;
  return null;
}

function readTransports(r: ConfigReader, entry: Entry, allowed: readonly TransportName[], fallback: readonly TransportName[]): TransportName[] {
  const items = r.list(entry);
  if (items === undefined) return [...fallback];
  const out: TransportName[] = [];
  for (const item of items) {
    const t = r.choice(item, allowed);
    if (t !== undefined && !out.includes(t)) out.push(t);
  }
  if (items.length === 0) r.error(entry.path, entry.node, `at least one transport is needed (${allowed.join(', ')})`);
  return out.length > 0 ? out : [...fallback];
}

/** A list of addresses / CIDR blocks; `trusted` lists refuse blocks so wide they would trust anyone. */
function readAddressList(r: ConfigReader, entry: Entry, trusted: boolean): AddressSet | null {
  const items = r.list(entry);
  if (items === undefined) return null;
  const cidrs: Cidr[] = [];
  for (const item of items) {
    const text = r.text(item)?.trim();
    if (text === undefined) continue;
    const cidr = parseCidr(text);
    if (typeof cidr === 'string') {
      r.error(item.path, item.node, cidr);
      continue;
    }
    const min = MIN_TRUSTED_PREFIX[cidr.family];
    if (trusted && cidr.prefix < min) {
      r.error(item.path, item.node, `${formatCidr(cidr)} is too wide to trust (it would let much of the internet ring your phones); use at most /${min}`);
      continue;
    }
    cidrs.push(cidr);
  }
  return new AddressSet(cidrs);
}

type Binding = [path: string, entry: Entry, listen: ListenAddress | null | undefined, transports: readonly TransportName[]];

/** Two legs cannot bind the same port on overlapping addresses with a shared transport protocol. */
function checkPortClashes(r: ConfigReader, bindings: readonly Binding[]): void {
  const proto = (t: TransportName): string => (t === 'udp' ? 'udp' : 'tcp');
  for (let i = 0; i < bindings.length; i++) {
    for (let j = i + 1; j < bindings.length; j++) {
      const [pathA, , a, ta] = bindings[i]!;
      const [pathB, entryB, b, tb] = bindings[j]!;
      if (!a || !b || a.port === 0 || a.port !== b.port || a.family !== b.family) continue;
      const overlap =
        a.address === b.address || isUnspecifiedIp(parseIp(a.address)!) || isUnspecifiedIp(parseIp(b.address)!);
      const shared = ta.some((t) => tb.some((u) => proto(t) === proto(u)));
      if (overlap && shared) r.error(pathB, entryB.node ?? entryB.near, `port ${b.port} on ${b.address} clashes with ${pathA}`);
    }
  }
}
