/**
 * The guard with WAN reader processes on loopback sockets: strangers' requests are refused and
 * counted by the readers exactly as the guard would (stats, event rows with their family, bans),
 * the provider's datagrams reach the guard whole (a call rings the phone), and the guard reads its
 * socket itself while no reader runs, then hands it back to a restarted one.
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/parse-config.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { systemClock } from '../../util/clock.js';
import { Guard } from '../guard.js';
import { sharableFd } from '../../transport/udp-socket-sharing.js';
import { RecordingLogger, loopbackRegistrar, providerInvite } from '../test-kit.js';
import { WanReaders } from './wan-readers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const SVMAP = Buffer.from(
  readFileSync(join(import.meta.dirname, '../../../test/fixtures/scanners/sipvicious-svmap-invite.sip'), 'latin1').replace(/\r?\n/g, '\r\n'),
  'latin1',
);

function waitFor<T>(what: string, attempt: () => T | undefined, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      const value = attempt();
      if (value !== undefined) resolve(value);
      else if (Date.now() - started > ms) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

async function udp(address: string): Promise<Socket> {
  const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
  cleanups.push(() => new Promise<void>((done) => socket.close(() => done())));
  await new Promise<void>((done) => socket.bind(0, address, done));
  return socket;
}

interface Setup {
  guard: Guard;
  store: Store;
  wanPort: number;
  lanPort: number;
  registrar: Socket;
  alias: () => string;
}

/** A guard with `readers` reader processes; its provider (a registrar answering 200) on 127.0.0.1. */
async function start(readers: number, defense = '', wanListen = '127.0.0.1:0', readersKnowProvider = true): Promise<Setup> {
  const provider = await loopbackRegistrar();
  cleanups.push(() => provider.close());
  const lanPort = 30_000 + Math.floor(Math.random() * 20_000);
  const result = parseConfig(
    `provider:\n  domain: voip.example.test\n  registrar: 127.0.0.1:${provider.socket.address().port}\nwan:\n  listen: "${wanListen}"\n  transports: [udp]\n  readers: ${readers}\nlan:\n  listen: 127.0.0.1:${lanPort}\n  allow: [127.0.0.1]\n  transports: [udp]\nstore: ":memory:"\n${defense}`,
    'readers.yaml',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const store = openStore(':memory:', { clock: systemClock });
  cleanups.push(() => store.close());
  // Readers that do not know the provider (an address the guard learned a moment ago) see a stranger.
  const providers = readersKnowProvider ? provider.providers : { ...provider.providers, trustedEntries: () => [] };
  const guard = new Guard(result.config, { store, providers, logger: new RecordingLogger() });
  await guard.start();
  cleanups.push(() => guard.stop());
  return { guard, store, wanPort: guard.status().wanPort, lanPort, registrar: provider.socket, alias: provider.alias };
}

const wanDrops = (guard: Guard): number => guard.stats().verdicts['wan drop'] ?? 0;

// Reader processes start under tsx here (a second or more on a loaded machine).
describe('WAN reader processes', { timeout: 30_000 }, () => {
  it("refuse and count a stranger's requests as the guard does: stats, one labelled event row, and a ban", async () => {
    const { guard, store, wanPort } = await start(2, 'defense:\n  bans:\n    refused: 40\n');
    const readers = guard.stats().readers;
    expect(readers).toMatchObject({ readers: 2, running: 2, guardReads: false });
    const scanner = await udp('127.0.0.2');
    for (let i = 0; i < 30; i++) scanner.send(SVMAP, wanPort, '127.0.0.1');
    await waitFor('30 refusals', () => (wanDrops(guard) === 30 ? true : undefined));
    expect(guard.stats().messages['wan INVITE']).toBe(30);
    expect(guard.stats().drops['not-from-provider']).toBe(30);
    store.events.flush();
    const rows = store.events.query({ source: '127.0.0.2' }).events;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ count: 30, family: 'sipvicious', method: 'INVITE' });
    expect(rows[0]!.reasons[0]).toBe('not-from-provider');

    // The 40th refusal bans the source (defense.bans.refused); later requests are dropped as banned.
    for (let i = 0; i < 20; i++) scanner.send(SVMAP, wanPort, '127.0.0.1');
    await waitFor('50 refusals', () => (wanDrops(guard) === 50 ? true : undefined));
    expect(guard.bans.list().map((b) => b.address)).toContain('127.0.0.2');
    expect(guard.stats().drops['banned']).toBe(10);
    expect(guard.stats().readers?.read).toBeGreaterThanOrEqual(50);
  });

  it('count a flood of one-packet sources without their names, into the overflow row: every request counted once', async () => {
    // 20 hand-overs a second per reader at most (the floor of the budget), so most sources come unnamed.
    const { guard, store, wanPort } = await start(2, 'events:\n  new_sources_per_s: 10\n');
    const sources = 300;
    const sockets = await Promise.all(Array.from({ length: sources }, (_, i) => udp(`127.0.${1 + (i >> 8)}.${i & 255}`)));
    for (const socket of sockets) socket.send(SVMAP, wanPort, '127.0.0.1');
    await waitFor(`${sources} refusals`, () => (wanDrops(guard) === sources ? true : undefined));
    expect(guard.stats().messages['wan INVITE']).toBe(sources);
    expect(guard.stats().drops['not-from-provider']).toBe(sources);
    store.events.flush();
    const rows = store.events.query({ limit: 1000 }).events;
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(sources);
    const overflow = rows.find((row) => row.reasons[0] === 'overflow');
    expect(overflow?.count).toBeGreaterThan(sources / 2);
    expect(overflow?.flow.remoteAddress).toBe('*');
    expect(guard.stats().readers?.unnamed).toBeGreaterThan(sources / 2);
  });

  it("pass the provider's datagrams to the guard whole: a provider call rings the phone", async () => {
    const { guard, wanPort, lanPort, registrar, alias } = await start(2);
    expect(guard.stats().readers?.running).toBe(2);
    const phone = await udp('127.0.0.1');
    let received = '';
    phone.on('message', (data) => (received += data.toString('latin1')));
    const contact = `sip:alice@127.0.0.1:${phone.address().port}`;
    phone.send(
      Buffer.from(
        [
          'REGISTER sip:voip.example.test SIP/2.0',
          `Via: SIP/2.0/UDP 127.0.0.1:${phone.address().port};branch=z9hG4bKrd1;rport`,
          'Max-Forwards: 70',
          'From: <sip:alice@voip.example.test>;tag=a',
          'To: <sip:alice@voip.example.test>',
          'Call-ID: readers-reg',
          'CSeq: 1 REGISTER',
          `Contact: <${contact}>`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
        'latin1',
      ),
      lanPort,
      '127.0.0.1',
    );
    await waitFor('200 to REGISTER', () => (received.includes('SIP/2.0 200') ? true : undefined));
    received = '';
    registrar.send(Buffer.from(providerInvite(alias()).replace(/203\.0\.113\.10/g, '127.0.0.1'), 'latin1'), wanPort, '127.0.0.1');
    const invite = await waitFor('INVITE at the phone', () => (received.includes('INVITE sip:') ? received : undefined));
    expect(invite.startsWith(`INVITE ${contact} SIP/2.0`)).toBe(true);
    expect(guard.stats().readers?.handedOver).toBeGreaterThanOrEqual(2); // the REGISTER's 200 and the INVITE
  });

  it('leave the reading to the guard while none runs, and take it back once restarted', async () => {
    const { guard, wanPort } = await start(1);
    const [pid] = guard.stats().readers!.pids;
    process.kill(pid!, 'SIGKILL');
    await waitFor('the guard reading itself', () => (guard.stats().readers?.guardReads === true ? true : undefined));
    const scanner = await udp('127.0.0.3');
    for (let i = 0; i < 5; i++) scanner.send(SVMAP, wanPort, '127.0.0.1');
    await waitFor('5 refusals read by the guard', () => (wanDrops(guard) === 5 ? true : undefined));
    const back = await waitFor('a restarted reader', () => {
      const r = guard.stats().readers!;
      return r.running === 1 && !r.guardReads ? r : undefined;
    });
    expect(back.restarts).toBe(1);
    expect(back.pids[0]).not.toBe(pid);
    for (let i = 0; i < 5; i++) scanner.send(SVMAP, wanPort, '127.0.0.1');
    await waitFor('10 refusals', () => (wanDrops(guard) === 10 ? true : undefined));
    expect(guard.stats().readers!.read).toBeGreaterThanOrEqual(5);
  });

  it('read an IPv6 socket (every interface, dual-stack) as well', async () => {
    const { guard, store, wanPort } = await start(1, '', '[::]:0');
    expect(guard.stats().readers?.running).toBe(1);
    const v6 = await udp('::1');
    for (let i = 0; i < 4; i++) v6.send(SVMAP, wanPort, '::1');
    const v4 = await udp('127.0.0.2');
    for (let i = 0; i < 3; i++) v4.send(SVMAP, wanPort, '127.0.0.1');
    await waitFor('7 refusals', () => (wanDrops(guard) === 7 ? true : undefined));
    expect(guard.stats().readers!.read).toBe(7);
    // A dual-stack socket's IPv4 peers are known by their plain IPv4 address, as without readers.
    store.events.flush();
    expect(store.events.query({ source: '127.0.0.2' }).events.map((e) => e.count)).toEqual([3]);
    expect(store.events.query({ source: '::1' }).events.map((e) => e.count)).toEqual([4]);
  });

  it("never count the provider's requests as a stranger's: those tallied before the readers learned its address are counted as missed", async () => {
    const { guard, registrar, wanPort } = await start(1, '', '127.0.0.1:0', false);
    for (let i = 0; i < 6; i++) registrar.send(SVMAP, wanPort, '127.0.0.1');
    await waitFor('6 requests', () => {
      const s = guard.stats();
      const done = (s.proxy['wan-reader-provider-missed'] ?? 0) + (s.messages['wan INVITE'] ?? 0);
      return done === 6 ? s : undefined;
    });
    const s = guard.stats();
    expect(s.messages['wan INVITE']).toBe(1); // the first, handed over whole: the guard judged it as the provider's
    expect(s.proxy['wan-reader-provider-missed']).toBe(5);
    expect(s.drops['not-from-provider']).toBeUndefined();
    expect(guard.bans.list()).toEqual([]);
  });

  it('stop starting readers that cannot start, five in a row, and leave the reading to the guard', async () => {
    const socket = await udp('127.0.0.1');
    const fd = sharableFd(socket);
    expect(fd).not.toBeNull();
    const broken = join(mkdtempSync(join(tmpdir(), 'gg-broken-reader-')), 'broken.mjs');
    writeFileSync(broken, 'process.exit(3);\n');
    const reading: boolean[] = [];
    const logger = new RecordingLogger();
    const readers = new WanReaders({
      count: 1,
      transport: {
        maxMessageSize: 65_535,
        sharedSockets: () => [{ index: 0, fd: fd!, type: 'udp4', local: { address: '127.0.0.1', port: socket.address().port } }],
        setReading: (on) => (reading.push(on), true),
        inject: () => undefined,
      },
      sink: { strangerRequests: () => undefined, unnamedRequests: () => undefined, count: () => undefined },
      trustedEntries: () => [],
      handOverPerSecond: 10,
      sampleWindowMs: 60_000,
      logger,
      restartFirstMs: 10,
      module: { path: broken, execArgv: [] },
    });
    cleanups.push(() => readers.stop());
    expect(await readers.start()).toBe(false);
    await waitFor('the fifth failed start', () => (logger.lines.some((l) => l.level === 'error') ? true : undefined));
    const stats = readers.stats();
    expect(stats).toMatchObject({ running: 0, restarts: 4, guardReads: true });
    expect(reading).toEqual([]); // the guard never stopped reading
    expect(logger.lines.filter((l) => l.level === 'error').map((l) => l.msg)).toEqual([
      'WAN reader processes could not start (5 in a row); no more are started, the guard reads its WAN UDP socket itself',
    ]);
    await new Promise((r) => setTimeout(r, 200));
    expect(readers.stats().restarts).toBe(4);
  });

  it('end with the guard', async () => {
    const { guard } = await start(2);
    const pids = guard.stats().readers!.pids;
    expect(pids).toHaveLength(2);
    await guard.stop();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('stay off with wan.readers: 0', async () => {
    const { guard, wanPort } = await start(0);
    expect(guard.stats().readers).toBeNull();
    const scanner = await udp('127.0.0.2');
    scanner.send(SVMAP, wanPort, '127.0.0.1');
    await waitFor('the refusal', () => (wanDrops(guard) === 1 ? true : undefined));
  });
});
