import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';

function configDir(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gg-run-'));
  writeFileSync(join(dir, 'gg.yaml'), yaml);
  return dir;
}

async function waitFor(check: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A UDP port that was free a moment ago (the LAN leg needs a fixed port in the config). */
async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A TCP port that was free a moment ago (for the dashboard). */
async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('ghostguard run', () => {
  it('starts both legs and the dashboard on loopback, says where, and stops cleanly on Ctrl-C', async () => {
    const lanPort = await freePort();
    const webPort = await freeTcpPort();
    const dir = configDir(
      [
        'provider:',
        '  domain: 127.0.0.1',
        '  registrar: 127.0.0.1:5999',
        'wan:',
        '  listen: 127.0.0.1:0',
        '  transports: [udp]',
        'lan:',
        `  listen: 127.0.0.1:${lanPort}`,
        '  transports: [udp]',
        '  allow: [127.0.0.0/8]',
        'store: ./gg.db',
        'dashboard:',
        `  listen: 127.0.0.1:${webPort}`,
        '',
      ].join('\n'),
    );
    const io = memoryIo({}, dir);
    const done = runCli(['run', '--config', 'gg.yaml', '--log-level', 'warn'], io);
    await waitFor(() => io.stdout.join('').includes('ghostguard is running') || io.stderr.join('').includes('did not start'));
    expect(io.stdout.join(''), io.stderr.join('')).toContain(`LAN 127.0.0.1:${lanPort}`);
    expect(io.stdout.join('')).toMatch(/WAN port \d+/);
    expect(io.stdout.join('')).toContain(`dashboard http://127.0.0.1:${webPort}/`);
    const status = await fetch(`http://127.0.0.1:${webPort}/api/status`);
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ demo: false, tally: null, guard: { lan: `127.0.0.1:${lanPort}` } });
    io.stop();
    expect(await done).toBe(0);
    expect(existsSync(join(dir, 'gg.db'))).toBe(true);
    await expect(fetch(`http://127.0.0.1:${webPort}/api/status`)).rejects.toThrow();
  });

  it('stops with a clear message when the dashboard\'s port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const webPort = (taken.address() as { port: number }).port;
    const lanPort = await freePort();
    const dir = configDir(
      ['provider:', '  domain: 127.0.0.1', '  registrar: 127.0.0.1:5999', 'wan:', '  listen: 127.0.0.1:0', '  transports: [udp]', 'lan:', `  listen: 127.0.0.1:${lanPort}`, '  transports: [udp]', '  allow: [127.0.0.0/8]', 'store: ./gg.db', 'dashboard:', `  listen: 127.0.0.1:${webPort}`, ''].join('\n'),
    );
    const io = memoryIo({}, dir);
    try {
      expect(await runCli(['run', '--config', 'gg.yaml', '--log-level', 'warn'], io)).toBe(1);
    } finally {
      taken.close();
    }
    expect(io.stderr.join('')).toMatch(/the dashboard could not start.*cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
  });

  it('refuses to start on an invalid config, listing every problem', async () => {
    const dir = configDir(['provider:', '  domain: voip.example.test', 'wan:', '  listen: 192.0.2.30:99999', ''].join('\n'));
    const io = memoryIo({}, dir);
    expect(await runCli(['run', '--config', 'gg.yaml'], io)).toBe(1);
    const err = io.stderr.join('');
    expect(err).toContain('the guard did not start');
    expect(err).toContain('wan.listen');
    expect(err).toContain('lan.listen');
  });

  it('needs --config', async () => {
    const io = memoryIo();
    expect(await runCli(['run'], io)).toBe(2);
    expect(io.stderr.join('')).toContain('--config FILE is required');
  });
});
