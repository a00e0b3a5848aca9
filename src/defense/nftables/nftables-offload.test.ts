import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../util/clock.js';
import { TestBanControl } from '../blocklist/test-ban-control.js';
import type { NftResult, NftRunner } from './nft-runner.js';
import { NftablesOffload } from './nftables-offload.js';

/** Records scripts; answers with the queued results (ok by default). */
class FakeRunner implements NftRunner {
  readonly scripts: string[] = [];
  readonly results: NftResult[] = [];
  async run(script: string): Promise<NftResult> {
    this.scripts.push(script);
    return this.results.shift() ?? { ok: true, message: '', fatal: false };
  }
}

function setup(options: { dryRun?: boolean; maxBatch?: number } = {}) {
  const clock = new ManualClock();
  const bans = new TestBanControl(() => clock.now(), [], options.dryRun ?? false);
  const runner = new FakeRunner();
  const logs: string[] = [];
  const logger = { debug: () => {}, info: () => {}, warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
  const offload = new NftablesOffload({
    bans,
    clock,
    runner,
    logger,
    ports: { udp: [40000], tcp: [40000, 40001] },
    ...(options.maxBatch !== undefined ? { maxBatch: options.maxBatch } : {}),
  });
  return { clock, bans, runner, logs, offload };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('NftablesOffload', () => {
  it('builds the table at start with the bans already in force', async () => {
    const { bans, runner, offload } = setup();
    bans.add({ address: '198.51.100.66', reason: 'flood', source: 'auto', durationMs: 600_000 });
    expect(await offload.start()).toBe(true);
    expect(runner.scripts).toHaveLength(1);
    expect(runner.scripts[0]).toContain('delete table inet ghostguard');
    expect(runner.scripts[0]).toContain('add element inet ghostguard banned4 { 198.51.100.66 timeout 600s }');
    expect(offload.stats()).toMatchObject({ state: 'active', bans: 1, pending: 0, batches: 1 });
  });

  it('batches the bans of 100 ms into one nft run, with the remaining time as timeout', async () => {
    const { clock, bans, runner, offload } = setup();
    await offload.start();
    for (let i = 1; i <= 50; i++) bans.add({ address: `198.51.100.${i}`, reason: 'flood', source: 'auto', durationMs: 60_000 });
    bans.add({ address: '2001:db8::66', reason: 'flood', source: 'auto', durationMs: null });
    clock.advance(30);
    expect(runner.scripts).toHaveLength(1);
    clock.advance(70);
    await settle();
    expect(runner.scripts).toHaveLength(2);
    const batch = runner.scripts[1]!;
    expect(batch.match(/timeout 60s/g)).toHaveLength(50);
    expect(batch).toContain('add element inet ghostguard banned6 { 2001:db8::66 }');
    expect(offload.stats().pending).toBe(0);
  });

  it('sends a batch at once when maxBatch changes wait', async () => {
    const { bans, runner, offload } = setup({ maxBatch: 10 });
    await offload.start();
    for (let i = 1; i <= 10; i++) bans.add({ address: `198.51.100.${i}`, reason: 'x', source: 'auto' });
    await settle();
    expect(runner.scripts).toHaveLength(2);
    expect(runner.scripts[1]!.split(',').length).toBe(10);
  });

  it('deletes the elements of removed and expired bans', async () => {
    const { clock, bans, runner, offload } = setup();
    bans.add({ address: '198.51.100.66', reason: 'x', source: 'auto', durationMs: 50 });
    bans.add({ address: '198.51.100.67', reason: 'x', source: 'manual', durationMs: null });
    await offload.start();
    bans.remove('198.51.100.67');
    clock.advance(60);
    bans.expire(clock.now());
    clock.advance(100);
    await settle();
    expect(runner.scripts).toHaveLength(2);
    const deleted = /delete element inet ghostguard banned4 \{ (.*) \}/.exec(runner.scripts[1]!)?.[1]?.split(', ');
    expect(deleted?.sort()).toEqual(['198.51.100.66', '198.51.100.67']);
    expect(runner.scripts[1]).not.toMatch(/add element .* timeout (?!1s)/);
  });

  it('sends an uncertain delete in a batch of its own when adds come with it', async () => {
    const { clock, bans, runner, offload } = setup();
    bans.add({ address: '198.51.100.66', reason: 'x', source: 'auto', durationMs: 2000 });
    await offload.start();
    clock.advance(2000);
    bans.expire(clock.now());
    bans.add({ address: '198.51.100.0/24', reason: 'list', source: 'blocklist', durationMs: 60_000 });
    clock.advance(100);
    await settle();
    expect(runner.scripts.slice(1)).toEqual([
      'add element inet ghostguard banned4 { 198.51.100.66 timeout 1s }\ndelete element inet ghostguard banned4 { 198.51.100.66 }\n',
      'add element inet ghostguard banned4 { 198.51.100.0/24 timeout 60s }\n',
    ]);
    expect(offload.stats()).toMatchObject({ batches: 3, pending: 0 });
  });

  it('does not load would-be bans of a dry run at start', async () => {
    const clock = new ManualClock();
    const bans = new TestBanControl(() => clock.now());
    bans.add({ address: '198.51.100.66', reason: 'x', source: 'auto' });
    bans.add({ address: '198.51.100.67', reason: 'x', source: 'manual' });
    const runner = new FakeRunner();
    const offload = new NftablesOffload({ bans, clock, runner, ports: { udp: [5060], tcp: [] }, isDryRun: (a) => a === '198.51.100.66' });
    await offload.start();
    expect(runner.scripts[0]).toContain('add element inet ghostguard banned4 { 198.51.100.67 timeout 3600s }');
    expect(runner.scripts[0]).not.toContain('198.51.100.66');
  });

  it('does not offload dry-run bans', async () => {
    const { clock, bans, runner, offload } = setup({ dryRun: true });
    await offload.start();
    bans.add({ address: '198.51.100.66', reason: 'x', source: 'auto' });
    clock.advance(200);
    await settle();
    expect(runner.scripts).toHaveLength(1);
    expect(offload.stats().bans).toBe(0);
  });

  it('says clearly when nft cannot run, and the guard runs on without it', async () => {
    const { bans, runner, logs, offload } = setup();
    runner.results.push({ ok: false, message: 'nft is not installed (Debian package nftables)', fatal: true });
    expect(await offload.start()).toBe(false);
    expect(logs[0]).toMatch(/nftables offload disabled, the guard runs on without it: nft is not installed/);
    bans.add({ address: '198.51.100.66', reason: 'x', source: 'auto' });
    await offload.stop();
    expect(runner.scripts).toHaveLength(1);
    expect(offload.stats().state).toBe('stopped');
  });

  it('rebuilds the table after a failed batch, with a backoff', async () => {
    const { clock, bans, runner, logs, offload } = setup();
    await offload.start();
    runner.results.push({ ok: false, message: 'Error: interval overlaps', fatal: false });
    bans.add({ address: '198.51.100.66', reason: 'x', source: 'auto', durationMs: 60_000 });
    clock.advance(100);
    await settle();
    expect(logs.at(-1)).toMatch(/a batch failed \(Error: interval overlaps\); rebuilding the table in 1000 ms/);
    clock.advance(999);
    await settle();
    expect(runner.scripts).toHaveLength(2);
    clock.advance(1);
    await settle();
    expect(runner.scripts).toHaveLength(3);
    expect(runner.scripts[2]).toContain('delete table inet ghostguard');
    expect(runner.scripts[2]).toContain('198.51.100.66 timeout 59s');
    expect(offload.stats()).toMatchObject({ state: 'active', failures: 1, pending: 0 });
  });

  it('leaves no table behind when stopped while the table is being built', async () => {
    const { runner, offload } = setup();
    const starting = offload.start();
    await offload.stop();
    expect(await starting).toBe(false);
    expect(runner.scripts.at(-1)).toBe('table inet ghostguard\ndelete table inet ghostguard\n');
    expect(offload.stats().state).toBe('stopped');
  });

  it('deletes its table at a clean stop and stops following the bans', async () => {
    const { clock, bans, runner, offload } = setup();
    await offload.start();
    await offload.stop();
    expect(runner.scripts.at(-1)).toBe('table inet ghostguard\ndelete table inet ghostguard\n');
    bans.add({ address: '198.51.100.66', reason: 'x', source: 'auto' });
    clock.advance(500);
    await settle();
    expect(runner.scripts).toHaveLength(2);
  });
});
