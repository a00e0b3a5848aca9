import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import { SETTING_KEYS } from '../store/settings-store.js';
import { LoopNetwork } from '../transport/loop-transport.js';
import { ManualClock } from '../util/clock.js';
import {
  DOMAIN,
  FakePhone,
  GUARD_LAN,
  GUARD_WAN_IP,
  PHONE2_IP,
  PROVIDER_IP,
  Peer,
  SCANNER_IP,
  START,
  guardConfig,
  isRequest,
  providerInvite,
  registeredAlias,
  settle,
  world,
  type World,
} from './test-kit.js';

let w: World | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await w?.close();
  w = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function peer(world: World, address: string, port = 5060): Promise<Peer> {
  const p = await new Peer(world.net, address, port).start();
  cleanups.push(() => p.close());
  return p;
}

/** An svmap-style INVITE (SIPVicious: From "sipvicious" <sip:100@1.1.1.1>, To = From, sip:100@target). */
function svmapInvite(target: string): string {
  return [
    `INVITE sip:100@${target} SIP/2.0`,
    `Via: SIP/2.0/UDP ${SCANNER_IP}:5060;branch=z9hG4bK-2735719417;rport`,
    'Max-Forwards: 70',
    'To: "sipvicious"<sip:100@1.1.1.1>',
    'From: "sipvicious"<sip:100@1.1.1.1>;tag=6138623561363733313363340133303636363632333533',
    'User-Agent: friendly-scanner',
    'Call-ID: 876543219876543@1.1.1.1',
    'Contact: sip:100@1.1.1.1:5060',
    'CSeq: 1 INVITE',
    'Accept: application/sdp',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('Guard: the inbound gate acts (DESIGN §2)', () => {
  it('drops a stranger\'s svmap INVITE silently and records it with reasons and an explanation', async () => {
    w = await world();
    await w.phone.registerFully();
    const scanner = await peer(w, SCANNER_IP);
    const transactions = w.guard.stats().relay?.transactions.serverTransactions;
    scanner.send(w.wan, svmapInvite(GUARD_WAN_IP));
    await settle();
    expect(scanner.inbox).toEqual([]); // not even a 100 Trying: a scanner learns nothing
    expect(await w.phone.peer.count(isRequest('INVITE'))).toBe(0);
    const [event] = w.store.events.query({ leg: 'wan' }).events;
    expect(event).toMatchObject({
      method: 'INVITE',
      requestUri: `sip:100@${GUARD_WAN_IP}`,
      userAgent: 'friendly-scanner',
      reasons: ['not-from-provider', 'no-alias', 'scanner-fingerprint'],
      family: 'sipvicious',
      flow: { remoteAddress: SCANNER_IP },
    });
    expect(event!.explanation.en).toContain('SIPVicious');
    expect(event!.explanation.en).toContain(SCANNER_IP);
    expect(event!.explanation.en).toContain(DOMAIN);
    expect(event!.explanation.ja.length).toBeGreaterThan(10);
    expect(event!.raw?.toString('latin1')).toContain('friendly-scanner');
    expect(w.guard.stats().drops['not-from-provider']).toBe(1);
    expect(w.guard.stats().relay?.transactions.serverTransactions).toBe(transactions); // no transaction for scanner traffic
  });

  it('drops a byte-for-byte copy of a real provider INVITE that comes from another address', async () => {
    w = await world();
    await w.phone.registerFully();
    const copy = providerInvite(registeredAlias(w.registrar));
    const scanner = await peer(w, SCANNER_IP);
    scanner.send(w.wan, copy);
    await settle();
    expect(await w.phone.peer.count(isRequest('INVITE'))).toBe(0);
    expect(scanner.inbox).toEqual([]);
    expect(w.store.events.query({}).events[0]?.reasons).toEqual(['not-from-provider']);
    // The same bytes from the provider ring the phone.
    w.provider.send(w.wan, copy);
    await w.phone.peer.expect(isRequest('INVITE'), 'the real call');
  });

  it('never relays a request from the WAN leg towards a foreign destination (no open relay)', async () => {
    w = await world();
    await w.phone.registerFully();
    const victim = await peer(w, '198.51.100.99');
    w.provider.send(w.wan, providerInvite('sip:0049301234567@198.51.100.99'));
    await settle();
    expect(victim.inbox).toEqual([]);
    expect(await w.phone.peer.count(isRequest('INVITE'))).toBe(0);
    // An international number towards a foreign host: the shape of toll fraud, and labelled so.
    expect(w.store.events.query({}).events[0]).toMatchObject({ reasons: ['open-relay', 'scanner-fingerprint'], family: 'toll-fraud' });
  });

  it('answers 403 instead of dropping when policy.unknown says so', async () => {
    w = await world({ config: guardConfig('policy:\n  unknown: "403"\n') });
    const scanner = await peer(w, SCANNER_IP);
    scanner.send(w.wan, svmapInvite(GUARD_WAN_IP));
    const refused = await scanner.expect((m) => m.status === 403, '403');
    expect(refused.msg.getAll('Via')[0]).toContain(SCANNER_IP);
  });

  it('records an unparsable datagram as malformed', async () => {
    w = await world();
    const scanner = await peer(w, SCANNER_IP);
    scanner.send(w.wan, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await settle();
    expect(w.store.events.query({}).events[0]).toMatchObject({ reasons: ['malformed'], method: null });
  });

  it('records a datagram over the size limit as too-large, unread', async () => {
    w = await world();
    const scanner = await peer(w, SCANNER_IP);
    scanner.send(w.wan, `OPTIONS sip:x SIP/2.0\r\n${'X-Pad: '.padEnd(70_000, 'a')}\r\n\r\n`);
    await settle();
    expect(w.store.events.query({}).events[0]).toMatchObject({ reasons: ['too-large'], method: null, flow: { remoteAddress: SCANNER_IP } });
    expect(w.guard.stats().drops['too-large']).toBe(1);
  });

  it('ignores a request on the LAN leg from an address outside lan.allow', async () => {
    w = await world();
    const outsider = new FakePhone(await peer(w, '10.99.0.5'), 'mallory');
    outsider.register();
    await settle();
    expect(outsider.peer.inbox).toEqual([]);
    expect(w.registrar.seen).toEqual([]);
    expect(w.store.events.query({ leg: 'lan' }).events[0]?.reasons).toEqual(['lan-not-allowed']);
  });

  it('refuses a phone\'s request for a foreign destination with 403 (no toll fraud through the guard)', async () => {
    w = await world();
    w.phone.peer.send(GUARD_LAN, [
      'INVITE sip:0049301234567@198.51.100.99 SIP/2.0',
      'Via: SIP/2.0/UDP 10.77.0.20:5062;branch=z9hG4bKfraud;rport',
      'Max-Forwards: 70',
      `From: <sip:alice@${DOMAIN}>;tag=f1`,
      'To: <sip:0049301234567@198.51.100.99>',
      'Call-ID: fraud-1',
      'CSeq: 1 INVITE',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'));
    await w.phone.peer.expect((m) => m.status === 403, '403');
    expect(await w.provider.count(isRequest('INVITE'))).toBe(0);
  });
});

describe('Guard: bindings, phones and the provider', () => {
  it('delivers the next provider call after a restart without a new REGISTER (bindings and the WAN port are kept)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-proxy-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'guard.db');
    const net = new LoopNetwork();
    const clock = new ManualClock(START);
    const first = openStore(path, { clock });
    const before = await world({ net, clock, store: first });
    await before.phone.registerFully();
    const alias = registeredAlias(before.registrar);
    const port = before.wan.port;
    await before.close();
    first.close();

    const second = openStore(path, { clock });
    cleanups.push(() => second.close());
    w = await world({ net, clock, store: second, guard: { randomPort: () => 45678 } });
    expect(w.wan.port).toBe(port);
    expect(second.settings.get(SETTING_KEYS.wanPort)).toBe(String(port));
    expect(w.logger.has('binding(s) kept from before the restart')).toBe(true);
    w.provider.send(w.wan, providerInvite(alias));
    const invite = await w.phone.peer.expect(isRequest('INVITE'), 'INVITE after the restart');
    expect(invite.msg.requestUri).toBe(w.phone.contact);
  });

  it('rings the right phone when two phones are registered', async () => {
    w = await world();
    const bob = new FakePhone(await peer(w, PHONE2_IP), 'bob');
    await w.phone.registerFully();
    await bob.registerFully();
    w.provider.send(w.wan, providerInvite(registeredAlias(w.registrar, `sip:bob@${DOMAIN}`)));
    const invite = await bob.peer.expect(isRequest('INVITE'), 'INVITE at bob');
    expect(invite.msg.requestUri).toBe(bob.contact);
    expect(await w.phone.peer.count(isRequest('INVITE'))).toBe(0);
  });

  it('detects a provider that rewrites the Request-URI to the number, records it, and falls back (issue 3 item 4)', async () => {
    w = await world();
    await w.phone.registerFully();
    w.provider.send(w.wan, providerInvite(`sip:alice@${GUARD_WAN_IP}:${w.wan.port}`));
    const invite = await w.phone.peer.expect(isRequest('INVITE'), 'INVITE through the fallback');
    expect(invite.msg.requestUri).toBe(w.phone.contact);
    expect(w.store.settings.get(SETTING_KEYS.providerKeepsRequestUri)).toBe('no');
    expect(w.guard.status().providerRewritesUri).toBe(true);
    expect(w.logger.lines.filter((l) => l.msg.includes('rewrites the Request-URI'))).toHaveLength(1);
    // The fallback still needs the provider's address: the same request from a stranger is dropped.
    const scanner = await peer(w, SCANNER_IP);
    scanner.send(w.wan, providerInvite(`sip:alice@${GUARD_WAN_IP}:${w.wan.port}`, { callId: 'x', branch: 'z9hG4bKx' }));
    await settle();
    expect(await w.phone.peer.count(isRequest('INVITE'))).toBe(0);
  });

  it('records "yes" when a real call carries the token', async () => {
    w = await world();
    await w.phone.registerFully();
    w.provider.send(w.wan, providerInvite(registeredAlias(w.registrar)));
    await w.phone.peer.expect(isRequest('INVITE'), 'INVITE');
    expect(w.store.settings.get(SETTING_KEYS.providerKeepsRequestUri)).toBe('yes');
  });

  it('lets a phone call a phone behind the same guard through the provider (a spiral, not a loop: §16.3 step 4)', async () => {
    w = await world();
    const bob = new FakePhone(await peer(w, PHONE2_IP), 'bob');
    await w.phone.registerFully();
    await bob.registerFully();
    w.phone.peer.send(GUARD_LAN, [
      `INVITE sip:bob@${DOMAIN} SIP/2.0`,
      'Via: SIP/2.0/UDP 10.77.0.20:5062;branch=z9hG4bKspiral;rport',
      'Max-Forwards: 70',
      `From: <sip:alice@${DOMAIN}>;tag=sp1`,
      `To: <sip:bob@${DOMAIN}>`,
      'Call-ID: spiral-1',
      'CSeq: 1 INVITE',
      `Contact: <${w.phone.contact}>`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'));
    const out = await w.provider.expect(isRequest('INVITE'), 'INVITE at the provider');
    // The provider routes it to bob's alias, keeping the guard's Via below its own (§16.6 step 8).
    const text = out.text.replace(/^INVITE \S+/, `INVITE ${registeredAlias(w.registrar, `sip:bob@${DOMAIN}`)}`);
    const back = text.replace(/^Via: /m, `Via: SIP/2.0/UDP ${PROVIDER_IP}:5060;branch=z9hG4bKprovspiral;rport\r\nVia: `);
    w.provider.send(w.wan, back);
    await bob.peer.expect(isRequest('INVITE'), 'INVITE at bob');
  });

  it('logs where it listens on each leg, the WAN port and the trusted provider addresses', async () => {
    w = await world();
    expect(w.logger.has(`listening on the LAN leg: loop ${GUARD_LAN.address}:5060`)).toBe(true);
    expect(w.logger.has(`listening on the WAN leg: loop ${GUARD_WAN_IP}:${w.wan.port}`)).toBe(true);
    expect(w.logger.has(`WAN port ${w.wan.port}`)).toBe(true);
    expect(w.logger.has(`trusted provider addresses: ${PROVIDER_IP}`)).toBe(true);
  });

  it('counts messages by leg and method, and verdicts', async () => {
    w = await world();
    await w.phone.registerFully();
    const stats = w.guard.stats();
    expect(stats.messages['lan REGISTER']).toBe(2);
    expect(stats.messages['wan response']).toBe(2);
    expect(stats.verdicts['lan relay']).toBe(2);
    expect(stats.relay?.registrations).toMatchObject({ forwarded: 2, challenged: 1, registered: 1 });
  });
});
