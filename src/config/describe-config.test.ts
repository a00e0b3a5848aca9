import { describe, expect, it } from 'vitest';
import type { Config } from './config.js';
import { describeConfig } from './describe-config.js';
import { parseConfig } from './parse-config.js';

function config(text: string): Config {
  const result = parseConfig(text, '/etc/gg/ghostguard.yaml', { fileExists: () => true });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

const CONTRACT = `provider:
  domain: voip.example.test
  trusted: [203.0.113.0/28]
wan:
  listen: 192.0.2.30:0
  transports: [udp, tcp]
lan:
  listen: 10.77.0.1:5060
  allow: [10.77.0.0/24]
store: ./ghostguard.db
dashboard:
  listen: 127.0.0.1:8080
`;

describe('describeConfig (ghostguard check-config)', () => {
  it('says what the guard of the issue example would do', () => {
    expect(describeConfig(config(CONTRACT))).toEqual([
      'Provider: voip.example.test',
      'Registrar: found by RFC 3263 lookup (NAPTR, SRV, A/AAAA) of voip.example.test',
      'Trusts provider addresses: RFC 3263 lookup of voip.example.test + 203.0.113.0/28, and wherever REGISTER responses come from',
      'WAN leg: udp+tcp on 192.0.2.30, port chosen at first start and kept',
      'WAN UDP socket read by: one reader process per core beside the guard (none on one core, at most 4), which count a flood for it',
      "Public address: learned from the provider's responses (Via received/rport)",
      'LAN leg: udp+tcp on 10.77.0.1, port 5060',
      'Phones allowed from: 10.77.0.0/24',
      'Relays to phones only requests from the provider that name a registered alias or a known dialog',
      'Strangers: dropped silently (no answer at all)',
      'Store: /etc/gg/ghostguard.db',
      'Events: kept 30 days; floods counted in one row per source per 60 s (at most 10000 sources per window and 200 new ones per second, 1000000 rows in all)',
      'Rate limit: 50 requests/s per source (bursts of 200), 100000 sources tracked at most',
      'Bans: a source rate-limited for 10 s, or refused 20 times in 60 s, is banned for 1 h, doubling for repeat offenders up to 7 d; never the provider, the LAN or a registered phone',
      'Password guessing: 10 failed REGISTERs in 10 min ban a source; an account with 20 failures gets one attempt per 30 s from each failing source',
      'Alerts: none (add alerts.webhooks or alerts.email to hear when the provider registration is lost, scanners are banned, and a daily digest)',
      'Dashboard: http://127.0.0.1:8080/ (this machine only)',
    ]);
  });

  it('names the kept WAN port once it is known', () => {
    const lines = describeConfig(config(CONTRACT), { wanPort: 43121 });
    expect(lines).toContain('WAN leg: udp+tcp on 192.0.2.30, port 43121 (chosen at first start and kept)');
  });

  it('describes a fixed port, a registrar, TLS, NAT, 403 and an open dashboard', () => {
    const lines = describeConfig(
      config(`provider:
  domain: voip.example.test
  registrar: "[2001:db8::10]:5060"
wan:
  listen: 0.0.0.0:5071
  transports: [udp, tls]
  public: gw.example.test
  tls: { cert: gg.crt, key: gg.key }
lan:
  listen: 10.77.0.1
policy:
  unknown: 403
dashboard:
  listen: 10.77.0.1:8080
  token: "0123456789abcdef"
`),
    );
    expect(lines).toContain('Registrar: [2001:db8::10]:5060');
    expect(lines).toContain('Trusts provider addresses: RFC 3263 lookup of voip.example.test + 2001:db8::10, and wherever REGISTER responses come from');
    expect(lines).toContain('WAN leg: udp on every IPv4 interface, port 5071');
    expect(describeConfig(config(CONTRACT.replace('  transports: [udp, tcp]\n', '  transports: [udp, tcp]\n  readers: 0\n')))).toContain(
      'WAN UDP socket read by: the guard itself (wan.readers: 0)',
    );
    expect(lines).toContain('WAN leg: tls on every IPv4 interface, the WAN port + 1 (certificate /etc/gg/gg.crt)');
    expect(lines).toContain('Public address: gw.example.test (configured, behind NAT)');
    expect(lines).toContain('Strangers: answered 403 Forbidden');
    expect(lines).toContain('Dashboard: http://10.77.0.1:8080/ (reachable from the network, token required)');
  });
});
