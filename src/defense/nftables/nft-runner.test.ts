import { describe, expect, it } from 'vitest';
import { spawnNftRunner } from './nft-runner.js';

/** A stand-in for nft: node running a script that reads the nft script from stdin (args before `-f -`). */
function fakeNft(body: string, timeoutMs?: number) {
  return spawnNftRunner({ command: process.execPath, args: ['-e', body, '--'], ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
}

describe('spawnNftRunner', () => {
  it('passes the whole script on stdin to one process and reports success', async () => {
    const runner = fakeNft("let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{process.stdout.write(String(s.split('\\n').length));})");
    const result = await runner.run('table inet ghostguard\ndelete table inet ghostguard\n');
    expect(result).toEqual({ ok: true, message: '3', fatal: false });
  });

  it('says plainly when nft is missing (fatal: the offload is disabled)', async () => {
    const result = await spawnNftRunner({ command: '/nonexistent/nft' }).run('');
    expect(result).toEqual({ ok: false, message: '/nonexistent/nft is not installed (Debian package nftables)', fatal: true });
  });

  it('says plainly when the kernel refuses (not root)', async () => {
    const runner = fakeNft("process.stdin.resume();process.stdin.on('end',()=>{process.stderr.write('Error: Could not process rule: Operation not permitted\\n');process.exit(1)})");
    const result = await runner.run('table inet ghostguard\n');
    expect(result.ok).toBe(false);
    expect(result.fatal).toBe(true);
    expect(result.message).toBe('Error: Could not process rule: Operation not permitted (the kernel offload needs root or CAP_NET_ADMIN)');
  });

  it('reports an nft error without giving up, and bounds a hung nft', async () => {
    const bad = fakeNft("process.stdin.resume();process.stdin.on('end',()=>{process.stderr.write('Error: interval overlaps with an existing one\\n');process.exit(1)})");
    expect(await bad.run('x')).toEqual({ ok: false, message: 'Error: interval overlaps with an existing one', fatal: false });
    const hung = fakeNft('setInterval(()=>{},1000)', 300);
    expect(await hung.run('x')).toEqual({ ok: false, message: `${process.execPath} did not finish within 300 ms`, fatal: false });
  });
});
