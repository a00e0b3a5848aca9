/**
 * The analyzer on real captures from the e2e lab (test/fixtures/captures): every ghost call the
 * recording script placed is found, and no false one, compared with the manifest (written from what
 * the script did, not from an analyzer).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MessageRow } from './analysis.js';
import { analyzeCaptures } from './analyzer.js';
import type { CaptureProblem } from './capture/captured-message.js';
import { readCaptures } from './capture/read-capture.js';

const DIR = join(import.meta.dirname, '../../test/fixtures/captures');

interface Entry {
  readonly file: string;
  readonly providerAddresses: readonly string[];
  readonly phoneAddress: string;
  readonly expected: {
    readonly ghostInviteDialogs: number;
    readonly providerCalls: number;
    readonly scanners: Readonly<Record<string, string>>;
    readonly ghostRings: number;
    readonly phoneRang: { readonly ghost: boolean; readonly provider: boolean };
    readonly registerGuesses?: { readonly source: string; readonly user: string; readonly words: readonly string[]; readonly found: string };
  };
}

const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { captures: Entry[] };

async function analyzeFile(file: string, provider: readonly string[] | null) {
  const problems: CaptureProblem[] = [];
  const rows: MessageRow[] = [];
  const given = provider === null ? null : { isProvider: (a: string) => provider.includes(a), names: provider };
  const result = await analyzeCaptures(() => readCaptures([join(DIR, file)], { onProblem: (p) => problems.push(p) }), { provider: given, onRow: (r) => rows.push(r) });
  return { ...result, rows, problems };
}

describe('analyze on the recorded captures (manifest.json)', () => {
  it('has captures to check', () => {
    expect(manifest.captures.length).toBeGreaterThanOrEqual(5);
  });

  for (const entry of manifest.captures) {
    for (const mode of ['inferred', 'given'] as const) {
      it(`${entry.file} (provider ${mode}): every ghost call found, no false one, rings as recorded`, async () => {
        const { summary, rows, problems, topology } = await analyzeFile(entry.file, mode === 'given' ? entry.providerAddresses : null);
        expect(problems.filter((p) => p.frame === null)).toEqual([]);
        const e = entry.expected;
        expect(summary.callsByVerdict.ghost).toBe(e.ghostInviteDialogs);
        expect(summary.callsByVerdict.provider).toBe(e.providerCalls);
        expect(summary.ghost.rang).toBe(e.ghostRings);
        expect(summary.rangByVerdict.ghost > 0).toBe(e.phoneRang.ghost);
        expect(summary.rangByVerdict.provider > 0).toBe(e.phoneRang.provider);
        // Ghost INVITEs come only from the scanners the script ran, never from the provider.
        const ghostSources = new Set(rows.filter((r) => r.verdict === 'ghost' && r.method === 'INVITE').map((r) => r.src.replace(/:\d+$/, '')));
        for (const source of ghostSources) expect(Object.keys(e.scanners)).toContain(source);
        for (const address of entry.providerAddresses) expect(ghostSources.has(address)).toBe(false);
        // Whatever was inferred as the provider is one of its addresses.
        for (const name of topology.provider.names) expect(entry.providerAddresses).toContain(name);
        if (e.ghostInviteDialogs > 0 && mode === 'inferred') expect(topology.isProvider(entry.phoneAddress)).toBe(false);
        // Nothing SIP-looking was dropped silently: every row has a verdict, unparsable ones say why.
        for (const row of rows) if (row.method === null && row.status === null) expect(row.error?.code).toMatch(/^SIP_/);
        // A cracked password is reported only where the script cracked one.
        expect(summary.scannerRegistrations.length > 0).toBe(e.registerGuesses?.found !== undefined);
      });
    }
  }

  it('svcrack-registrar.pcap: every password guess is a REGISTER from the scanner, labelled SIPVicious', async () => {
    const entry = manifest.captures.find((c) => c.file === 'svcrack-registrar.pcap');
    expect(entry?.expected.registerGuesses).toBeDefined();
    const guesses = entry!.expected.registerGuesses!;
    const { rows, summary } = await analyzeFile(entry!.file, null);
    // The guess that worked: one scanner REGISTER accepted, for the account the script attacked.
    expect(summary.scannerRegistrations).toEqual([expect.objectContaining({ source: guesses.source, user: guesses.user, family: 'sipvicious' })]);
    const registers = rows.filter((r) => r.method === 'REGISTER' && r.src.startsWith(`${guesses.source}:`));
    expect(registers.length).toBeGreaterThanOrEqual(guesses.words.length);
    for (const r of registers) {
      expect(r.family).toBe('sipvicious');
      expect(r.reasons[0]).toBe('not-from-provider');
    }
  });
});
