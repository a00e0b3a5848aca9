/**
 * `describeConfig(config)`: what the guard would do with this configuration, as plain lines for
 * `ghostguard check-config` (and the start-up log).
 */
import type { Config, ListenAddress, TransportName } from './config.js';
import { describeAlerts } from './describe-alerts.js';
import { describeDefense } from './describe-defense.js';
import { formatHostPort } from './host-port.js';
import { isLoopbackIp, isUnspecifiedIp, parseIp } from './ip-address.js';

/** What is known beyond the file, e.g. the WAN port chosen at an earlier start (from the store). */
export interface DescribeState {
  readonly wanPort?: number | null;
}

function address(listen: ListenAddress): string {
  const ip = parseIp(listen.address);
  if (ip !== null && isUnspecifiedIp(ip)) return listen.family === 4 ? 'every IPv4 interface' : 'every interface';
  return listen.address;
}

function transports(list: readonly TransportName[]): string {
  return list.join('+');
}

function wanPort(config: Config, state: DescribeState): string {
  const port = config.wan.listen.port;
  if (port !== 0) return `port ${port}`;
  if (state.wanPort) return `port ${state.wanPort} (chosen at first start and kept)`;
  return 'port chosen at first start and kept';
}

function wanReaders({ wan, policy }: Config): string {
  if (wan.readers === 0) return 'the guard itself (wan.readers: 0)';
  if (policy.unknown !== 'drop') return `the guard itself (policy.unknown: ${policy.unknown} answers strangers, which only the guard does)`;
  if (wan.readers === 'auto') return 'one reader process per core beside the guard (none on one core, at most 4), which count a flood for it';
  return `${wan.readers} reader process${wan.readers === 1 ? '' : 'es'} beside the guard, which count a flood for it`;
}

export function describeConfig(config: Config, state: DescribeState = {}): string[] {
  const { provider, wan, lan, dashboard, events } = config;
  const lines: string[] = [];

  lines.push(`Provider: ${provider.domain}`);
  lines.push(
    provider.registrar
      ? `Registrar: ${formatHostPort(provider.registrar.host, provider.registrar.kind, provider.registrar.port)}`
      : `Registrar: found by RFC 3263 lookup (NAPTR, SRV, A/AAAA) of ${provider.domain}`,
  );
  const trusted = [`RFC 3263 lookup of ${provider.domain}`];
  if (provider.registrar && provider.registrar.kind !== 'domain') trusted.push(provider.registrar.host);
  else if (provider.registrar) trusted.push(`the addresses of ${provider.registrar.host}`);
  trusted.push(...provider.trusted.toStrings());
  lines.push(`Trusts provider addresses: ${trusted.join(' + ')}, and wherever REGISTER responses come from`);

  const udpTcp = wan.transports.filter((t) => t !== 'tls');
  if (udpTcp.length > 0) lines.push(`WAN leg: ${transports(udpTcp)} on ${address(wan.listen)}, ${wanPort(config, state)}`);
  if (wan.transports.includes('udp')) lines.push(`WAN UDP socket read by: ${wanReaders(config)}`);
  if (wan.tls) {
    const port = wan.tls.port !== null && wan.tls.port !== 0 ? `port ${wan.tls.port}` : 'the WAN port + 1';
    lines.push(`WAN leg: tls on ${address(wan.listen)}, ${port} (certificate ${wan.tls.cert})`);
  }
  lines.push(
    wan.public
      ? `Public address: ${formatHostPort(wan.public.host, wan.public.kind, wan.public.port)} (configured, behind NAT)`
      : "Public address: learned from the provider's responses (Via received/rport)",
  );
  const lanPlain = lan.transports.filter((t) => t !== 'tls');
  if (lanPlain.length > 0) lines.push(`LAN leg: ${transports(lanPlain)} on ${address(lan.listen)}, port ${lan.listen.port}`);
  if (lan.tls) {
    lines.push(`LAN leg: tls on ${address(lan.listen)}, port ${lan.tls.port ?? lan.listen.port + 1} (certificate ${lan.tls.cert}): phones may register across the internet`);
  }
  lines.push(`Phones allowed from: ${lan.allow.toStrings().join(', ') || 'nowhere (lan.allow is empty)'}`);
  lines.push('Relays to phones only requests from the provider that name a registered alias or a known dialog');
  lines.push(
    config.policy.unknown === 'drop'
      ? 'Strangers: dropped silently (no answer at all)'
      : `Strangers: answered ${config.policy.unknown} ${config.policy.unknown === '403' ? 'Forbidden' : 'Not Found'}`,
  );

  lines.push(`Store: ${config.store}`);
  lines.push(
    `Events: kept ${events.retentionDays} days; floods counted in one row per source per ${events.aggregateWindowSeconds} s ` +
      `(at most ${events.maxSourcesPerWindow} sources per window and ${events.newSourcesPerSecond} new ones per second, ${events.maxRows} rows in all)`,
  );
  lines.push(...describeDefense(config.defense));
  lines.push(...describeAlerts(config.alerts, new Intl.DateTimeFormat().resolvedOptions().timeZone));
  const ip = parseIp(dashboard.listen.address);
  const local = ip !== null && isLoopbackIp(ip);
  const host = formatHostPort(dashboard.listen.address, dashboard.listen.family === 6 ? 'ipv6' : 'ipv4', dashboard.listen.port);
  lines.push(`Dashboard: http://${host}/ (${local ? 'this machine only' : 'reachable from the network'}${dashboard.token ? ', token required' : ''})`);
  return lines;
}
