import { describe, expect, it } from 'vitest';
import type { Config } from './config.js';
import type { ConfigError } from './config-error.js';
import { formatConfigError } from './config-error.js';
import { parseConfig, type ParseConfigOptions } from './parse-config.js';

const BASE = '/etc/ghostguard';
const noFiles: ParseConfigOptions = { baseDir: BASE, fileExists: () => false };

function ok(text: string, options: ParseConfigOptions = noFiles): Config {
  const result = parseConfig(text, 'ghostguard.yaml', options);
  if (!result.ok) throw new Error(result.errors.map(formatConfigError).join('\n'));
  return result.config;
}

function errors(text: string, options: ParseConfigOptions = noFiles): readonly ConfigError[] {
  const result = parseConfig(text, 'ghostguard.yaml', options);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

function only(list: readonly ConfigError[], path: string): ConfigError {
  const found = list.filter((e) => e.path === path);
  expect(found, `errors at ${path} in ${JSON.stringify(list, null, 1)}`).toHaveLength(1);
  return found[0]!;
}

const MINIMAL = `provider:
  domain: voip.example.test
lan:
  listen: 10.77.0.1
`;

const CONTRACT = `provider:
  domain: voip.example.test
  registrar: 203.0.113.10:5060
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

describe('parseConfig: the contract of issue 3', () => {
  it('reads the example config of the issue', () => {
    const c = ok(CONTRACT);
    expect(c.provider.domain).toBe('voip.example.test');
    expect(c.provider.registrar).toEqual({ host: '203.0.113.10', kind: 'ipv4', port: 5060 });
    expect(c.provider.trusted.toStrings()).toEqual(['203.0.113.0/28']);
    expect(c.wan.listen).toEqual({ address: '192.0.2.30', family: 4, port: 0 });
    expect(c.wan.transports).toEqual(['udp', 'tcp']);
    expect(c.lan.listen).toEqual({ address: '10.77.0.1', family: 4, port: 5060 });
    expect(c.lan.allow.has('10.77.0.200')).toBe(true);
    expect(c.lan.allow.has('10.77.1.1')).toBe(false);
    expect(c.store).toBe('/etc/ghostguard/ghostguard.db');
    expect(c.dashboard).toEqual({ listen: { address: '127.0.0.1', family: 4, port: 8080 }, token: null });
    expect(c.source).toBe('ghostguard.yaml');
  });

  it('fills in every default', () => {
    const c = ok(MINIMAL);
    expect(c.provider.registrar).toBeNull();
    expect(c.provider.trusted.size).toBe(0);
    expect(c.wan).toEqual({ listen: { address: '0.0.0.0', family: 4, port: 0 }, transports: ['udp', 'tcp'], public: null, tls: null, readers: 'auto' });
    expect(c.lan.listen.port).toBe(5060);
    expect(c.lan.transports).toEqual(['udp', 'tcp']);
    expect(c.lan.allow.toStrings()).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '127.0.0.0/8', 'fc00::/7', 'fe80::/10', '::1']);
    expect(c.lan.allow.has('203.0.113.1')).toBe(false);
    expect(c.store).toBe('/etc/ghostguard/ghostguard.db');
    expect(c.dashboard.listen).toEqual({ address: '127.0.0.1', family: 4, port: 8080 });
    expect(c.policy.unknown).toBe('drop');
    expect(c.events).toEqual({ retentionDays: 30, aggregateWindowSeconds: 60, maxSourcesPerWindow: 10_000, newSourcesPerSecond: 200, maxRows: 1_000_000 });
  });

  it('takes an empty value as "use the default"', () => {
    const c = ok(`${MINIMAL}wan:\n  listen:\n  transports:\npolicy:\n`);
    expect(c.wan.listen.port).toBe(0);
    expect(c.wan.transports).toEqual(['udp', 'tcp']);
  });

  it('reads IPv6 everywhere (quoted when a port follows)', () => {
    const c = ok(`provider:
  domain: voip.example.test
  registrar: "[2001:db8::10]:5060"
  trusted: [2001:db8::/32, "::ffff:203.0.113.0/120"]
wan:
  listen: "[2001:db8:1::30]:5071"
lan:
  listen: "[fd00::1]"
  allow: [fd00::/64]
dashboard:
  listen: "[::1]:8080"
`);
    expect(c.provider.registrar).toEqual({ host: '2001:db8::10', kind: 'ipv6', port: 5060 });
    expect(c.provider.trusted.has('203.0.113.9')).toBe(true);
    expect(c.provider.trusted.has('2001:db8:5::1')).toBe(true);
    expect(c.wan.listen).toEqual({ address: '2001:db8:1::30', family: 6, port: 5071 });
    expect(c.lan.listen).toEqual({ address: 'fd00::1', family: 6, port: 5060 });
    expect(c.dashboard.listen.family).toBe(6);
  });

  it('reads policy, events, public, a single address for a list, and 403 unquoted', () => {
    const c = ok(`${MINIMAL}  allow: 10.77.0.0/24
wan:
  public: gw.example.test:5071
policy:
  unknown: 403
events:
  retention_days: 7
  aggregate_window_s: 10
  max_sources_per_window: 500
  new_sources_per_s: 50
  max_rows: 50000
`);
    expect(c.lan.allow.toStrings()).toEqual(['10.77.0.0/24']);
    expect(c.wan.public).toEqual({ host: 'gw.example.test', kind: 'domain', port: 5071 });
    expect(c.policy.unknown).toBe('403');
    expect(c.events).toEqual({ retentionDays: 7, aggregateWindowSeconds: 10, maxSourcesPerWindow: 500, newSourcesPerSecond: 50, maxRows: 50000 });
  });

  it('keeps :memory: and absolute store paths as written', () => {
    expect(ok(`${MINIMAL}store: ":memory:"\n`).store).toBe(':memory:');
    expect(ok(`${MINIMAL}store: /var/lib/gg/gg.db\n`).store).toBe('/var/lib/gg/gg.db');
    expect(ok(`${MINIMAL}store: data/gg.db\n`).store).toBe('/etc/ghostguard/data/gg.db');
  });
});

describe('parseConfig: located errors ("wan.listen: port 70000 is out of range")', () => {
  it('reports a bad port at the value', () => {
    const e = only(errors(`${MINIMAL}wan:\n  listen: 192.0.2.30:70000\n`), 'wan.listen');
    expect(e).toMatchObject({ code: 'GG_ERR_CONFIG', line: 6, column: 11, message: 'port 70000 is out of range (0..65535)' });
    expect(formatConfigError(e)).toBe('ghostguard.yaml:6:11: wan.listen: port 70000 is out of range (0..65535) [GG_ERR_CONFIG]');
  });

  it('reports each bad CIDR of a list at its item', () => {
    const list = errors(`provider:
  domain: voip.example.test
  trusted:
    - 203.0.113.0/28
    - 203.0.113.0/33
    - 2001:db8::g/32
lan:
  listen: 10.77.0.1
  allow: [10.77.0.0/24, 10.77.0/24]
`);
    expect(only(list, 'provider.trusted[1]')).toMatchObject({ line: 5, column: 7, message: 'prefix /33 is too long for an IPv4 address (at most /32)' });
    expect(only(list, 'provider.trusted[2]')).toMatchObject({ line: 6, column: 7, message: '"2001:db8::g" is not an IPv4 or IPv6 address' });
    expect(only(list, 'lan.allow[1]')).toMatchObject({ line: 9, column: 25 });
    expect(list).toHaveLength(3);
  });

  it('refuses trusting blocks so wide they would let anyone in', () => {
    const list = errors('provider:\n  domain: x.test\n  trusted: [0.0.0.0/0, 10.0.0.0/7, "2001::/15", "2001::/16"]\nlan:\n  listen: 10.77.0.1\n');
    expect(only(list, 'provider.trusted[0]').message).toBe(
      '0.0.0.0/0 is too wide to trust (it would let much of the internet ring your phones); use at most /8',
    );
    expect(only(list, 'provider.trusted[1]').message).toContain('too wide to trust');
    expect(only(list, 'provider.trusted[2]').message).toContain('use at most /16');
    expect(list).toHaveLength(3);
  });

  it('reports unknown keys with a suggestion, also for keys in the wrong section', () => {
    const list = errors(`provider:
  domian: voip.example.test
wan:
  lisen: 192.0.2.30:0
events:
  retentionDays: 3
listen: 1.2.3.4
lan:
  listen: 10.77.0.1
stor: ./x.db
`);
    expect(only(list, 'provider.domian')).toMatchObject({ line: 2, column: 3, message: 'unknown key "domian" (did you mean "domain"?)' });
    expect(only(list, 'wan.lisen')).toMatchObject({ line: 4, column: 3, message: 'unknown key "lisen" (did you mean "listen"?)' });
    expect(only(list, 'events.retentionDays').message).toBe('unknown key "retentionDays" (did you mean "retention_days"?)');
    expect(only(list, 'listen')).toMatchObject({
      line: 7,
      column: 1,
      message: 'unknown key "listen" here (did you mean "wan.listen", "lan.listen" or "dashboard.listen"?)',
    });
    expect(only(list, 'stor').message).toBe('unknown key "stor" (did you mean "store"?)');
    // and the domain that the typo hid is missing:
    expect(only(list, 'provider.domain')).toMatchObject({ line: 1, column: 1 });
  });

  it('lists the known keys when nothing is close', () => {
    const e = only(errors(`${MINIMAL}policy:\n  whatever: 1\n`), 'policy.whatever');
    expect(e.message).toBe('unknown key "whatever" in policy; known keys: unknown');
  });

  it('reports a missing domain at the provider section, and at the top when there is none', () => {
    expect(only(errors('provider:\n  registrar: 203.0.113.10\nlan:\n  listen: 10.77.0.1\n'), 'provider.domain')).toMatchObject({
      line: 1,
      column: 1,
      message: 'the SIP domain of your provider account is required (e.g. voip.example.test)',
    });
    const list = errors('lan:\n  listen: 10.77.0.1\n');
    expect(only(list, 'provider.domain').line).toBe(1);
  });

  it('reports both required keys of an empty file', () => {
    const list = errors('');
    expect(list.map((e) => e.path)).toEqual(['provider.domain', 'lan.listen']);
  });

  it('needs wan.tls.cert and wan.tls.key for tls, and the files must exist', () => {
    const missing = errors(`${MINIMAL}wan:\n  transports: [udp, tls]\n`);
    expect(only(missing, 'wan.tls.cert')).toMatchObject({ line: 5, column: 1, message: 'the TLS transport needs wan.tls.cert (the certificate file)' });
    expect(only(missing, 'wan.tls.key').message).toBe('the TLS transport needs wan.tls.key (the private key file)');

    const tls = `${MINIMAL}wan:\n  transports: [tls]\n  tls:\n    cert: certs/gg.crt\n    key: /etc/ssl/gg.key\n`;
    const absent = errors(tls);
    expect(only(absent, 'wan.tls.cert')).toMatchObject({ line: 8, column: 11, message: 'the certificate file /etc/ghostguard/certs/gg.crt does not exist or is not a file' });
    expect(only(absent, 'wan.tls.key').line).toBe(9);

    const c = ok(tls, { baseDir: BASE, fileExists: (p) => p === '/etc/ghostguard/certs/gg.crt' || p === '/etc/ssl/gg.key' });
    expect(c.wan.tls).toEqual({ cert: '/etc/ghostguard/certs/gg.crt', key: '/etc/ssl/gg.key', port: null });
    expect(c.wan.transports).toEqual(['tls']);
  });

  it('takes tls on the LAN leg (phones across the internet) only with lan.tls files, and refuses unknown transports, at the item', () => {
    const list = errors(`${MINIMAL}  transports: [udp, tls]\nwan:\n  transports: [udp, sctp]\n`);
    expect(only(list, 'lan.tls.cert').message).toBe('the TLS transport needs lan.tls.cert (the certificate file)');
    expect(only(list, 'wan.transports[1]')).toMatchObject({ line: 7, column: 21, message: 'expected one of udp, tcp, tls; found "sctp"' });
    expect(only(errors(`${MINIMAL}wan:\n  transports: []\n`), 'wan.transports').message).toContain('at least one transport');

    const lanTls = `${MINIMAL}  transports: [tls]\n  tls:\n    cert: gg.crt\n    key: gg.key\n    port: 5061\n`;
    const c = ok(lanTls, { baseDir: BASE, fileExists: (p) => p === '/etc/ghostguard/gg.crt' || p === '/etc/ghostguard/gg.key' });
    expect(c.lan.tls).toEqual({ cert: '/etc/ghostguard/gg.crt', key: '/etc/ghostguard/gg.key', port: 5061 });
    expect(c.lan.transports).toEqual(['tls']);
  });

  it('wants IP addresses to listen on, and port 0 only on the WAN leg', () => {
    const list = errors(`provider:
  domain: voip.example.test
lan:
  listen: 10.77.0.1:0
dashboard:
  listen: localhost:8080
`);
    expect(only(list, 'lan.listen').message).toBe('port 0 (a random port chosen once) is only for wan.listen; write the port here');
    expect(only(list, 'dashboard.listen').message).toContain('"localhost" is a name');
  });

  it('explains the YAML trap of an unquoted IPv6 address with a port', () => {
    const list = errors(`${MINIMAL}wan:\n  listen: [2001:db8::1]:5060\n`);
    expect(list[0]).toMatchObject({ path: '', line: 6 });
    expect(list[0]!.message).toMatch(/^YAML syntax: .*must be quoted/);
    const seq = errors(`${MINIMAL}wan:\n  listen: [2001:db8::1]\n`);
    expect(only(seq, 'wan.listen').message).toContain('must be quoted');
  });

  it('locates YAML syntax errors and duplicate keys', () => {
    const list = errors('provider:\n  domain: a.test\n  domain: b.test\n');
    expect(list[0]).toMatchObject({ path: '', line: 3, column: 3 });
    expect(list[0]!.message).toContain('unique');
    const tabs = errors('provider:\n\tdomain: a.test\n');
    expect(tabs[0]!.line).toBe(2);
  });

  it('type-checks: numbers where text is wanted, text where numbers are, ranges', () => {
    const list = errors(`provider:
  domain: 12345
lan:
  listen: 10.77.0.1
events:
  retention_days: forever
  aggregate_window_s: 0
  max_rows: 2.5
policy:
  unknown: 405
dashboard:
  token: 0123456789012345678
`);
    expect(only(list, 'provider.domain').message).toBe('expected text; found 12345 (put it in quotes)');
    expect(only(list, 'events.retention_days').message).toBe('expected a whole number (1..3650); found "forever"');
    expect(only(list, 'events.aggregate_window_s')).toMatchObject({ line: 7, column: 23, message: '0 is out of range (1..3600)' });
    expect(only(list, 'events.max_rows').message).toContain('expected a whole number');
    expect(only(list, 'policy.unknown').message).toBe('expected one of drop, 403, 404; found 405');
    expect(only(list, 'dashboard.token').message).toContain('put it in quotes');
  });

  it('requires a dashboard token beyond loopback, of a decent length', () => {
    const open = only(errors(`${MINIMAL}dashboard:\n  listen: 0.0.0.0:8080\n`), 'dashboard.token');
    expect(open).toMatchObject({ line: 6, column: 11 });
    expect(open.message).toContain('set dashboard.token');
    expect(only(errors(`${MINIMAL}dashboard:\n  token: short\n`), 'dashboard.token').message).toBe('the token is too short (5 characters; at least 16)');
    const c = ok(`${MINIMAL}dashboard:\n  listen: 10.77.0.1:8080\n  token: "s3cret-s3cret-s3cret"\n`);
    expect(c.dashboard.token).toBe('s3cret-s3cret-s3cret');
  });

  it('reports legs that would bind the same port', () => {
    const e = only(errors(`${MINIMAL}wan:\n  listen: 0.0.0.0:5060\n`), 'lan.listen');
    expect(e).toMatchObject({ line: 4, message: 'port 5060 on 10.77.0.1 clashes with wan.listen' });
    // a different protocol on the same port is fine (SIP over UDP, the dashboard over TCP)
    ok(`${MINIMAL}  transports: [udp]\ndashboard:\n  listen: 10.77.0.1:5060\n  token: "0123456789abcdef"\n`);
  });

  it('reports a non-mapping section and a domain with a port', () => {
    const list = errors('provider: voip.example.test\nlan:\n  listen: 10.77.0.1\n');
    expect(only(list, 'provider')).toMatchObject({ line: 1, column: 11 });
    expect(only(list, 'provider').message).toContain('expected a mapping with the keys domain, registrar, trusted');
    const port = only(errors('provider:\n  domain: voip.example.test:5060\nlan:\n  listen: 10.77.0.1\n'), 'provider.domain');
    expect(port.message).toBe('the domain has no port; put host:port in provider.registrar');
  });

  it('reports every error at once, sorted by position', () => {
    const list = errors(`provider:
  registrar: 203.0.113.10:0
wan:
  listen: 192.0.2.30:99999
  transports: [udp, quic]
lan:
  listen: 10.77.0.1
  allow: [10.77.0.0/99]
events:
  retention_days: 0
`);
    expect(list.map((e) => e.path)).toEqual([
      'provider.domain',
      'provider.registrar',
      'wan.listen',
      'wan.transports[1]',
      'lan.allow[0]',
      'events.retention_days',
    ]);
    expect(list.every((e) => e.code === 'GG_ERR_CONFIG' && e.source === 'ghostguard.yaml')).toBe(true);
  });
});

describe('parseConfig: wan.readers', () => {
  const withReaders = (value: string) => `${MINIMAL}wan:\n  readers: ${value}\n`;

  it('is auto by default, and takes auto or a whole number of processes', () => {
    expect(ok(MINIMAL).wan.readers).toBe('auto');
    expect(ok(withReaders('auto')).wan.readers).toBe('auto');
    expect(ok(withReaders('0')).wan.readers).toBe(0);
    expect(ok(withReaders('3')).wan.readers).toBe(3);
  });

  it('refuses other words and numbers out of range, where they are written', () => {
    expect(only(errors(withReaders('many')), 'wan.readers').message).toBe('expected auto or a whole number of processes (0..16); found "many"');
    expect(only(errors(withReaders('17')), 'wan.readers').message).toBe('17 is out of range (0..16)');
    expect(only(errors(withReaders('1.5')), 'wan.readers').message).toMatch(/expected a whole number \(0\.\.16\)/);
  });
});
