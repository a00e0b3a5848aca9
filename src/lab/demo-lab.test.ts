import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { systemClock, type Clock } from '../util/clock.js';
import { DemoLab } from './demo-lab.js';
import { labAddresses } from './lab-addresses.js';
import type { LabEvent } from './lab-event.js';
import { SCANNER_IDS } from './scanners/scanner-id.js';

/** The system clock, counting the timers that are neither fired nor cancelled. */
function countingClock(): Clock & { readonly pending: number } {
  const live = new Set<number>();
  let next = 0;
  return {
    now: () => systemClock.now(),
    setTimeout(callback, ms) {
      const id = next++;
      live.add(id);
      const handle = systemClock.setTimeout(() => {
        live.delete(id);
        callback();
      }, ms);
      return {
        cancel: () => {
          live.delete(id);
          handle.cancel();
        },
      };
    },
    get pending() {
      return live.size;
    },
  };
}

const udpHandles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;
const ticks = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise<void>((done) => setImmediate(done));
};

async function until(what: string, condition: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

let lab: DemoLab | undefined;
let store: Store | undefined;
afterEach(async () => {
  await lab?.stop();
  store?.close();
  lab = undefined;
  store = undefined;
});

describe('DemoLab: the real guard on loopback with a simulated provider, phone and scanners', () => {
  it('rings the phone for provider calls only; every scanner family is blocked and explained; stop() leaves nothing behind', async () => {
    const before = udpHandles();
    const clock = countingClock();
    store = openStore(':memory:', { clock });
    lab = new DemoLab({
      store,
      clock,
      seed: 42,
      speed: 5,
      addresses: labAddresses('127.0.1'),
      // A short registration, so that a refresh happens during the test.
      timing: { registerExpiresS: 2, floodSize: 100 },
    });
    const events: LabEvent[] = [];
    lab.subscribe((e) => events.push(e));
    const plan = await lab.start();
    expect(plan.provider.address).toBe('127.0.1.2');
    expect(plan.guard.wan.address).toBe('127.0.1.3');
    expect(plan.guard.wan.port).toBeGreaterThan(1023);
    expect(plan.scanners.map((s) => s.id)).toEqual([...SCANNER_IDS]);
    expect(lab.guard.listening().map((l) => l.address)).toEqual([`127.0.1.4:${plan.guard.lan.port}`, `127.0.1.3:${plan.guard.wan.port}`]);

    const l = lab;
    await until('an answered call ended, a cancelled call, a refresh, every scanner family and the whole flood', () => {
      const t = l.tally();
      return (
        t.providerCalls.ended >= 1 &&
        t.providerCalls.cancelled >= 1 &&
        t.phone.registrations >= 2 &&
        SCANNER_IDS.every((id) => t.scanners[id].sent > 0 && t.scanners[id].blocked === t.scanners[id].sent) &&
        t.scanners.flood.sent >= 100
      );
    });
    const tally = lab.tally();

    // The phone registered through the guard: the provider holds the guard's alias, never the phone's address.
    const registered = events.find((e) => e.kind === 'phone-registered');
    expect(registered).toMatchObject({ kind: 'phone-registered', refresh: false });
    const alias = registered?.kind === 'phone-registered' ? registered.alias : null;
    expect(alias).toMatch(new RegExp(`^sip:[^@]+@127\\.0\\.1\\.3:${plan.guard.wan.port}`));
    expect(lab.guard.status().bindings).toBe(1);

    // Provider calls ring the phone; nothing else ever does.
    expect(tally.providerCalls.rang).toBeGreaterThanOrEqual(2);
    expect(tally.providerCalls.answered).toBeGreaterThanOrEqual(1);
    expect(tally.ghostCalls.rang).toBe(0);
    expect(events.filter((e) => e.kind === 'phone-rang').every((e) => e.kind === 'phone-rang' && e.from === 'provider')).toBe(true);
    expect(tally.providerCalls.failed).toBe(0);
    expect(lab.phoneStats()).toMatchObject({ rings: tally.providerCalls.rang, otherRequests: 0, registered: true });
    // Scanners learn nothing: not one answer.
    for (const id of SCANNER_IDS) expect(tally.scanners[id].answered, id).toBe(0);

    // The guard recorded each scanner's requests, with reasons and explanations in both languages.
    store.events.flush();
    for (const scanner of plan.scanners) {
      const sent = tally.scanners[scanner.id].sent;
      expect(store.events.count({ source: scanner.address.address }).events, scanner.id).toBe(sent);
      // The oldest row: the first refusal (a source banned later has a newer 'banned' row).
      const row = store.events.query({ source: scanner.address.address }).events.at(-1);
      expect(row!.reasons[0], scanner.id).toBe('not-from-provider');
      expect(row!.explanation.en, scanner.id).toContain(scanner.address.address);
      expect(row!.explanation.en, scanner.id).toContain('voip.demo.test');
      expect(row!.explanation.ja.length, scanner.id).toBeGreaterThan(10);
    }
    // The flood is aggregated (a row per source, reason and window) and its source is banned (defense.bans.refused:
    // 20 refusals in a minute): the rest of the flood is dropped unread, in a 'banned' row. Every INVITE is counted.
    const floodRows = store.events.query({ source: '127.0.1.17' }).events;
    expect(floodRows.reduce((sum, r) => sum + r.count, 0)).toBe(tally.scanners.flood.sent);
    const flood = floodRows.find((r) => r.reasons[0] === 'not-from-provider');
    expect(flood).toMatchObject({ method: 'INVITE', userAgent: 'friendly-scanner', count: 20 });
    expect(flood!.explanation.en).toContain('Your phone did not ring.');
    expect(floodRows.find((r) => r.reasons[0] === 'banned')?.count).toBe(tally.scanners.flood.sent - 20);
    expect(lab.guard.bans.list()).toMatchObject([{ address: '127.0.1.17', source: 'auto', family: 'sipvicious' }]);
    expect(tally.ghostCalls.blocked).toBe(lab.guard.stats().verdicts['wan drop']);

    // Everything stops: no lab or guard timer waits, no socket stays open.
    await lab.stop();
    expect(lab.state).toBe('stopped');
    expect(lab.pendingTimers).toBe(0);
    expect(events[0]).toMatchObject({ kind: 'lab-started', plan });
    expect(events.at(-1)).toMatchObject({ kind: 'lab-stopped', tally: { ghostCalls: { rang: 0 } } });
    expect(events.some((e) => e.kind === 'guard-blocked' && 'raw' in e.event)).toBe(false);
    expect(clock.pending).toBe(0);
    await ticks();
    expect(udpHandles()).toBe(before);
  }, 30_000);

  it('says plainly when its loopback addresses cannot be used, and leaves nothing open', async () => {
    const before = udpHandles();
    lab = new DemoLab({ addresses: labAddresses('198.51.100') }); // TEST-NET-2: on no interface here
    const failure = await lab.start().then(
      () => null,
      (error: unknown) => error as Error & { code?: string },
    );
    expect(failure?.code).toBe('GG_ERR_LAB_ADDRESS');
    expect(failure?.message).toMatch(/^cannot use the loopback address 198\.51\.100\.\d+: .*127\.0\.0\.0\/8/);
    expect(lab.state).toBe('stopped');
    await ticks();
    expect(udpHandles()).toBe(before);
  });

  it('stop() during start() waits for it and closes everything', async () => {
    const before = udpHandles();
    lab = new DemoLab({ addresses: labAddresses('127.0.4') });
    const starting = lab.start();
    const stopping = lab.stop();
    await starting;
    await Promise.all([stopping, lab.stop()]);
    expect(lab.state).toBe('stopped');
    expect(lab.pendingTimers).toBe(0);
    await ticks();
    expect(udpHandles()).toBe(before);
  });

  it('refuses to start twice and reports a clean stop before start', async () => {
    lab = new DemoLab({ addresses: labAddresses('127.0.3') });
    await lab.stop();
    expect(lab.state).toBe('stopped');
    await expect(lab.start()).rejects.toThrow(/once/);
  });
});
