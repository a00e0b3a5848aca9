/**
 * Router rules for people who cannot put the guard inline: SIP may reach the phones' ports only from
 * the provider's addresses; everything else sent to those ports is dropped. Written as an nftables
 * script (a table of its own, `inet ghostguard_sip`, safe to load again: it replaces itself) or as
 * iptables/ip6tables commands (a chain of their own, GHOSTGUARD-SIP), each commented and ready to paste.
 *
 * Both hooks are covered: `forward` (phones behind the router, after a port forward's DNAT, so the
 * ports are the phones' own) and `input` (a PBX or SIP ALG on the router itself).
 */
import { formatCidr, type Cidr } from '../../config/cidr.js';

export interface RouterAddress {
  readonly cidr: Cidr;
  /** Where it came from, e.g. "A sip.voip.example.test, TTL 300 s" or "--trusted". */
  readonly origin: string;
}

export interface RouterRulesInput {
  readonly domain: string;
  readonly addresses: readonly RouterAddress[];
  /** The phones' SIP ports, per protocol. */
  readonly udp: readonly number[];
  readonly tcp: readonly number[];
  /** Seconds until the provider's DNS answer may change; null when it cannot (IP literals only). */
  readonly ttl: number | null;
  /** ISO time of generation. */
  readonly generated: string;
  /** The command line that generated the rules (to refresh them). */
  readonly command: string;
}

export type RouterFormat = 'nftables' | 'iptables';

function header(input: RouterRulesInput): string[] {
  const lines = [
    `# ghostguard firewall rules for the SIP provider ${input.domain}, generated ${input.generated}.`,
    '# SIP to the phones reaches them only from the provider; everything else sent to these ports is dropped:',
  ];
  if (input.udp.length > 0) lines.push(`#   UDP ${input.udp.join(', ')}`);
  if (input.tcp.length > 0) lines.push(`#   TCP ${input.tcp.join(', ')}`);
  lines.push('# The provider\'s addresses:');
  for (const a of input.addresses) lines.push(`#   ${formatCidr(a.cidr).padEnd(24)} ${a.origin}`);
  const refresh =
    input.ttl === null
      ? 'these addresses were given literally; refresh the rules when the provider announces new ones'
      : `the provider's DNS may change them: the shortest TTL was ${input.ttl} s`;
  lines.push(
    `# Refresh: ${refresh}. Run again, e.g. from cron:`,
    `#   ${input.command}`,
    '# A provider whose DNS changes and whose rules were not refreshed is locked out: no calls arrive.',
  );
  return lines;
}

function nftSet(name: string, type: string, cidrs: readonly Cidr[]): string {
  const elements = cidrs.length === 0 ? '' : ` elements = { ${cidrs.map(formatCidr).join(', ')} };`;
  return `  set ${name} { type ${type}; flags interval;${elements} }`;
}

function portList(ports: readonly number[]): string {
  return ports.length === 1 ? String(ports[0]) : `{ ${ports.join(', ')} }`;
}

export function nftablesRules(input: RouterRulesInput): string {
  const v4 = input.addresses.filter((a) => a.cidr.family === 4).map((a) => a.cidr);
  const v6 = input.addresses.filter((a) => a.cidr.family === 6).map((a) => a.cidr);
  const chainBody = (hook: 'forward' | 'input'): string[] => {
    const rules = [`  chain ${hook} {`, `    type filter hook ${hook} priority filter - 10; policy accept;`];
    for (const [proto, ports] of [['udp', input.udp], ['tcp', input.tcp]] as const) {
      if (ports.length === 0) continue;
      rules.push(`    ${proto} dport ${portList(ports)} ip saddr @provider4 accept`);
      rules.push(`    ${proto} dport ${portList(ports)} ip6 saddr @provider6 accept`);
      rules.push(`    ${proto} dport ${portList(ports)} counter drop comment "SIP not from the provider"`);
    }
    rules.push('  }');
    return rules;
  };
  const lines = [
    ...header(input),
    '# Load with: nft -f FILE (it replaces an earlier version of this table). Remove: nft delete table inet ghostguard_sip',
    'table inet ghostguard_sip',
    'delete table inet ghostguard_sip',
    'table inet ghostguard_sip {',
    nftSet('provider4', 'ipv4_addr', v4),
    nftSet('provider6', 'ipv6_addr', v6),
    '  # phones behind this router (after a port forward)',
    ...chainBody('forward'),
    '  # SIP on the router itself (a PBX, a SIP ALG)',
    ...chainBody('input'),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

export function iptablesRules(input: RouterRulesInput): string {
  const lines = [...header(input), '# Paste into a root shell; running it again is safe. Remove: repeat the -I lines with -D, then -F and -X GHOSTGUARD-SIP.'];
  for (const [tool, family] of [['iptables', 4], ['ip6tables', 6]] as const) {
    const cidrs = input.addresses.filter((a) => a.cidr.family === family).map((a) => a.cidr);
    lines.push(`# IPv${family}`, `${tool} -N GHOSTGUARD-SIP 2>/dev/null || ${tool} -F GHOSTGUARD-SIP`);
    for (const c of cidrs) lines.push(`${tool} -A GHOSTGUARD-SIP -s ${formatCidr(c)} -j RETURN`);
    lines.push(`${tool} -A GHOSTGUARD-SIP -j DROP`);
    for (const [proto, ports] of [['udp', input.udp], ['tcp', input.tcp]] as const) {
      if (ports.length === 0) continue;
      const match = ports.length === 1 ? `--dport ${ports[0]}` : `-m multiport --dports ${ports.join(',')}`;
      for (const chain of ['FORWARD', 'INPUT']) {
        lines.push(`${tool} -C ${chain} -p ${proto} ${match} -j GHOSTGUARD-SIP 2>/dev/null || ${tool} -I ${chain} -p ${proto} ${match} -j GHOSTGUARD-SIP`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
