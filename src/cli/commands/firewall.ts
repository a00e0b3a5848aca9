/**
 * `ghostguard firewall --provider DOMAIN`: prints router rules (nftables or iptables) that let SIP reach
 * the phones only from the provider, for people who cannot put the guard inline. The provider's
 * addresses come from the guard's own RFC 3263 lookup (NAPTR, SRV, A, AAAA; every record), plus
 * `--trusted` extras; the rules list them with their TTLs and say to refresh when the DNS changes.
 */
import { parseCidr, type Cidr } from '../../config/cidr.js';
import type { TransportName } from '../../config/config.js';
import { iptablesRules, nftablesRules, type RouterAddress } from '../../defense/nftables/router-rules.js';
import type { DnsResolver } from '../../proxy/provider/dns-resolver.js';
import { resolveProvider } from '../../proxy/provider/resolve-provider.js';
import { systemDnsResolver } from '../../proxy/provider/system-dns-resolver.js';
import { parseCommandArgs } from '../command-args.js';
import type { CliIo } from '../io.js';

export const firewallUsage = `Usage: ghostguard firewall --provider DOMAIN [options]

Prints router rules that let SIP reach your phones only from your provider and drop everything
else sent to the phones' SIP ports (for when the guard cannot be put in front of the phones).
  --provider DOMAIN      the SIP domain of your account (looked up by NAPTR, SRV, A and AAAA),
                         or the provider's IP address
  --format nftables|iptables  (default nftables)
  --port N               a SIP port of the phones (repeatable; default 5060, and 5061 for tls)
  --transport LIST       udp, tcp and/or tls, comma-separated (default udp,tcp)
  --trusted CIDR         another provider address or block (repeatable)
  --dns SERVER           ask this DNS server (repeatable; default: the system's)
The provider's addresses can change with its DNS: run the command again from time to time.`;

export interface FirewallDeps {
  readonly resolver?: DnsResolver;
  readonly now?: () => number;
}

const TRANSPORTS: readonly TransportName[] = ['udp', 'tcp', 'tls'];

export function firewallCommand(args: string[], io: CliIo): Promise<number> {
  return runFirewall(args, io, {});
}

export async function runFirewall(args: string[], io: CliIo, deps: FirewallDeps): Promise<number> {
  const parsed = parseCommandArgs('firewall', firewallUsage, args, io, {
    options: {
      provider: { type: 'string' },
      format: { type: 'string', default: 'nftables' },
      port: { type: 'string', multiple: true },
      transport: { type: 'string', default: 'udp,tcp' },
      trusted: { type: 'string', multiple: true },
      dns: { type: 'string', multiple: true },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values: v, usageError: usage } = parsed;
  if (v.provider === undefined || v.provider.trim() === '') return usage('give --provider DOMAIN');
  if (v.format !== 'nftables' && v.format !== 'iptables') return usage('--format must be nftables or iptables');
  const transports = v.transport.split(',').map((t) => t.trim().toLowerCase());
  const unknown = transports.find((t) => !TRANSPORTS.includes(t as TransportName));
  if (unknown !== undefined || transports.length === 0) return usage(`--transport takes udp, tcp and/or tls (got "${unknown ?? ''}")`);
  const ports: number[] = [];
  for (const text of v.port ?? []) {
    const port = Number(text);
    if (!/^\d{1,5}$/.test(text) || port < 1 || port > 65535) return usage(`--port ${text} is not a port number (1..65535)`);
    if (!ports.includes(port)) ports.push(port);
  }
  if (ports.length > 15) return usage('at most 15 ports');
  const trusted: RouterAddress[] = [];
  for (const text of v.trusted ?? []) {
    const cidr = parseCidr(text.trim());
    if (typeof cidr === 'string') return usage(`--trusted ${text}: ${cidr}`);
    trusted.push({ cidr, origin: '--trusted' });
  }

  const udp = transports.includes('udp') ? (ports.length > 0 ? ports : [5060]) : [];
  const tcpPorts = new Set<number>();
  if (transports.includes('tcp')) for (const p of ports.length > 0 ? ports : [5060]) tcpPorts.add(p);
  if (transports.includes('tls')) for (const p of ports.length > 0 ? ports : [5061]) tcpPorts.add(p);
  const tcp = [...tcpPorts].sort((a, b) => a - b);

  const system = deps.resolver === undefined ? systemDnsResolver(v.dns !== undefined ? { servers: v.dns } : {}) : null;
  const found = await resolveProvider(v.provider, { transports: transports as TransportName[], resolver: deps.resolver ?? system! });
  if (!found.ok) {
    io.err(`ghostguard firewall: ${found.error}\n`);
    if (trusted.length === 0) return 1;
    io.err('ghostguard firewall: writing rules for the --trusted addresses only\n');
  } else {
    for (const p of found.problems) io.err(`ghostguard firewall: warning: ${p.message}\n`);
  }
  const addresses: RouterAddress[] = [];
  for (const a of found.ok ? found.addresses : []) {
    const cidr = parseCidr(a.address) as Cidr;
    const origin = a.how === 'literal' ? 'given literally' : `${a.how} ${a.name}, TTL ${a.ttl} s`;
    addresses.push({ cidr, origin });
  }
  for (const t of trusted) addresses.push(t);
  if (addresses.length === 0) {
    io.err('ghostguard firewall: no provider address found: rules would lock the provider out\n');
    return 1;
  }

  const now = deps.now?.() ?? Date.now();
  const input = {
    domain: printable(v.provider.trim()),
    addresses,
    udp,
    tcp,
    ttl: found.ok ? found.ttl : null,
    generated: new Date(now).toISOString(),
    command: commandLine(args),
  };
  io.out(v.format === 'nftables' ? nftablesRules(input) : iptablesRules(input));
  return 0;
}

/** Text that goes into a comment line of the rules: no control characters (a newline would end the comment). */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}

function commandLine(args: readonly string[]): string {
  const quoted = args.map(printable).map((a) => (/^[A-Za-z0-9_.,:/@=+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`));
  return ['ghostguard', 'firewall', ...quoted].join(' ');
}
