import { afterEach, describe, expect, it } from 'vitest';
import type { SipMessage } from '../sip/message.js';
import type { LatencySample } from './guard.js';
import {
  DOMAIN,
  GUARD_LAN,
  GUARD_LAN_IP,
  GUARD_WAN_IP,
  PHONE_IP,
  PROVIDER_IP,
  SDP,
  isRequest,
  isResponse,
  providerInvite,
  registeredAlias,
  reply,
  world,
  type Arrived,
  type World,
} from './test-kit.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** Registers alice, sends a provider INVITE to her alias; returns the INVITE the phone got. */
async function ring(world: World, fields: Parameters<typeof providerInvite>[1] = {}): Promise<{ alias: string; invite: Arrived }> {
  await world.phone.registerFully();
  const alias = registeredAlias(world.registrar);
  world.provider.send(world.wan, providerInvite(alias, fields));
  const invite = await world.phone.peer.expect(isRequest('INVITE'), 'INVITE at the phone');
  return { alias, invite };
}

/** The provider side's Route for in-dialog requests: the Record-Route of the 200, reversed, without its own. */
function providerRoute(ok: SipMessage): string[] {
  return ok
    .values('Record-Route')
    .reverse()
    .filter((r) => !r.includes(PROVIDER_IP));
}

describe('CallRelay: a provider call rings the phone (RFC 3261 §16)', () => {
  it('INVITE → 180 → 200 → ACK → BYE from the phone: aliases on the WAN leg, the phone\'s Contact on the LAN leg', async () => {
    w = await world();
    const { alias, invite } = await ring(w);
    // §16.5/§16.6: the Request-URI is the phone's registered Contact, our Via on top, Record-Route twice.
    expect(invite.msg.requestUri).toBe(w.phone.contact);
    expect(invite.msg.getAll('Via')[0]).toContain(`${GUARD_LAN_IP}:5060`);
    // §16.6 step 4: one Record-Route value, facing the LAN leg (the phone must reach the guard there).
    expect(invite.msg.values('Record-Route')).toEqual([`<sip:${GUARD_LAN_IP}:5060;lr>`, `<sip:${PROVIDER_IP};lr>`]);
    expect(invite.msg.get('Max-Forwards')).toBe('68');
    expect(invite.msg.body.toString('latin1')).toBe(SDP); // SDP is never rewritten
    expect((await w.provider.expect(isResponse(100, 'INVITE'), '100 Trying')).msg.getAll('Via')).toHaveLength(1);

    const contact = [`Contact: <${w.phone.contact}>`];
    w.phone.peer.send(invite.from, reply(invite.msg, 180, 'Ringing', contact, 'phone-tag'));
    const ringing = await w.provider.expect(isResponse(180), '180 at the provider');
    expect(ringing.msg.get('Contact')).toBe(`<${alias}>`);
    expect(ringing.text).not.toContain(PHONE_IP.slice(0, 7));
    expect(ringing.msg.getAll('Via')).toEqual([`SIP/2.0/UDP ${PROVIDER_IP}:5060;branch=z9hG4bKprov1;rport`]);

    w.phone.peer.send(invite.from, reply(invite.msg, 200, 'OK', [...contact, 'Content-Type: application/sdp'], 'phone-tag', SDP));
    const ok = await w.provider.expect(isResponse(200, 'INVITE'), '200 at the provider');
    expect(ok.msg.get('Contact')).toBe(`<${alias}>`);
    expect(ok.msg.body.toString('latin1')).toBe(SDP);
    expect(w.guard.status().dialogs).toBe(1);

    // ACK for the 2xx, end to end along the route set (§13.2.2.4, §16.4 our Routes removed).
    // §16.7 step 9: our Record-Route value rewritten to face the WAN leg: no LAN address leaves.
    expect(ok.msg.values('Record-Route')).toEqual([`<sip:${GUARD_WAN_IP}:${w.wan.port};lr>`, `<sip:${PROVIDER_IP};lr>`]);
    expect(ok.text.split('\r\n\r\n')[0]).not.toContain('10.77.0.');
    const route = providerRoute(ok.msg);
    const to = ok.msg.get('To')!;
    w.provider.send(w.wan, inDialog('ACK', alias, route, to, 1, 'z9hG4bKack1'));
    const ack = await w.phone.peer.expect(isRequest('ACK'), 'ACK at the phone');
    expect(ack.msg.requestUri).toBe(w.phone.contact);
    expect(ack.msg.getAll('Route')).toEqual([]);

    // BYE from the phone: Route = the Record-Route of the INVITE; it reaches the provider without a LAN address.
    const phoneRoute = invite.msg.values('Record-Route');
    w.phone.peer.send(GUARD_LAN, phoneBye(invite.msg, phoneRoute));
    const bye = await w.provider.expect(isRequest('BYE'), 'BYE at the provider');
    expect(bye.msg.requestUri).toBe(`sip:0901234567@${PROVIDER_IP}:5060`);
    expect(bye.msg.values('Route')).toEqual([`<sip:${PROVIDER_IP};lr>`]);
    expect(bye.text).not.toContain(PHONE_IP);
    w.provider.send(bye.from, reply(bye.msg, 200, 'OK'));
    const byeOk = await w.phone.peer.expect(isResponse(200, 'BYE'), '200 to BYE at the phone');
    expect(byeOk.msg.getAll('Via')[0]).toContain(`${PHONE_IP}:5062`);
    expect(w.guard.status().dialogs).toBe(0);
  });

  it('BYE from the provider reaches the phone at its real Contact', async () => {
    w = await world();
    const { alias, invite } = await ring(w);
    w.phone.peer.send(invite.from, reply(invite.msg, 200, 'OK', [`Contact: <${w.phone.contact}>`], 'phone-tag', SDP));
    const ok = await w.provider.expect(isResponse(200, 'INVITE'), '200');
    const route = providerRoute(ok.msg);
    w.provider.send(w.wan, inDialog('ACK', alias, route, ok.msg.get('To')!, 1, 'z9hG4bKack2'));
    await w.phone.peer.expect(isRequest('ACK'), 'ACK');
    w.provider.send(w.wan, inDialog('BYE', alias, route, ok.msg.get('To')!, 2, 'z9hG4bKbye2'));
    const bye = await w.phone.peer.expect(isRequest('BYE'), 'BYE at the phone');
    expect(bye.msg.requestUri).toBe(w.phone.contact);
    w.phone.peer.send(bye.from, reply(bye.msg, 200, 'OK'));
    const done = await w.provider.expect(isResponse(200, 'BYE'), '200 to BYE at the provider');
    expect(done.msg.getAll('Via')).toHaveLength(1);
    expect(w.guard.status().dialogs).toBe(0);
  });

  it('a re-INVITE from the provider goes to the phone, and its 200 carries the alias (target refresh, §12.2)', async () => {
    w = await world();
    const { alias, invite } = await ring(w);
    w.phone.peer.send(invite.from, reply(invite.msg, 200, 'OK', [`Contact: <${w.phone.contact}>`], 'phone-tag', SDP));
    const ok = await w.provider.expect(isResponse(200, 'INVITE'), '200');
    const route = providerRoute(ok.msg);
    w.provider.send(w.wan, inDialog('INVITE', alias, route, ok.msg.get('To')!, 2, 'z9hG4bKreinv'));
    const reinvite = await w.phone.peer.expect(isRequest('INVITE'), 're-INVITE at the phone');
    expect(reinvite.msg.get('CSeq')).toBe('2 INVITE');
    // No new Record-Route in a dialog: the route set is fixed (§12.2).
    expect(reinvite.msg.getAll('Record-Route')).toEqual([]);
    w.phone.peer.send(reinvite.from, reply(reinvite.msg, 200, 'OK', [`Contact: <${w.phone.contact}>`], undefined, SDP));
    const reOk = await w.provider.expect((m) => m.status === 200 && m.get('CSeq') === '2 INVITE', '200 to re-INVITE');
    expect(reOk.msg.get('Contact')).toBe(`<${alias}>`);
  });

  it('MUST absorb a retransmitted INVITE (RFC 3261 §17.2.1): one INVITE at the phone', async () => {
    w = await world();
    const { alias } = await ring(w);
    w.provider.send(w.wan, providerInvite(alias));
    await w.provider.expect(isResponse(100), 'first 100');
    expect(await w.provider.count(isResponse(100))).toBe(1); // the retransmission got the last provisional again
    expect(await w.phone.peer.count(isRequest('INVITE'))).toBe(0);
    expect(w.guard.stats().proxy['retransmission-absorbed']).toBe(1);
  });

  it('CANCEL before the answer (§16.10): 200 hop by hop, CANCEL to the phone, its 487 back, ACK absorbed', async () => {
    w = await world();
    const { alias, invite } = await ring(w);
    w.phone.peer.send(invite.from, reply(invite.msg, 180, 'Ringing', [`Contact: <${w.phone.contact}>`], 'phone-tag'));
    await w.provider.expect(isResponse(180), '180');
    w.provider.send(w.wan, providerCancel(alias));
    await w.provider.expect(isResponse(200, 'CANCEL'), '200 to CANCEL');
    const cancel = await w.phone.peer.expect(isRequest('CANCEL'), 'CANCEL at the phone');
    // §9.1: the CANCEL has the INVITE's branch (the guard's client transaction).
    expect(cancel.msg.getAll('Via')[0]).toBe(invite.msg.getAll('Via')[0]);
    w.phone.peer.send(cancel.from, reply(cancel.msg, 200, 'OK'));
    w.phone.peer.send(invite.from, reply(invite.msg, 487, 'Request Terminated', [], 'phone-tag'));
    const terminated = await w.provider.expect(isResponse(487), '487 at the provider');
    // The guard's client transaction ACKs the 487 towards the phone (§17.1.1.3)...
    await w.phone.peer.expect(isRequest('ACK'), 'ACK for 487 at the phone');
    // ...and the provider's ACK is absorbed by the server transaction, not forwarded.
    w.provider.send(w.wan, inDialog('ACK', alias, [], terminated.msg.get('To')!, 1, 'z9hG4bKprov1'));
    expect(await w.phone.peer.count(isRequest('ACK'))).toBe(0);
    expect(w.guard.status().dialogs).toBe(0);
  });

  it('an outgoing call from the phone reaches the provider with the alias as Contact and no LAN address', async () => {
    w = await world();
    await w.phone.registerFully();
    const alias = registeredAlias(w.registrar);
    w.phone.peer.send(GUARD_LAN, phoneInvite(w.phone.contact));
    const invite = await w.provider.expect(isRequest('INVITE'), 'INVITE at the provider');
    expect(invite.msg.requestUri).toBe(`sip:0901234567@${DOMAIN}`);
    expect(invite.msg.get('Contact')).toBe(`<${alias}>`);
    expect(invite.msg.getAll('Via')).toHaveLength(1);
    expect(invite.msg.values('Record-Route')).toEqual([`<sip:${GUARD_WAN_IP}:${w.wan.port};lr>`]);
    expect(invite.msg.getAll('Route')).toEqual([]);
    // Topology hiding: no LAN address (phone or guard) in the headers on the WAN leg. (The SDP is the phone's own.)
    expect(invite.text.split('\r\n\r\n')[0]).not.toContain('10.77.0.');
    expect(invite.msg.body.toString('latin1')).toBe(SDP);

    w.provider.send(invite.from, reply(invite.msg, 200, 'OK', [`Contact: <sip:0901234567@${PROVIDER_IP}:5060>`], 'far-tag', SDP));
    const ok = await w.phone.peer.expect(isResponse(200, 'INVITE'), '200 at the phone');
    expect(ok.msg.getAll('Via')).toEqual([`SIP/2.0/UDP ${PHONE_IP}:5062;branch=z9hG4bKout1;rport`]);
    // The phone ACKs along the reversed Record-Route (§12.1.2).
    const route = ok.msg.values('Record-Route').reverse();
    expect(route).toEqual([`<sip:${GUARD_LAN_IP}:5060;lr>`]);
    w.phone.peer.send(GUARD_LAN, phoneAck(ok.msg, route));
    const ack = await w.provider.expect(isRequest('ACK'), 'ACK at the provider');
    expect(ack.msg.requestUri).toBe(`sip:0901234567@${PROVIDER_IP}:5060`);
    expect(ack.text).not.toContain(PHONE_IP);
  });

  it('sends a phone\'s request to the provider whatever host it names in a Route it preloads (never another destination)', async () => {
    w = await world();
    await w.phone.registerFully();
    w.phone.peer.send(GUARD_LAN, phoneInvite(w.phone.contact, [`Route: <sip:${GUARD_LAN_IP};lr>`]));
    const invite = await w.provider.expect(isRequest('INVITE'), 'INVITE at the provider');
    expect(invite.from).toEqual(w.wan);
    expect(invite.msg.getAll('Route')).toEqual([]);
  });

  it('Timer C (§16.8): after 3 minutes of ringing without an answer the guard CANCELs towards the phone', async () => {
    w = await world();
    const { invite } = await ring(w);
    w.phone.peer.send(invite.from, reply(invite.msg, 180, 'Ringing', [`Contact: <${w.phone.contact}>`], 'phone-tag'));
    await w.provider.expect(isResponse(180), '180');
    w.clock.advance(179_000);
    expect(await w.phone.peer.count(isRequest('CANCEL'))).toBe(0);
    w.clock.advance(2_000);
    const cancel = await w.phone.peer.expect(isRequest('CANCEL'), 'CANCEL from Timer C');
    w.phone.peer.send(cancel.from, reply(cancel.msg, 200, 'OK'));
    w.phone.peer.send(invite.from, reply(invite.msg, 487, 'Request Terminated', [], 'phone-tag'));
    await w.provider.expect(isResponse(487), '487 at the provider');
  });

  it('answers 408 upstream when the phone never answers (Timer B, §17.1.1.2), after retransmitting on UDP (Timer A)', async () => {
    w = await world();
    await ring(w);
    w.clock.advance(500);
    await w.phone.peer.expect(isRequest('INVITE'), 'retransmission after T1');
    w.clock.advance(32_000);
    await w.provider.expect(isResponse(408, 'INVITE'), '408 at the provider');
  });

  it('relays an out-of-dialog OPTIONS and MESSAGE from the provider to the alias like an INVITE', async () => {
    w = await world();
    await w.phone.registerFully();
    const alias = registeredAlias(w.registrar);
    for (const method of ['OPTIONS', 'MESSAGE']) {
      w.provider.send(w.wan, providerInvite(alias, { callId: `${method}-1`, branch: `z9hG4bK${method}` }).replace(/INVITE/g, method));
      const request = await w.phone.peer.expect(isRequest(method), `${method} at the phone`);
      expect(request.msg.requestUri).toBe(w.phone.contact);
      expect(request.msg.getAll('Record-Route')).toEqual([`<sip:${PROVIDER_IP};lr>`]); // not dialog-creating: no Record-Route of ours
      w.phone.peer.send(request.from, reply(request.msg, 200, 'OK', [], 'ph'));
      await w.provider.expect(isResponse(200, method), `200 to ${method}`);
    }
  });

  it('reports the relay latency of each request from one leg to the other (the benchmark hook)', async () => {
    const samples: LatencySample[] = [];
    w = await world({ guard: { onRelayLatency: (s) => samples.push(s) } });
    await ring(w);
    const invite = samples.find((s) => s.method === 'INVITE');
    expect(invite).toMatchObject({ from: 'wan', to: 'lan' });
    expect(invite!.ms).toBeGreaterThanOrEqual(0);
    expect(invite!.ms).toBeLessThan(1000);
    expect(samples.some((s) => s.method === 'REGISTER' && s.from === 'lan' && s.to === 'wan')).toBe(true);
  });
});

function inDialog(method: string, uri: string, route: string[], to: string, cseq: number, branch: string): string {
  return [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PROVIDER_IP}:5060;branch=${branch};rport`,
    ...route.map((r) => `Route: ${r}`),
    'Max-Forwards: 70',
    `From: "Caller" <sip:0901234567@${DOMAIN}>;tag=prov-tag`,
    `To: ${to}`,
    'Call-ID: call-1@provider',
    `CSeq: ${cseq} ${method}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function providerCancel(alias: string): string {
  return [
    `CANCEL ${alias} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PROVIDER_IP}:5060;branch=z9hG4bKprov1;rport`,
    'Max-Forwards: 70',
    `From: "Caller" <sip:0901234567@${DOMAIN}>;tag=prov-tag`,
    `To: <sip:0312345678@${DOMAIN}>`,
    'Call-ID: call-1@provider',
    'CSeq: 1 CANCEL',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function phoneBye(invite: SipMessage, route: string[]): string {
  return [
    `BYE sip:0901234567@${PROVIDER_IP}:5060 SIP/2.0`,
    `Via: SIP/2.0/UDP ${PHONE_IP}:5062;branch=z9hG4bKphonebye;rport`,
    ...route.map((r) => `Route: ${r}`),
    'Max-Forwards: 70',
    `From: <sip:0312345678@${DOMAIN}>;tag=phone-tag`,
    `To: ${invite.get('From')}`,
    `Call-ID: ${invite.get('Call-ID')}`,
    'CSeq: 1 BYE',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function phoneInvite(contact: string, extra: string[] = []): string {
  return [
    `INVITE sip:0901234567@${DOMAIN} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PHONE_IP}:5062;branch=z9hG4bKout1;rport`,
    ...extra,
    'Max-Forwards: 70',
    `From: <sip:alice@${DOMAIN}>;tag=out-tag`,
    `To: <sip:0901234567@${DOMAIN}>`,
    `Call-ID: out-1@${PHONE_IP}`.replace(PHONE_IP, 'phone'),
    'CSeq: 1 INVITE',
    `Contact: <${contact}>`,
    'Content-Type: application/sdp',
    `Content-Length: ${SDP.length}`,
    '',
    SDP,
  ].join('\r\n');
}

function phoneAck(ok: SipMessage, route: string[]): string {
  return [
    `ACK sip:0901234567@${PROVIDER_IP}:5060 SIP/2.0`,
    `Via: SIP/2.0/UDP ${PHONE_IP}:5062;branch=z9hG4bKoutack;rport`,
    ...route.map((r) => `Route: ${r}`),
    'Max-Forwards: 70',
    `From: ${ok.get('From')}`,
    `To: ${ok.get('To')}`,
    `Call-ID: ${ok.get('Call-ID')}`,
    'CSeq: 1 ACK',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}
