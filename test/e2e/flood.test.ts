/**
 * Floods at the guard, with real peers (issue 6: defense). The lab of guarded-phone.test.ts:
 *
 *   wan bridge:  provider 203.0.113.10 (Kamailio; SIPp caller .11)
 *                scanner  198.51.100.66 (SIPp INVITE flood; spoof-flood, a raw-socket generator that
 *                         sends from random addresses of 198.18.0.0/15, RFC 2544's test range)
 *                guard    192.0.2.30:<WAN port>
 *   lan bridge:  guard 10.77.0.1:5060, phone 10.77.0.20 (baresip, outbound proxy the guard)
 *
 * The guard runs with the default rate limit (50 requests/s per source, bursts of 200) and bans a
 * source rate-limited for 3 s (`defense.bans.flood_s`); the refusal trigger is set out of reach, so
 * that the ban seen here is the rate limiter's. Each test checks that provider calls ring the phone
 * while the flood goes on, and what ended up banned (the guard's ban table in its store).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ADDR, SIP_DOMAIN } from './lib/addresses.js';
import { Baresip, type BaresipEvent } from './lib/baresip.js';
import { GhostGuard } from './lib/ghostguard.js';
import { readBans, rssKiB, waitForBans } from './lib/guard-bans.js';
import { Kamailio } from './lib/kamailio.js';
import { Lab, type Host } from './lib/netns.js';
import { placeProviderCall, Sipp } from './lib/sipp.js';
import { buildSpoofFlood, spoofFlood } from './lib/spoof-flood.js';
import { requireTools } from './lib/tools.js';
import { joinLan, joinWan } from './lib/topology.js';

const ready = requireTools(['ip', 'ss', 'kamailio', 'sipp', 'baresip', 'cc', 'libre-dev']);

const USER = 'alice';
const PASSWORD = 'correct-horse-7';
const CALLER_PORT = 5070;
const SPOOF_RANGE = '198.18.0.0/15';
const DEFENSE = ['defense:', '  bans:', '    flood_s: 3', '    refused: 1000000'].join('\n');

describe.skipIf(!ready)('floods at the guard: rate limits and bans, while provider calls still ring', () => {
  let lab: Lab;
  let provider: Host;
  let scanner: Host;
  let guard: GhostGuard;
  let phone: Baresip;
  let spoofBinary = '';

  beforeAll(async () => {
    lab = await Lab.create();
    provider = await lab.addHost('provider');
    const guardHost = await lab.addHost('guard');
    const phoneHost = await lab.addHost('phone');
    scanner = await lab.addHost('scanner');
    await joinWan(lab, provider, ADDR.provider, [ADDR.providerCaller]);
    const guardWanIf = await joinWan(lab, guardHost, ADDR.guardWan);
    // The spoofed sources are on-link for the guard, so its kernel's reverse-path check lets them in.
    await guardHost.addRoute(SPOOF_RANGE, guardWanIf);
    await joinLan(lab, guardHost, ADDR.guardLan);
    await joinLan(lab, phoneHost, ADDR.lanPhone);
    await joinWan(lab, scanner, ADDR.scanner);
    spoofBinary = await buildSpoofFlood(lab.path('tools', true));

    const kamailio = await Kamailio.start(provider, lab.path('provider', true), { domain: SIP_DOMAIN, address: ADDR.provider, users: { [USER]: PASSWORD } });
    guard = new GhostGuard(guardHost, lab.path('guard', true), {
      domain: SIP_DOMAIN,
      registrar: `${ADDR.provider}:5060`,
      wanAddress: ADDR.guardWan,
      lanListen: `${ADDR.guardLan}:5060`,
      lanAllow: ['10.77.0.0/24'],
      transports: ['udp'],
      logLevel: 'info',
      extraYaml: DEFENSE,
    });
    const check = await guard.checkConfig();
    expect(check.code, check.output).toBe(0);
    expect(check.output).toContain('Bans: a source rate-limited for 3 s, or refused 1000000 times in 60 s');
    await guard.start();
    phone = await Baresip.start(phoneHost, lab.path('phone', true), {
      address: ADDR.lanPhone,
      accounts: [{ aor: `sip:${USER}@${SIP_DOMAIN}`, password: PASSWORD, outbound: `sip:${ADDR.guardLan}:5060`, regint: 3600 }],
    });
    await kamailio.waitForRegistration(USER, 15_000);
  }, 90_000);

  afterAll(async () => {
    await lab?.destroy();
  });

  const fromProvider = (e: BaresipEvent): boolean => e.peeruri === `sip:caller@${SIP_DOMAIN}`;

  /** Places a provider call (ring, then CANCEL) and waits for the phone to ring for it. */
  async function providerCallRings(what: string): Promise<void> {
    const before = phone.rings.length;
    const call = placeProviderCall(provider, lab.path('logs'), { scenario: 'uac-ring-cancel', user: USER, callerPort: CALLER_PORT, pauseMs: 500 });
    onTestFinished(() => call.stop());
    await phone.waitForEvent((e) => e.type === 'CALL_INCOMING' && fromProvider(e) && phone.rings.indexOf(e) >= before, 15_000, `provider ring ${what}`);
    const result = await call.done;
    expect(result.ok, result.output.slice(-2000)).toBe(true);
  }

  /** Waits until the guard recorded at least `n` requests from sources matching the SQL LIKE pattern. */
  async function recorded(pattern: string, n: number): Promise<void> {
    await guard.waitForEvents(`requests from ${pattern}`, 'remote_address LIKE ?', [pattern], (rows) => rows.reduce((s, r) => s + r.count, 0) >= n, 15_000);
  }

  it('a SIPp INVITE flood from one source (300/s): rate-limited, then banned; a provider call rings during it', async () => {
    const flood = new Sipp(
      scanner,
      { scenario: 'invite-flood', name: 'flood', target: `${ADDR.guardWan}:${guard.wanPort}`, address: ADDR.scanner, port: 5064, service: '100', calls: 3000, rate: 300, timeoutSec: 20, noRetransmissions: true },
      lab.path('logs'),
    );
    onTestFinished(() => flood.stop());
    await recorded(ADDR.scanner, 300); // the flood is on: past its burst of 200
    await providerCallRings('during the SIPp flood');
    const bans = await waitForBans(guard.storePath, `ban of ${ADDR.scanner}`, (rows) => rows.some((b) => b.address === ADDR.scanner));
    expect(flood.child.running, 'the flood still runs after the provider call rang and the ban').toBe(true);
    expect(bans).toMatchObject([{ address: ADDR.scanner, source: 'auto', strikes: 1, reason: 'flood: over 50 requests/s without pause for 3 s' }]);
    const ban = bans[0]!;
    expect(ban.expires_at! - ban.created_at).toBe(3_600_000);
    expect(guard.child.output).toContain(`banned ${ADDR.scanner} for 1 h: flood`);
    const result = await flood.done;
    expect(result.successful, result.output.slice(-2000)).toBe(3000);
    // After the ban, the rest of the flood is dropped unread, as `banned`.
    const rows = await guard.waitForEvents('banned drops', 'remote_address = ? AND reason = ?', [ADDR.scanner, 'banned'], (r) => r.reduce((s, x) => s + x.count, 0) > 500);
    expect(rows.every((r) => r.method === null)).toBe(true);
    expect(phone.rings.filter((e) => !fromProvider(e)).map((e) => e.peeruri)).toEqual([]);
  }, 90_000);

  it('a spoofed-source flood (30,000 INVITEs from random addresses of 198.18.0.0/15): bounded memory, nothing banned, a provider call rings during it', async () => {
    const rssBefore = await rssKiB(guard.child.pid);
    const flood = spoofFlood(scanner, spoofBinary, { to: ADDR.guardWan, port: guard.wanPort, sources: SPOOF_RANGE, count: 30_000, rate: 3_000, seed: 7 });
    onTestFinished(async () => {
      await flood.child.stop();
    });
    await recorded('198.1_.%', 1_000);
    await providerCallRings('during the spoofed flood');
    expect(flood.child.running, 'the spoofed flood still runs after the provider call rang').toBe(true);
    const sent = await flood.done;
    expect(sent.sent).toBe(30_000);
    expect(sent.distinct).toBeGreaterThan(25_000);
    // The guard took the flood in (rows per source up to its per-window cap, then overflow rows "*").
    await guard.waitForEvents('the spoofed flood', "remote_address LIKE '198.1_.%' OR remote_address = '*'", [], (rows) => rows.reduce((s, r) => s + r.count, 0) >= 15_000);
    const rssAfter = await rssKiB(guard.child.pid);
    expect(rssAfter - rssBefore, `RSS ${rssBefore} KiB → ${rssAfter} KiB`).toBeLessThan(150 * 1024);
    // One or two INVITEs per source: no source reaches a trigger, so nothing new is banned.
    expect(readBans(guard.storePath).map((b) => b.address)).toEqual([ADDR.scanner]);
  }, 90_000);

  it('the provider floods (300/s for 5 s): rate-limited, never banned; its calls ring again once it slows down', async () => {
    const flood = await Sipp.run(
      provider,
      { scenario: 'invite-flood', name: 'provider-flood', target: `${ADDR.guardWan}:${guard.wanPort}`, address: ADDR.provider, port: 5090, service: '100', calls: 1500, rate: 300, timeoutSec: 20, noRetransmissions: true },
      lab.path('logs'),
    );
    expect(flood.successful, flood.output.slice(-2000)).toBe(1500);
    // Rate-limited for flood_s: the trigger fired, and the ban table refused (the events of this flood
    // may sit in the store's overflow row: the spoofed flood filled this window's 10,000 source rows).
    const escaped = ADDR.provider.replace(/\./g, '\\.');
    await guard.child.waitForOutput(new RegExp(`not banned: ${escaped} is the provider's: never banned \\(only rate-limited\\)`), 15_000);
    expect(readBans(guard.storePath).map((b) => b.address)).toEqual([ADDR.scanner]);
    // The bucket refills to half (100 requests at 50/s) within 2 s of quiet.
    await new Promise((r) => setTimeout(r, 2_500));
    await providerCallRings('after the provider flood');
  }, 90_000);
});
