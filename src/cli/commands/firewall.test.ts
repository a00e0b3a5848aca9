import { describe, expect, it } from 'vitest';
import { FakeDnsResolver } from '../../proxy/provider/test-kit.js';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';
import { runFirewall } from './firewall.js';

const NOW = Date.UTC(2026, 10, 28, 1, 0, 0);

/** voip.example.test: NAPTR → SRV (udp, tcp) → two hosts, IPv4 and IPv6. */
function zone(): FakeDnsResolver {
  return new FakeDnsResolver()
    .naptr(
      'voip.example.test',
      { order: 10, preference: 10, flags: 's', service: 'SIP+D2U', regexp: '', replacement: '_sip._udp.voip.example.test' },
      { order: 20, preference: 10, flags: 's', service: 'SIP+D2T', regexp: '', replacement: '_sip._tcp.voip.example.test' },
    )
    .srv('_sip._udp.voip.example.test', { priority: 10, weight: 10, port: 5060, name: 'sip1.voip.example.test' })
    .srv('_sip._tcp.voip.example.test', { priority: 10, weight: 10, port: 5060, name: 'sip2.voip.example.test' })
    .a('sip1.voip.example.test', { address: '203.0.113.10', ttl: 120 })
    .aaaa('sip1.voip.example.test', { address: '2001:db8::10', ttl: 600 })
    .a('sip2.voip.example.test', { address: '203.0.113.11', ttl: 300 });
}

async function firewall(args: string[], resolver = zone()) {
  const io = memoryIo();
  const code = await runFirewall(args, io, { resolver, now: () => NOW });
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

describe('ghostguard firewall', () => {
  it('writes nftables rules that admit SIP only from every address the provider\'s DNS names', async () => {
    const { code, out } = await firewall(['--provider', 'voip.example.test', '--trusted', '198.51.100.0/28']);
    expect(code).toBe(0);
    expect(out).toContain('set provider4 { type ipv4_addr; flags interval; elements = { 203.0.113.10, 203.0.113.11, 198.51.100.0/28 }; }');
    expect(out).toContain('set provider6 { type ipv6_addr; flags interval; elements = { 2001:db8::10 }; }');
    expect(out).toContain('    udp dport 5060 ip saddr @provider4 accept\n    udp dport 5060 ip6 saddr @provider6 accept\n    udp dport 5060 counter drop');
    expect(out).toContain('tcp dport 5060 counter drop');
    expect(out).toContain('type filter hook forward priority filter - 10; policy accept;');
    expect(out).toContain('type filter hook input priority filter - 10; policy accept;');
    expect(out).toContain('#   203.0.113.10             A sip1.voip.example.test, TTL 120 s');
    expect(out).toContain('#   2001:db8::10             AAAA sip1.voip.example.test, TTL 600 s');
    expect(out).toContain('#   198.51.100.0/28          --trusted');
    expect(out).toContain("the provider's DNS may change them: the shortest TTL was 120 s");
    expect(out).toContain('#   ghostguard firewall --provider voip.example.test --trusted 198.51.100.0/28');
    expect(out).toContain('generated 2026-11-28T01:00:00.000Z');
    // Every line outside the table is a comment or the replace-the-table pair.
    const body = out.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(body.slice(0, 3)).toEqual(['table inet ghostguard_sip', 'delete table inet ghostguard_sip', 'table inet ghostguard_sip {']);
  });

  it('writes iptables and ip6tables commands for the chosen ports and transports', async () => {
    const { code, out } = await firewall(['--provider', 'voip.example.test', '--format', 'iptables', '--transport', 'udp,tls', '--port', '5060', '--port', '5080']);
    expect(code).toBe(0);
    expect(out).toContain('iptables -A GHOSTGUARD-SIP -s 203.0.113.10 -j RETURN\niptables -A GHOSTGUARD-SIP -s 203.0.113.11 -j RETURN\niptables -A GHOSTGUARD-SIP -j DROP');
    expect(out).toContain('ip6tables -A GHOSTGUARD-SIP -s 2001:db8::10 -j RETURN');
    expect(out).toContain('iptables -I FORWARD -p udp -m multiport --dports 5060,5080 -j GHOSTGUARD-SIP');
    expect(out).toContain('iptables -I INPUT -p tcp -m multiport --dports 5060,5080 -j GHOSTGUARD-SIP');
    expect(out).not.toContain('--dport 5061');
  });

  it('takes the provider as an IP address without DNS, and says the rules need no DNS refresh', async () => {
    const resolver = new FakeDnsResolver();
    const { code, out } = await firewall(['--provider', '203.0.113.10', '--transport', 'udp'], resolver);
    expect(code).toBe(0);
    expect(resolver.asked).toEqual([]);
    expect(out).toContain('elements = { 203.0.113.10 }');
    expect(out).toContain('given literally');
    expect(out).not.toContain('tcp dport');
  });

  it('fails clearly when the provider cannot be found, rather than lock it out', async () => {
    const { code, err, out } = await firewall(['--provider', 'nowhere.example.test'], new FakeDnsResolver());
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/no SIP server found for nowhere\.example\.test/);
  });

  it('explains bad options', async () => {
    expect((await firewall([])).err).toMatch(/give --provider DOMAIN/);
    expect((await firewall(['--provider', 'x', '--port', '70000'])).err).toMatch(/--port 70000 is not a port number/);
    expect((await firewall(['--provider', 'x', '--transport', 'sctp'])).err).toMatch(/--transport takes udp, tcp and\/or tls \(got "sctp"\)/);
    expect((await firewall(['--provider', 'x', '--trusted', '1.2.3.4/99'])).code).toBe(2);
    expect((await firewall(['--provider', 'x', '--format', 'pf'])).err).toMatch(/--format must be nftables or iptables/);
  });

  it('keeps control characters out of the comment lines', async () => {
    const { out } = await firewall(['--provider', '203.0.113.10', '--trusted', '198.51.100.1', '--dns', 'x\ninjected']);
    expect(out).not.toMatch(/^injected/m);
  });

  it('is a command of ghostguard now, not a planned one', async () => {
    const io = memoryIo();
    expect(await runCli(['firewall', '--help'], io)).toBe(0);
    expect(io.stdout.join('')).toContain('Usage: ghostguard firewall --provider DOMAIN');
  });
});
