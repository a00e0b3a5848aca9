import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.js';
import type { BanChange } from '../defense/bans/ban-control.js';
import {
  DOMAIN,
  FakePhone,
  GUARD_LAN_IP,
  GUARD_WAN_IP,
  PROVIDER_IP,
  Peer,
  SCANNER_IP,
  isRequest,
  providerInvite,
  registeredAlias,
  settle,
  world,
  type World,
} from './test-kit.js';

/** The test world's config, with phones also allowed from 198.18.0.0/15 (internet phones of a VPS guard). */
function config(defense: string) {
  const text = `provider:
  domain: ${DOMAIN}
  registrar: ${PROVIDER_IP}:5060
wan:
  listen: ${GUARD_WAN_IP}:0
  transports: [udp]
lan:
  listen: ${GUARD_LAN_IP}:5060
  allow: [10.77.0.0/24, 198.18.0.0/15]
  transports: [udp]
store: ":memory:"
defense:
${defense}`;
  const result = parseConfig(text, 'test.yaml', { baseDir: '/tmp', fileExists: () => false });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

let w: World | undefined;
const peers: Peer[] = [];
afterEach(async () => {
  await w?.close();
  w = undefined;
  for (const p of peers.splice(0)) await p.close();
});

async function peer(address: string, port = 5060): Promise<Peer> {
  const p = await new Peer(w!.net, address, port).start();
  peers.push(p);
  return p;
}

let seq = 0;
function scannerInvite(from: string, user = '100'): string {
  seq++;
  return [
    `INVITE sip:${user}@${GUARD_WAN_IP} SIP/2.0`,
    `Via: SIP/2.0/UDP ${from}:5060;branch=z9hG4bK-flood${seq};rport`,
    'Max-Forwards: 70',
    `From: "sipvicious"<sip:100@1.1.1.1>;tag=t${seq}`,
    'To: "sipvicious"<sip:100@1.1.1.1>',
    'User-Agent: friendly-scanner',
    `Call-ID: flood-${seq}@1.1.1.1`,
    'CSeq: 1 INVITE',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function options(from: string): string {
  seq++;
  return [
    `OPTIONS sip:${GUARD_WAN_IP} SIP/2.0`,
    `Via: SIP/2.0/UDP ${from}:5060;branch=z9hG4bK-opt${seq};rport`,
    'Max-Forwards: 70',
    `From: <sip:ping@${from}>;tag=o${seq}`,
    `To: <sip:${GUARD_WAN_IP}>`,
    `Call-ID: opt-${seq}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('Guard + Defense: rate limits and bans from config.defense', () => {
  it('bans a flooding source after flood_s of rate limiting, logs and emits it; its packets are then dropped unread', async () => {
    w = await world({ config: config('  rate: { requests_per_second: 5, burst: 10 }\n  bans: { flood_s: 2, refused: 100000 }\n') });
    const changes: BanChange[] = [];
    w.guard.bans.subscribe((c) => changes.push(c));
    const scanner = await peer(SCANNER_IP);
    // 40 INVITEs per second (4 every 100 ms) for up to 4 s: limited after the burst, banned 2 s later.
    for (let step = 0; step < 40 && !w.guard.bans.isBanned(SCANNER_IP); step++) {
      for (let i = 0; i < 4; i++) scanner.send(w.wan, scannerInvite(SCANNER_IP));
      await settle(8);
      w.clock.advance(100);
    }
    expect(w.guard.bans.isBanned(SCANNER_IP)).toBe(true);
    expect(changes).toMatchObject([{ kind: 'added', dryRun: false, ban: { address: SCANNER_IP, source: 'auto', strikes: 1 } }]);
    expect(w.logger.has(`banned ${SCANNER_IP} for 1 h: flood`)).toBe(true);
    const before = w.store.events.count({ reason: 'banned' }).events;
    scanner.send(w.wan, scannerInvite(SCANNER_IP));
    await settle();
    w.store.events.flush();
    expect(w.store.events.count({ reason: 'banned' }).events).toBe(before + 1);
    expect(scanner.inbox).toEqual([]);
  });

  it('bans a source refused `bans.refused` times in the window (an extension sweep under the rate limit)', async () => {
    w = await world({ config: config('  bans: { refused: 20, refused_window_s: 60 }\n') });
    const scanner = await peer(SCANNER_IP);
    for (let ext = 100; ext < 119; ext++) {
      scanner.send(w.wan, scannerInvite(SCANNER_IP, String(ext)));
      await settle(5);
      w.clock.advance(500);
    }
    expect(w.guard.bans.isBanned(SCANNER_IP)).toBe(false);
    scanner.send(w.wan, scannerInvite(SCANNER_IP, '119'));
    await settle(5);
    expect(w.guard.bans.list()).toMatchObject([{ address: SCANNER_IP, reason: '20 refused requests in 60 s (not-from-provider, sipvicious)', family: 'sipvicious' }]);
  });

  it('rate-limits the provider but never bans it, and its calls ring the phone again once it slows down', async () => {
    w = await world({ config: config('  rate: { requests_per_second: 5, burst: 10 }\n  bans: { flood_s: 1, refused: 5 }\n') });
    await w.phone.registerFully();
    for (let step = 0; step < 30; step++) {
      for (let i = 0; i < 4; i++) w.provider.send(w.wan, options(PROVIDER_IP));
      await settle(8);
      w.clock.advance(100);
    }
    w.store.events.flush();
    expect(w.store.events.count({ source: PROVIDER_IP }).events).toBeGreaterThan(50); // refused as a flood
    expect(w.guard.bans.list()).toEqual([]);
    expect(w.guard.bans.add({ address: PROVIDER_IP, reason: 'test', source: 'manual' })).toMatchObject({ ok: false, refused: 'provider' });
    expect(w.logger.has("is the provider's: never banned")).toBe(true);
    w.clock.advance(5_000);
    w.provider.send(w.wan, providerInvite(registeredAlias(w.registrar), { callId: 'after-flood' }));
    await w.phone.peer.expect(isRequest('INVITE'), 'the provider call after its flood');
  });

  it('guard.bans: a manual ban drops a WAN source before parsing; removal lets it in again', async () => {
    w = await world({ config: config('  dry_run: false\n') });
    const stranger = await peer('198.51.100.77');
    expect(w.guard.bans.add({ address: '198.51.100.0/24', reason: 'by hand', source: 'manual', durationMs: null })).toMatchObject({ ok: true });
    stranger.send(w.wan, options('198.51.100.77'));
    await settle();
    w.store.events.flush();
    expect(w.store.events.count({ source: '198.51.100.77', reason: 'banned' }).events).toBe(1);
    expect(w.guard.bans.remove('198.51.100.0/24')).toBe(true);
    stranger.send(w.wan, options('198.51.100.77'));
    await settle();
    w.store.events.flush();
    expect(w.store.events.count({ source: '198.51.100.77', reason: 'not-from-provider' }).events).toBe(1);
  });

  it('dry run: the flooding source is shown as a would-be ban, and not banned', async () => {
    w = await world({ config: config('  dry_run: true\n  bans: { refused: 5 }\n') });
    const changes: BanChange[] = [];
    w.guard.bans.subscribe((c) => changes.push(c));
    const scanner = await peer(SCANNER_IP);
    for (let i = 0; i < 8; i++) scanner.send(w.wan, scannerInvite(SCANNER_IP, String(200 + i)));
    await settle();
    expect(changes).toMatchObject([{ kind: 'added', dryRun: true, ban: { address: SCANNER_IP } }]);
    expect(w.guard.bans.isBanned(SCANNER_IP)).toBe(false);
    expect(w.logger.has(`dry run: would ban ${SCANNER_IP}`)).toBe(true);
  });
});

describe('Guard + Defense: password guessing on the LAN leg from the internet', () => {
  it('bans a guessing source after `password.failures`; its REGISTERs are then dropped', async () => {
    w = await world({ config: config('  password: { failures: 3, window_s: 600 }\n') });
    const guesser = new FakePhone(await peer('198.18.0.66', 5062), 'alice', 'password123');
    for (let i = 0; i < 3; i++) {
      const final = await guesser.registerFully();
      expect(final.status).toBe(401);
      guesser.peer.inbox.length = 0;
    }
    expect(w.guard.bans.list()).toMatchObject([{ address: '198.18.0.66', reason: expect.stringContaining('password guessing: 3 failed REGISTERs') }]);
    const forwarded = w.registrar.seen.length;
    guesser.register();
    await settle();
    expect(w.registrar.seen.length).toBe(forwarded);
    expect(guesser.peer.inbox).toEqual([]);
  });

  it('an attacked account: a failing source gets one attempt per retry_s, answered 403 by the guard without reaching the provider', async () => {
    w = await world({ config: config('  password: { failures: 100, account_failures: 4, retry_s: 30 }\n') });
    for (let i = 1; i <= 4; i++) {
      const guesser = new FakePhone(await peer(`198.18.1.${i}`, 5062), 'alice', `guess${i}`);
      expect((await guesser.registerFully()).status).toBe(401);
    }
    const again = new FakePhone(peers.at(-1)!, 'alice', 'guess5');
    again.cseq = 50;
    const forwarded = w.registrar.seen.length;
    again.register();
    await again.peer.expect((m) => !m.isRequest && m.status === 403, '403 from the guard');
    expect(w.registrar.seen.length).toBe(forwarded);
    // A source that never failed on the account still gets its attempt.
    const fresh = new FakePhone(await peer('198.18.2.1', 5062), 'alice');
    expect((await fresh.registerFully()).status).toBe(200);
    w.clock.advance(30_000);
    again.cseq = 60;
    expect((await again.registerFully()).status).toBe(401);
    expect(w.guard.bans.list()).toEqual([]);
  });

  it('never locks out a real internet phone that got its password wrong twice', async () => {
    w = await world({ config: config('  password: { failures: 3, window_s: 600 }\n') });
    const at = await peer('198.18.0.50', 5062);
    for (let round = 0; round < 3; round++) {
      for (const password of ['typo1', 'typo2', 'secret']) {
        const phone = new FakePhone(at, 'alice', password);
        phone.cseq = 100 * round + 10 * password.length;
        const final = await phone.registerFully();
        expect(final.status).toBe(password === 'secret' ? 200 : 401);
        at.inbox.length = 0;
      }
    }
    expect(w.guard.bans.list()).toEqual([]);
  });

  it('builds, labels and explains one event per source and reason per window; a flood\'s repeats are only counted into its row', async () => {
    let classified = 0;
    w = await world({
      config: config('  rate: { requests_per_second: 100000, burst: 100000 }\n  bans: { refused: 100000 }\n'),
      guard: {
        classify: () => {
          classified++;
          return { family: 'sipvicious', variant: 'svmap', confidence: 0.9, signals: [] };
        },
      },
    });
    const scanner = await peer(SCANNER_IP);
    for (let i = 0; i < 50; i++) scanner.send(w.wan, scannerInvite(SCANNER_IP));
    await settle(20);
    w.store.events.flush();
    expect(classified).toBe(1);
    const page = w.store.events.query({ source: SCANNER_IP });
    expect(page.events).toHaveLength(1);
    expect(page.events[0]).toMatchObject({ count: 50, family: 'sipvicious', reasons: ['not-from-provider', 'no-alias', 'scanner-fingerprint'] });
    expect(page.events[0]!.explanation.en).toContain(SCANNER_IP);
    expect(w.guard.stats().drops['not-from-provider']).toBe(50);
    w.clock.advance(60_000); // the next aggregation window: a new row, labelled again
    scanner.send(w.wan, scannerInvite(SCANNER_IP));
    await settle(5);
    w.store.events.flush();
    expect(classified).toBe(2);
    expect(w.store.events.count({ source: SCANNER_IP })).toEqual({ rows: 2, events: 51 });
  });

  it('follows a blocklist file from defense.blocklists: its addresses are banned at start and their requests dropped unread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-blocklist-'));
    try {
      const list = join(dir, 'apiban.txt');
      writeFileSync(list, `# scanners\n${SCANNER_IP}\n203.0.113.128/25\n`);
      w = await world({ config: config(`  blocklists:\n    - file: ${list}\n      every: 1h\n`) });
      // The list is read from disk in the background after start (real I/O: wait in real time).
      for (let i = 0; i < 100 && !w.guard.bans.isBanned(SCANNER_IP); i++) await new Promise((r) => setTimeout(r, 20));
      expect(w.guard.bans.isBanned(SCANNER_IP)).toBe(true);
      expect(w.guard.bans.isBanned('203.0.113.200')).toBe(true);
      expect(w.guard.bans.isBanned('203.0.113.20')).toBe(false);
      expect(w.guard.defenseStatus()).toMatchObject({ nftables: null, blocklists: [{ source: list, entries: 2, lastError: null }] });
      const scanner = await peer(SCANNER_IP);
      scanner.send(w.wan, scannerInvite(SCANNER_IP));
      await settle(5);
      w.store.events.flush();
      expect(w.store.events.count({ source: SCANNER_IP, reason: 'banned' }).events).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
