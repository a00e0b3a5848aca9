import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../util/clock.js';
import { TestBanControl } from '../blocklist/test-ban-control.js';
import { KernelAndLists, wanOffloadPorts } from './kernel-and-lists.js';
import type { NftResult } from './nft-runner.js';

describe('KernelAndLists', () => {
  it('covers the WAN port on UDP and TCP, and the TLS port on TCP', () => {
    expect(wanOffloadPorts(['udp', 'tcp', 'tls'], 40000, 40001)).toEqual({ udp: [40000], tcp: [40000, 40001] });
    expect(wanOffloadPorts(['udp'], 40000, null)).toEqual({ udp: [40000], tcp: [] });
  });

  it('does nothing when neither is configured', async () => {
    const clock = new ManualClock();
    const extras = new KernelAndLists({ nftables: false, blocklists: [], bans: new TestBanControl(() => clock.now()), ports: { udp: [5060], tcp: [] }, clock });
    await extras.start();
    await extras.stop();
    expect(extras.status()).toEqual({ nftables: null, blocklists: [] });
  });

  it('builds the table at start and deletes it at stop; a failing nft leaves the guard running', async () => {
    const clock = new ManualClock();
    const scripts: string[] = [];
    const results: NftResult[] = [{ ok: true, message: '', fatal: false }];
    const runner = { run: async (s: string) => (scripts.push(s), results.shift() ?? { ok: true, message: '', fatal: false }) };
    const bans = new TestBanControl(() => clock.now());
    const extras = new KernelAndLists({ nftables: true, blocklists: [], bans, ports: { udp: [40000], tcp: [] }, clock, runner });
    await extras.start();
    expect(extras.status().nftables?.state).toBe('active');
    await extras.stop();
    expect(scripts.at(-1)).toContain('delete table inet ghostguard');

    const failing = { run: async (): Promise<NftResult> => ({ ok: false, message: 'nft is not installed (Debian package nftables)', fatal: true }) };
    const broken = new KernelAndLists({ nftables: true, blocklists: [], bans, ports: { udp: [40000], tcp: [] }, clock, runner: failing });
    await expect(broken.start()).resolves.toBeUndefined();
    expect(broken.status().nftables).toMatchObject({ state: 'failed', lastError: 'nft is not installed (Debian package nftables)' });
  });
});
