/**
 * POST /api/bans refusals over a running guard (DemoLab): the English `message` stays as it was
 * (the CLI and scripts read it) and `error.refused` / `error.address` name the refusal for a client
 * that words it in its own language (the dashboard).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, startFixture, type WebFixture } from './web-test-kit.js';

let f: WebFixture;
beforeAll(async () => {
  f = await startFixture('127.0.46');
}, 30_000);
afterAll(async () => {
  await f?.stop();
});

const post = (body: unknown) => getJson(`${f.url}api/bans`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const listed = async () => ((await getJson(`${f.url}api/bans`)).body.bans as { address: string }[]).map((b) => b.address);

describe('a refused ban names its kind beside the English message', () => {
  it('the provider: 409 GG_BAN_REFUSED, refused "provider", the address', async () => {
    const provider = f.lab.plan().provider.address;
    expect(provider).toBe('127.0.46.2');
    const { status, body } = await post({ address: provider });
    expect(status).toBe(409);
    expect(body.error).toEqual({ code: 'GG_BAN_REFUSED', refused: 'provider', address: provider, message: `${provider} is the provider's: never banned (only rate-limited)` });
    // A block that covers the provider: the address in its canonical form, as the message names it.
    const block = await post({ address: ' 127.0.46.9/24 ' });
    expect(block.status).toBe(409);
    expect(block.body.error).toMatchObject({ refused: 'provider', address: '127.0.46.0/24', message: "127.0.46.0/24 is the provider's: never banned (only rate-limited)" });
    expect(await listed()).not.toContain(provider);
  });

  it('a LAN address (lan.allow, the phone’s): refused "lan"', async () => {
    const phone = f.lab.plan().phone.address.address;
    expect(phone).toBe('127.0.46.5');
    const { status, body } = await post({ address: phone });
    expect(status).toBe(409);
    expect(body.error).toEqual({ code: 'GG_BAN_REFUSED', refused: 'lan', address: phone, message: `${phone} is on the LAN: never banned (only rate-limited)` });
    expect(await listed()).not.toContain(phone);
  });

  it('not an address: 422 GG_INVALID, refused "invalid", with the address when there is one', async () => {
    const bad = await post({ address: 'not-an-ip' });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toEqual({ code: 'GG_INVALID', refused: 'invalid', address: 'not-an-ip', message: '"not-an-ip" is not an IPv4 or IPv6 address' });
    const prefix = await post({ address: '198.51.100.0/33' });
    expect(prefix.body.error).toMatchObject({ code: 'GG_INVALID', refused: 'invalid', address: '198.51.100.0/33' });
    const missing = await post({ reason: 'no address' });
    expect(missing.status).toBe(422);
    expect(missing.body.error).toEqual({ code: 'GG_INVALID', refused: 'invalid', message: 'address must be an IP address or CIDR block, e.g. 198.51.100.7 or 198.51.100.0/24' });
  });

  it('other errors keep code and message only; an unban of an address not banned names it', async () => {
    const duration = await post({ address: '198.51.100.1', durationS: -5 });
    expect(duration.status).toBe(422);
    expect(Object.keys(duration.body.error).sort()).toEqual(['code', 'message']);
    const gone = await getJson(`${f.url}api/bans/${encodeURIComponent('198.51.100.77')}`, { method: 'DELETE' });
    expect(gone.status).toBe(404);
    expect(gone.body.error).toEqual({ code: 'GG_NOT_FOUND', address: '198.51.100.77', message: 'no ban of 198.51.100.77' });
  });

  it('a ban that is allowed still succeeds (the refusal is not a blanket one)', async () => {
    const added = await post({ address: '203.0.113.46', durationS: 60 });
    expect(added.status).toBe(201);
    expect(await listed()).toContain('203.0.113.46');
  });
});
