import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';

const udpHandles = (): number => process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;
const ticks = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise<void>((done) => setImmediate(done));
};

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('ghostguard demo', () => {
  it('--duration 3: says what runs where, tells the story, stops by itself and sums up with explanations', async () => {
    const before = udpHandles();
    const io = memoryIo();
    expect(await runCli(['demo', '--duration', '3', '--seed', '7'], io)).toBe(0);
    const out = io.stdout.join('');
    expect(io.stderr.join('')).toBe('');
    expect(out).toMatch(/guard {6}WAN 127\.0\.0\.3:\d+ \(its random high port\)/);
    expect(out).toContain('provider   voip.demo.test at 127.0.0.2:');
    expect(out).toContain('127.0.0.11  SIPVicious svmap');
    expect(out).toMatch(/dashboard {2}http:\/\/127\.0\.0\.1:\d+\/ {2}\(open it in a browser\)/);
    expect(out).toContain('seed       7');
    // Happenings: the phone registered through the guard, a provider call rang it, a scanner came.
    expect(out).toMatch(/00:0\d {2}phone {6}registered through the guard; the provider sees only the alias sip:\w+@127\.0\.0\.3:\d+/);
    expect(out).toMatch(/phone {6}RINGS: Hana Sato, a real call through the provider/);
    expect(out).toMatch(/nmap {7}service probe OPTIONS sip:nm/);
    expect(out).not.toContain('GHOST CALL');
    // The summary.
    expect(out).toMatch(/Stopped after 3 s: the guard, the provider, the phone and the scanners are closed\./);
    expect(out).toMatch(/provider calls {2}([1-9]) placed · \1 rang the phone/);
    expect(out).toMatch(/ghost calls {5}0 rang the phone · \d+ requests blocked · scanners got 0 answers/);
    expect(out).toMatch(/SIPVicious svmap +(\d+) +\1\n/);
    expect(out).toContain('What the guard wrote down');
    expect(out).toContain('not-from-provider');
    expect(out).toMatch(/It\s+did\s+not\s+come\s+through\s+your\s+provider\s+voip\.demo\.test/);
    await ticks();
    expect(udpHandles()).toBe(before);
  }, 20_000);

  it('serves the dashboard while it runs, and stops cleanly on Ctrl-C', async () => {
    const io = memoryIo();
    const done = runCli(['demo'], io);
    await waitFor(() => io.stdout.join('').includes('Stop with Ctrl-C.'));
    const url = /dashboard {2}(http:\S+)/.exec(io.stdout.join(''))![1]!;
    const status = await fetch(`${url}api/status`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ demo: true, tally: { ghostCalls: { rang: 0 } } });
    io.stop('SIGINT');
    expect(await done).toBe(0);
    expect(io.stdout.join('')).toMatch(/Stopped on SIGINT after \d+ s/);
    await expect(fetch(`${url}api/status`)).rejects.toThrow(); // the dashboard is closed too
  }, 20_000);

  it('--quiet --lang ja --store FILE: only the summary, explanations in Japanese, events kept for `ghostguard events`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gg-demo-'));
    dirs.push(dir);
    const io = memoryIo({}, dir);
    expect(await runCli(['demo', '--duration', '2', '--quiet', '--no-dashboard', '--lang', 'ja', '--store', 'demo.db'], io)).toBe(0);
    const out = io.stdout.join('');
    expect(out.startsWith('\nStopped after 2 s')).toBe(true);
    expect(out).not.toContain('--lang ja for Japanese');
    expect(out).toMatch(/[\u3040-\u30ff]/); // kana: the guard's Japanese explanations
    expect(existsSync(join(dir, 'demo.db'))).toBe(true);
    const events = memoryIo({}, dir);
    expect(await runCli(['events', '--store', 'demo.db', '--limit', '3'], events)).toBe(0);
    expect(events.stdout.join('')).toContain('not-from-provider');
  }, 20_000);

  it('explains its options and refuses bad ones', async () => {
    const help = memoryIo();
    expect(await runCli(['demo', '--help'], help)).toBe(0);
    expect(help.stdout.join('')).toContain('--duration SECONDS');
    for (const args of [['--duration', '0'], ['--duration', 'soon'], ['--seed', '-1'], ['--lang', 'fr'], ['--log-level', 'loud'], ['--bogus'], ['--dashboard-port', 'x'], ['--dashboard-port', '70000'], ['--dashboard-port', '9000', '--no-dashboard']]) {
      const io = memoryIo();
      expect(await runCli(['demo', ...args], io), args.join(' ')).toBe(2);
      expect(io.stderr.join(''), args.join(' ')).toContain('ghostguard demo:');
    }
  });
});
