import { afterEach, describe, expect, it } from 'vitest';
import { isSipError } from '../sip/errors.js';
import { ALIAS_TOKEN_BITS, isAliasToken } from './alias-token.js';
import { PUBLIC_ADDRESS_SETTING } from './guard.js';
import {
  DOMAIN,
  FakePhone,
  GUARD_WAN_IP,
  PHONE2_IP,
  PHONE_IP,
  Peer,
  registeredAlias,
  settle,
  world,
  type World,
} from './test-kit.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

function tokenOf(aliasUri: string): string {
  return aliasUri.slice(4, aliasUri.indexOf('@'));
}

describe('RegistrationRelay: contact aliasing (DESIGN §2)', () => {
  it('relays REGISTER with the Contact replaced by a random alias; the 200 goes back with the phone\'s own Contact', async () => {
    w = await world();
    const ok = await w.phone.registerFully();
    expect(ok.status).toBe(200);
    // The provider saw only the alias: sip:TOKEN@public:wanport;transport=udp, never the phone's address.
    for (const seen of w.registrar.seen) {
      expect(seen.serialize().toString('latin1')).not.toContain(PHONE_IP);
    }
    const alias = registeredAlias(w.registrar);
    expect(alias).toBe(`sip:${tokenOf(alias)}@${GUARD_WAN_IP}:${w.wan.port};transport=udp`);
    expect(isAliasToken(tokenOf(alias))).toBe(true);
    expect(ALIAS_TOKEN_BITS).toBeGreaterThanOrEqual(96);
    // The phone never sees the alias: its own Contact comes back with the registrar's expiry.
    const contacts = ok.contacts();
    if (isSipError(contacts) || contacts === '*') throw new Error('no contacts');
    expect(contacts.map((c) => c.raw)).toEqual([`<${w.phone.contact}>;expires=1800`]);
    expect(ok.serialize().toString('latin1')).not.toContain(tokenOf(alias));
    // The binding is stored with the expiry the provider granted.
    const binding = w.store.bindings.getByToken(tokenOf(alias));
    expect(binding).toMatchObject({ aor: `sip:alice@${DOMAIN}`, flow: { remoteAddress: PHONE_IP, remotePort: 5062 } });
    expect(binding!.expiresAt - w.clock.now()).toBe(1800_000);
  });

  it('passes Call-ID, CSeq, From, To, Authorization and the Request-URI unchanged (digest covers the Request-URI, RFC 3261 §22.4)', async () => {
    w = await world();
    await w.phone.registerFully();
    const authed = w.registrar.seen.at(-1)!;
    expect(authed.requestUri).toBe(`sip:${DOMAIN}`);
    expect(authed.get('Call-ID')).toBe(w.phone.callId);
    expect(authed.get('CSeq')).toBe('2 REGISTER');
    expect(authed.get('From')).toBe(`<sip:alice@${DOMAIN}>;tag=phalice`);
    expect(authed.get('Authorization')).toContain('username="alice"');
    expect(authed.get('Max-Forwards')).toBe('69');
    // Only the guard's Via: the phone's own is hidden on the WAN leg and restored on the way back.
    expect(authed.getAll('Via')).toHaveLength(1);
    expect(authed.getAll('Via')[0]).toContain(`${GUARD_WAN_IP}:${w.wan.port}`);
    // The Contact keeps its header parameters (+sip.instance, reg-id).
    expect(authed.get('Contact')).toContain('+sip.instance="<urn:uuid:0000-alice>";reg-id=1');
  });

  it('passes a 401 challenge back to the phone unchanged except for the Via', async () => {
    w = await world();
    w.phone.register();
    const challenge = await w.phone.peer.expect((m) => m.status === 401, '401');
    expect(challenge.msg.get('WWW-Authenticate')).toBe(`Digest realm="${DOMAIN}", nonce="n0nce", qop="auth"`);
    expect(challenge.msg.getAll('Via')).toEqual([`SIP/2.0/UDP ${PHONE_IP}:5062;branch=z9hG4bKreg1alice;rport`]);
  });

  it('keeps the same token across refreshes (same AOR and Contact)', async () => {
    w = await world();
    await w.phone.registerFully();
    const first = registeredAlias(w.registrar);
    await w.phone.registerFully();
    expect(registeredAlias(w.registrar)).toBe(first);
    expect(w.store.bindings.size()).toBe(1);
  });

  it('removes the binding after the 200 to a de-registration (expires=0)', async () => {
    w = await world();
    await w.phone.registerFully();
    expect(w.store.bindings.size()).toBe(1);
    const ok = await w.phone.registerFully(0);
    expect(ok.status).toBe(200);
    expect(w.store.bindings.size()).toBe(0);
    expect(w.registrar.bindings.get(`sip:alice@${DOMAIN}`)?.size).toBe(0);
  });

  it('removes every binding of the AOR after the 200 to "Contact: *" with Expires: 0 (RFC 3261 §10.2.2)', async () => {
    w = await world();
    await w.phone.registerFully();
    w.phone.register(0, undefined, '*');
    await w.phone.peer.expect((m) => m.status === 401, '401');
    w.registrar.requireAuth = false;
    w.phone.register(0, undefined, '*');
    const ok = await w.phone.peer.expect((m) => m.status === 200, '200');
    expect(ok.msg.get('Contact')).toBeUndefined();
    expect(w.registrar.seen.at(-1)?.get('Contact')).toBe('*');
    expect(w.store.bindings.size()).toBe(0);
  });

  it('handles two phones and two accounts at once, each with its own token', async () => {
    w = await world();
    const bob = new FakePhone(await new Peer(w.net, PHONE2_IP, 5060).start(), 'bob');
    await Promise.all([w.phone.registerFully(), bob.registerFully()]);
    const a = registeredAlias(w.registrar, `sip:alice@${DOMAIN}`);
    const b = registeredAlias(w.registrar, `sip:bob@${DOMAIN}`);
    expect(a).not.toBe(b);
    expect(w.store.bindings.getByToken(tokenOf(b))?.flow.remoteAddress).toBe(PHONE2_IP);
    await bob.peer.close();
  });

  it('learns the public address from Via received/rport (RFC 3581) and registers the right one on the authenticated REGISTER', async () => {
    w = await world();
    w.registrar.publicAs = { address: '198.51.100.200', port: 33333 };
    await w.phone.registerFully();
    // The 401 taught the address, so the REGISTER that the provider accepted carried the right alias.
    expect(registeredAlias(w.registrar)).toContain('@198.51.100.200:33333;');
    expect(w.guard.status().publicAddress).toEqual({ host: '198.51.100.200', port: 33333 });
    expect(w.store.settings.get(PUBLIC_ADDRESS_SETTING)).toBe('198.51.100.200:33333');
    expect(w.logger.has('learned the public address')).toBe(true);
  });

  it('answers the phone with a short expiry when a 2xx shows that the alias just registered was wrong', async () => {
    w = await world();
    w.registrar.requireAuth = false;
    w.registrar.publicAs = { address: '198.51.100.201', port: 40000 };
    w.phone.register(3600);
    const ok = await w.phone.peer.expect((m) => m.status === 200, '200');
    // The provider holds the alias with the guessed address; the phone is asked to refresh within a
    // minute, and that REGISTER carries the learned address.
    expect(registeredAlias(w.registrar)).toContain(`@${GUARD_WAN_IP}:`);
    expect(ok.msg.get('Contact')).toBe(`<${w.phone.contact}>;expires=60`);
    w.phone.register(3600);
    const again = await w.phone.peer.expect((m) => m.status === 200, '200');
    expect(again.msg.get('Contact')).toBe(`<${w.phone.contact}>;expires=1800`);
    expect(registeredAlias(w.registrar)).toContain('@198.51.100.201:40000;');
  });

  it('answers 503 when the binding table is full', async () => {
    w = await world({ guard: { registration: { maxBindings: 1 } } });
    await w.phone.registerFully();
    const bob = new FakePhone(await new Peer(w.net, PHONE2_IP, 5060).start(), 'bob');
    bob.register();
    const refused = await bob.peer.expect((m) => m.status === 503, '503');
    expect(refused.msg.get('Retry-After')).toBe('300');
    await bob.peer.close();
  });

  it('sends a CRLF keep-alive to the registrar every 25 s while a binding is live, and none without one', async () => {
    w = await world();
    w.clock.advance(25_000);
    await settle();
    expect(w.provider.keepAlives).toBe(0);
    await w.phone.registerFully();
    w.clock.advance(25_000);
    await settle();
    w.clock.advance(25_000);
    await settle();
    expect(w.provider.keepAlives).toBe(2);
    await w.phone.registerFully(0);
    w.clock.advance(25_000);
    await settle();
    expect(w.provider.keepAlives).toBe(2);
  });
});
