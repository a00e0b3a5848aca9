import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../util/clock.js';
import { applyBlocklist, formatRefusals } from './apply-blocklist.js';
import { BlocklistScheduler } from './blocklist-scheduler.js';
import type { BlocklistSource, ReadBlocklistResult } from './read-blocklist.js';
import { TestBanControl } from './test-ban-control.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('applyBlocklist', () => {
  it('bans through BanControl with source blocklist, counting what is refused', () => {
    const clock = new ManualClock();
    const bans = new TestBanControl(() => clock.now(), ['203.0.113.0/28', '10.77.0.0/24']);
    const r = applyBlocklist(bans, ['198.51.100.66', '203.0.113.10', '10.77.0.0/16', 'nope'], { name: 'apiban', durationMs: 7_200_000 });
    expect(r).toMatchObject({ added: 1, alreadyBanned: 0, removed: 0, refused: { provider: 2, invalid: 1 } });
    expect(formatRefusals(r.refused)).toBe('2 provider, 1 invalid');
    expect(r.refusedExamples.map((e) => e.address)).toEqual(['203.0.113.10', '10.77.0.0/16', 'nope']);
    expect(bans.bans.get('198.51.100.66')).toMatchObject({ source: 'blocklist', reason: 'blocklist apiban', expiresAt: clock.now() + 7_200_000 });
  });

  it('leaves a ban of another kind alone, and removes only its own dropped entries', () => {
    const clock = new ManualClock();
    const bans = new TestBanControl(() => clock.now());
    bans.add({ address: '198.51.100.9', reason: 'flood', source: 'auto', durationMs: 60_000 });
    const first = applyBlocklist(bans, ['198.51.100.1', '198.51.100.2', '198.51.100.9'], { name: 'l', durationMs: 1000 });
    expect(first).toMatchObject({ added: 2, alreadyBanned: 1 });
    expect(bans.bans.get('198.51.100.9')?.source).toBe('auto');
    const second = applyBlocklist(bans, ['198.51.100.2'], { name: 'l', durationMs: 1000, previous: first.current });
    expect(second.removed).toBe(1);
    expect([...bans.bans.keys()].sort()).toEqual(['198.51.100.2', '198.51.100.9']);
    const third = applyBlocklist(bans, [], { name: 'l', durationMs: 1000, previous: second.current, keep: (a) => a === '198.51.100.2' });
    expect(third.removed).toBe(0);
    expect(bans.isBanned('198.51.100.2')).toBe(true);
  });
});

describe('BlocklistScheduler', () => {
  it('loads at start, refreshes every `every`, bans past the next refresh and drops what left the list', async () => {
    const clock = new ManualClock();
    const bans = new TestBanControl(() => clock.now(), ['203.0.113.10']);
    const texts = ['198.51.100.1\n198.51.100.2\n203.0.113.10\n', '198.51.100.2\n'];
    const reads: string[] = [];
    const read = async (source: BlocklistSource): Promise<ReadBlocklistResult> => {
      reads.push('url' in source ? source.url : source.file);
      return { ok: true, text: texts.shift() ?? '' };
    };
    const warnings: string[] = [];
    const logger = { debug: () => {}, info: () => {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) };
    const scheduler = new BlocklistScheduler({ bans, clock, read, logger, feeds: [{ source: { url: 'http://lists.test/a' }, everyMs: 3_600_000 }] });
    await scheduler.start();
    expect(reads).toEqual(['http://lists.test/a']);
    expect(bans.bans.get('198.51.100.1')?.expiresAt).toBe(clock.now() + 7_200_000);
    expect(scheduler.status()[0]).toMatchObject({ source: 'http://lists.test/a', entries: 2, refused: 1, lastError: null });
    expect(warnings[0]).toMatch(/refused 1 provider: 203\.0\.113\.10/);
    clock.advance(3_599_999);
    await settle();
    expect(reads).toHaveLength(1);
    clock.advance(1);
    await settle();
    expect(reads).toHaveLength(2);
    expect([...bans.bans.keys()]).toEqual(['198.51.100.2']);
    scheduler.stop();
    clock.advance(10 * 3_600_000);
    await settle();
    expect(reads).toHaveLength(2);
  });

  it('keeps the bans when a refresh fails, and logs why', async () => {
    const clock = new ManualClock();
    const bans = new TestBanControl(() => clock.now());
    const answers: ReadBlocklistResult[] = [{ ok: true, text: '198.51.100.1\n' }, { ok: false, error: 'http://x answered 500 Internal Server Error' }];
    const errors: string[] = [];
    const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (m: string) => errors.push(m) };
    const read = async (): Promise<ReadBlocklistResult> => answers.shift() ?? { ok: true, text: '' };
    const scheduler = new BlocklistScheduler({ bans, clock, read, logger, feeds: [{ source: { url: 'http://x' }, everyMs: 1000 }] });
    await scheduler.start();
    clock.advance(1000);
    await settle();
    expect(errors).toEqual(['blocklist http://x: http://x answered 500 Internal Server Error; its bans stay until the next refresh']);
    expect(bans.isBanned('198.51.100.1')).toBe(true);
    expect(scheduler.status()[0]).toMatchObject({ entries: 1, lastError: 'http://x answered 500 Internal Server Error' });
    scheduler.stop();
  });
});
