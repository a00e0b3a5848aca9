import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBlocklist, sourceOf } from './read-blocklist.js';

let server: Server;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'gg-blocklist-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/list.txt') res.end('198.51.100.66\n203.0.113.0/24\n');
    else if (req.url === '/big') {
      res.write('1'.repeat(600));
      res.end('1'.repeat(600));
    } else if (req.url === '/slow') setTimeout(() => res.end('198.51.100.1\n'), 2000);
    else {
      res.statusCode = 404;
      res.end('no');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('readBlocklist', () => {
  it('tells a URL from a file', () => {
    expect(sourceOf('https://apiban.example/list')).toEqual({ url: 'https://apiban.example/list' });
    expect(sourceOf('./list.txt')).toEqual({ file: './list.txt' });
  });

  it('reads a file, and refuses one over the size limit', async () => {
    const small = join(dir, 'small.txt');
    writeFileSync(small, '198.51.100.66\n');
    expect(await readBlocklist({ file: small })).toEqual({ ok: true, text: '198.51.100.66\n' });
    const big = join(dir, 'big.txt');
    writeFileSync(big, 'x'.repeat(2000));
    expect(await readBlocklist({ file: big }, { maxBytes: 1000 })).toEqual({ ok: false, error: `${big} is larger than 1000 bytes, the limit for a blocklist` });
    expect(await readBlocklist({ file: join(dir, 'missing') })).toMatchObject({ ok: false, error: expect.stringMatching(/^cannot read .*ENOENT/) });
    expect(await readBlocklist({ file: dir })).toEqual({ ok: false, error: `${dir} is not a file` });
  });

  it('fetches a URL from a local server', async () => {
    expect(await readBlocklist({ url: `${base}/list.txt` })).toEqual({ ok: true, text: '198.51.100.66\n203.0.113.0/24\n' });
  });

  it('says what went wrong with a URL: status, size, timeout, refused connection', async () => {
    expect(await readBlocklist({ url: `${base}/nothing` })).toEqual({ ok: false, error: `${base}/nothing answered 404 Not Found` });
    expect(await readBlocklist({ url: `${base}/big` }, { maxBytes: 1000 })).toMatchObject({ ok: false, error: expect.stringMatching(/larger than 1000 bytes/) });
    expect(await readBlocklist({ url: `${base}/slow` }, { timeoutMs: 200 })).toEqual({ ok: false, error: `${base}/slow did not answer within 200 ms` });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await readBlocklist({ url: `http://127.0.0.1:${port}/` })).toMatchObject({ ok: false, error: expect.stringMatching(/^cannot fetch .*ECONNREFUSED/) });
  });
});
