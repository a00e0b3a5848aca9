import { describe, expect, it } from 'vitest';
import { decideLanRequest } from './lan-gate.js';
import { GUARD_LAN, PHONE, PROVIDER, PROVIDER_DOMAIN, dialogKey, lanContext, lanFlow, request } from './test-kit.js';

function phoneRequest(method: string, requestUri: string, extra: readonly string[] = [], toTag = ''): string[] {
  return [
    `${method} ${requestUri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PHONE}:5060;branch=z9hG4bK-phone-01;rport`,
    ...extra,
    'Max-Forwards: 70',
    `From: "Alice" <sip:+81398765432@${PROVIDER_DOMAIN}>;tag=phone-t9`,
    `To: <sip:+81312345678@${PROVIDER_DOMAIN}>${toTag}`,
    'Call-ID: 5d1e@10.77.0.23',
    `CSeq: 1 ${method}`,
    `Contact: <sip:alice@${PHONE}:5060>`,
    'Content-Length: 0',
  ];
}

describe('LAN side: phones in lan.allow, and only towards the provider (never an open relay)', () => {
  it('ignores a request from outside lan.allow: lan-not-allowed, dropped, and not protected from bans', () => {
    const msg = request(phoneRequest('INVITE', `sip:+81312345678@${PROVIDER_DOMAIN}`));
    const verdict = decideLanRequest({ msg, flow: lanFlow('198.51.100.66') }, lanContext());
    expect(verdict).toMatchObject({ action: 'drop', reasons: ['lan-not-allowed'] });
    expect(verdict.neverBan).toBeUndefined();
  });

  it('relays a phone INVITE to a number at the provider domain, marking the phone never-ban', () => {
    const msg = request(phoneRequest('INVITE', `sip:+81312345678@${PROVIDER_DOMAIN}`));
    expect(decideLanRequest({ msg, flow: lanFlow(PHONE) }, lanContext())).toMatchObject({ action: 'relay', reasons: [], neverBan: true });
  });

  it('relays a REGISTER to the provider domain, a tel: number, and a request addressed to the guard itself', () => {
    for (const [method, uri] of [['REGISTER', `sip:${PROVIDER_DOMAIN}`], ['INVITE', 'tel:+81312345678'], ['OPTIONS', `sip:${GUARD_LAN}`], ['INVITE', `sip:200@${GUARD_LAN}`]] as const) {
      expect(decideLanRequest({ msg: request(phoneRequest(method, uri)), flow: lanFlow(PHONE) }, lanContext()).action, `${method} ${uri}`).toBe('relay');
    }
  });

  it('refuses an INVITE towards a foreign host with 403 open-relay', () => {
    const msg = request(phoneRequest('INVITE', 'sip:0046701234567@pbx.example.com'));
    expect(decideLanRequest({ msg, flow: lanFlow(PHONE) }, lanContext())).toMatchObject({ action: 'reject', status: 403, reasons: ['open-relay'], neverBan: true });
  });

  it('looks at the first Route that is not the guard: our outbound-proxy Route is fine, a foreign one is not', () => {
    const viaGuard = request(phoneRequest('INVITE', `sip:+81312345678@${PROVIDER_DOMAIN}`, [`Route: <sip:${GUARD_LAN};lr>`]));
    expect(decideLanRequest({ msg: viaGuard, flow: lanFlow(PHONE) }, lanContext()).action).toBe('relay');
    const foreign = request(phoneRequest('INVITE', `sip:+81312345678@${PROVIDER_DOMAIN}`, [`Route: <sip:${GUARD_LAN};lr>, <sip:pbx.example.com;lr>`]));
    expect(decideLanRequest({ msg: foreign, flow: lanFlow(PHONE) }, lanContext())).toMatchObject({ action: 'reject', reasons: ['open-relay'] });
  });

  it('lets an in-dialog request follow a dialog the guard knows (From tag = local, To tag = remote), and refuses one it does not', () => {
    const lines = phoneRequest('BYE', 'sip:+81312345678@203.0.113.77:5060', [], ';tag=prov-f1');
    const known = lanContext({ dialogs: [dialogKey('5d1e@10.77.0.23', 'phone-t9', 'prov-f1')] });
    expect(decideLanRequest({ msg: request(lines), flow: lanFlow(PHONE) }, known).action).toBe('relay');
    expect(decideLanRequest({ msg: request(lines), flow: lanFlow(PHONE) }, lanContext())).toMatchObject({ action: 'reject', reasons: ['open-relay'] });
    const toProvider = phoneRequest('BYE', `sip:+81312345678@${PROVIDER}:5060`, [], ';tag=prov-f1');
    expect(decideLanRequest({ msg: request(toProvider), flow: lanFlow(PHONE) }, lanContext()).action).toBe('relay');
  });

  it('drops instead of answering an ACK towards a foreign host (an ACK is never answered)', () => {
    const msg = request(phoneRequest('ACK', 'sip:x@pbx.example.com', [], ';tag=x1'));
    expect(decideLanRequest({ msg, flow: lanFlow(PHONE) }, lanContext())).toMatchObject({ action: 'drop', reasons: ['open-relay'] });
  });

  it('MUST return 483 for Max-Forwards 0 (RFC 3261 §16.3 step 3)', () => {
    const lines = phoneRequest('INVITE', `sip:+81312345678@${PROVIDER_DOMAIN}`).map((l) => (l.startsWith('Max-Forwards') ? 'Max-Forwards: 0' : l));
    expect(decideLanRequest({ msg: request(lines), flow: lanFlow(PHONE) }, lanContext())).toMatchObject({ action: 'reject', status: 483, reasons: ['too-many-hops'] });
  });

  it('answers a phone request that does not validate with 400 malformed (a bad Route too)', () => {
    const noCseq = phoneRequest('INVITE', `sip:+81312345678@${PROVIDER_DOMAIN}`).filter((l) => !l.startsWith('CSeq'));
    expect(decideLanRequest({ msg: request(noCseq), flow: lanFlow(PHONE) }, lanContext())).toMatchObject({ action: 'reject', status: 400, reasons: ['malformed'] });
    const badRoute = phoneRequest('INVITE', `sip:+81312345678@${PROVIDER_DOMAIN}`, ['Route: <sip:@@>']);
    expect(decideLanRequest({ msg: request(badRoute), flow: lanFlow(PHONE) }, lanContext())).toMatchObject({ action: 'reject', status: 400, reasons: ['malformed'] });
  });
});
