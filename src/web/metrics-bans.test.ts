/**
 * Dry-run bans are listed (the dashboard marks them) but are not bans in force: /metrics
 * (`ghostguard_bans`) and the dashboard totals (`totals.banned`) count only real ones. A real guard with
 * `defense.dry_run: true` is flooded by a scanner (a would-be ban) and given manual bans (enforced).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GUARD_WAN_IP, Peer, SCANNER_IP, guardConfig, settle, world, type World } from '../proxy/test-kit.js';
import { tapEvents } from './event-tap.js';
import { countBansInForce } from './metrics-bans.js';
import { getJson } from './web-test-kit.js';
import { WebServer } from './web-server.js';

let w: World | undefined;
let server: WebServer | undefined;
let scanner: Peer | undefined;
afterEach(async () => {
  await server?.stop();
  await scanner?.close();
  await w?.close();
  server = undefined;
  scanner = undefined;
  w = undefined;
});

function scannerInvite(seq: number): string {
  return [
    `INVITE sip:${200 + seq}@${GUARD_WAN_IP} SIP/2.0`,
    `Via: SIP/2.0/UDP ${SCANNER_IP}:5060;branch=z9hG4bK-dry${seq};rport`,
    'Max-Forwards: 70',
    `From: "sipvicious"<sip:100@1.1.1.1>;tag=t${seq}`,
    'To: "sipvicious"<sip:100@1.1.1.1>',
    'User-Agent: friendly-scanner',
    `Call-ID: dry-${seq}@1.1.1.1`,
    'CSeq: 1 INVITE',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

async function counts(url: string): Promise<{ listed: number; metric: string | undefined; banned: number }> {
  const listed = (await getJson(`${url}api/bans`)).body.bans.length as number;
  const metrics = (await getJson(`${url}metrics`)).body as string;
  const banned = (await getJson(`${url}api/stats`)).body.totals.banned as number;
  return { listed, metric: /^ghostguard_bans (\d+)$/m.exec(metrics)?.[1], banned };
}

async function post(url: string, address: string): Promise<void> {
  const res = await getJson(`${url}api/bans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address, reason: 'test' }) });
  expect(res.status).toBe(201);
  expect(res.body.dryRun).toBe(false);
}

describe('bans in force, with the defense in dry-run mode', () => {
  it('/metrics and the dashboard totals leave would-be bans out; the bans list keeps them', async () => {
    w = await world({ config: guardConfig('defense:\n  dry_run: true\n  bans: { refused: 5 }\n') });
    const tap = tapEvents(w.store);
    server = new WebServer({ guard: w.guard, store: tap.store, events: tap, bans: w.guard.bans, clock: w.clock, version: '0.0.0-test' });
    const url = await server.start({ address: '127.0.0.1', port: 0 }, null);

    scanner = await new Peer(w.net, SCANNER_IP, 5060).start();
    for (let i = 0; i < 8; i++) scanner.send(w.wan, scannerInvite(i));
    await settle();
    expect(w.guard.bans.list().map((b) => b.address)).toEqual([SCANNER_IP]);
    expect(w.guard.bans.isDryRun?.(SCANNER_IP)).toBe(true);
    expect(await counts(url)).toEqual({ listed: 1, metric: '0', banned: 0 });

    // A person's ban is enforced even in dry-run mode.
    await post(url, '192.0.2.99');
    expect(await counts(url)).toEqual({ listed: 2, metric: '1', banned: 1 });

    // A real ban for the address that also holds a would-be ban: both listed, one in force.
    await post(url, SCANNER_IP);
    expect(w.guard.bans.isBanned(SCANNER_IP)).toBe(true);
    expect(await counts(url)).toEqual({ listed: 3, metric: '2', banned: 2 });
    expect(countBansInForce(w.guard.bans)).toBe(2);
  });

  it('counts every listed ban when the ban control has no dry run', () => {
    const ban = (address: string) => ({ address, reason: 'r', createdAt: 0, expiresAt: null, strikes: 1, source: 'manual' as const });
    expect(countBansInForce({ list: () => [ban('192.0.2.1'), ban('192.0.2.2')] })).toBe(2);
    expect(countBansInForce({ list: () => [ban('192.0.2.1'), ban('192.0.2.2')], isDryRun: (a) => a === '192.0.2.2' })).toBe(1);
  });
});
