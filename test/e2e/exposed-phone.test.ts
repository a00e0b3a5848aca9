/**
 * The problem itself, with real peers and no guard: a phone (baresip) registered with its provider
 * (Kamailio) and reachable from the internet rings for a scanner's INVITE sent straight to it.
 * This is what ghostguard must stop; the guard's own e2e tests reuse this lab with the guard between.
 *
 *   wan bridge:  provider 203.0.113.10 (Kamailio; SIPp caller .11, SIPp gateway .12)
 *                phone    192.0.2.20:5060 (baresip, registered as alice, rings for any user)
 *                scanner  198.51.100.66 (svmap, svwar, svcrack, SIPp flood, raw UDP replay)
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ADDR, SIP_DOMAIN } from './lib/addresses.js';
import { Baresip, type BaresipEvent } from './lib/baresip.js';
import { Capture } from './lib/capture.js';
import { Kamailio } from './lib/kamailio.js';
import { Lab, type Host } from './lib/netns.js';
import { placeProviderCall, Sipp, type ProviderCallScenario } from './lib/sipp.js';
import { svcrack, svmap, svwar } from './lib/sipvicious.js';
import { sendUdp } from './lib/udp.js';
import { requireTools } from './lib/tools.js';
import { joinWan } from './lib/topology.js';

const ready = requireTools(['ip', 'ss', 'kamailio', 'sipp', 'svmap', 'svwar', 'svcrack', 'baresip', 'cc', 'libre-dev', 'tcpdump', 'tshark']);

const USER = 'alice';
const PASSWORD = 'correct-horse-7';
/** A second subscriber with a guessable password, for svcrack. */
const WEAK_USER = 'bob';
const WEAK_PASSWORD = '1004';
const CALLER_PORT = 5070;
const GATEWAY_PORT = 5060;

describe.skipIf(!ready)('an exposed phone (no guard): the problem itself', () => {
  let lab: Lab;
  let provider: Host;
  let phoneHost: Host;
  let scanner: Host;
  let kamailio: Kamailio;
  let phone: Baresip;
  /** The INVITE that the provider sent to the phone in the first test, as captured on the wire. */
  let providerInvite: Buffer | undefined;

  beforeAll(async () => {
    lab = await Lab.create();
    provider = await lab.addHost('provider');
    phoneHost = await lab.addHost('phone');
    scanner = await lab.addHost('scanner');
    await joinWan(lab, provider, ADDR.provider, [ADDR.providerCaller, ADDR.providerGateway]);
    await joinWan(lab, phoneHost, ADDR.exposedPhone);
    await joinWan(lab, scanner, ADDR.scanner);

    kamailio = await Kamailio.start(provider, lab.path('provider', true), {
      domain: SIP_DOMAIN,
      address: ADDR.provider,
      users: { [USER]: PASSWORD, [WEAK_USER]: WEAK_PASSWORD },
      gateway: `${ADDR.providerGateway}:${GATEWAY_PORT}`,
    });
    phone = await Baresip.start(phoneHost, lab.path('phone', true), {
      address: ADDR.exposedPhone,
      accounts: [{ aor: `sip:${USER}@${SIP_DOMAIN}`, password: PASSWORD, outbound: `sip:${ADDR.provider}:5060` }],
    });
    // Registration is digest-authenticated: the first REGISTER gets a 401, the second is saved.
    const reg = await kamailio.waitForRegistration(USER);
    expect(reg.fields['contact']).toContain(`@${ADDR.exposedPhone}:5060`);
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  const fromProvider = (e: BaresipEvent): boolean => e.peeruri === `sip:caller@${SIP_DOMAIN}`;

  function placeCall(scenario: ProviderCallScenario, pauseMs: number): Sipp {
    return placeProviderCall(provider, lab.path('logs'), { scenario, user: USER, callerPort: CALLER_PORT, pauseMs });
  }


  it('a provider call to the registered user rings the phone; the caller cancels', async () => {
    const before = phone.rings.length;
    const capture = await Capture.start(lab, phoneHost, 'eth0', 'phone-provider-call');
    const sipp = placeCall('uac-ring-cancel', 300);
    onTestFinished(() => sipp.stop());
    const ring = await phone.waitForEvent((e) => e.type === 'CALL_INCOMING' && fromProvider(e) && phone.rings.indexOf(e) >= before, 10_000, 'provider ring');
    const result = await sipp.done;
    expect(result.ok, result.output.slice(-2000)).toBe(true);
    await phone.waitForClosed(ring.id, 5000);
    const wire = await capture.stop();
    // The phone saw INVITE, CANCEL and ACK from the provider, and nothing from anyone else.
    expect(wire.filter((m) => m.method !== undefined).map((m) => `${m.method} from ${m.src}`)).toEqual(
      ['INVITE', 'CANCEL', 'ACK'].map((method) => `${method} from ${ADDR.provider}`),
    );
    providerInvite = wire.find((m) => m.method === 'INVITE')?.payload;
    const delivered = kamailio.events.filter((e) => e.kind === 'deliver' && e.fields['callid'] === ring.id);
    expect(delivered).toHaveLength(1);
  });

  it('a provider call is answered and the caller hangs up (BYE through the Record-Route)', async () => {
    const before = phone.rings.length;
    const sipp = placeCall('uac-answer-caller-bye', 300);
    onTestFinished(() => sipp.stop());
    const ring = await phone.waitForEvent((e) => e.type === 'CALL_INCOMING' && fromProvider(e) && phone.rings.indexOf(e) >= before, 10_000, 'provider ring');
    await phone.answer(ring.id);
    await phone.waitForEstablished(ring.id, 5000);
    const result = await sipp.done;
    expect(result.ok, result.output.slice(-2000)).toBe(true);
    await phone.waitForClosed(ring.id, 5000);
    expect(kamailio.events.some((e) => e.kind === 'in-dialog' && e.fields['method'] === 'BYE' && e.fields['callid'] === ring.id)).toBe(true);
  });

  it('a provider call is answered and the phone hangs up', async () => {
    const before = phone.rings.length;
    const sipp = placeCall('uac-answer-callee-bye', 0);
    onTestFinished(() => sipp.stop());
    const ring = await phone.waitForEvent((e) => e.type === 'CALL_INCOMING' && fromProvider(e) && phone.rings.indexOf(e) >= before, 10_000, 'provider ring');
    await phone.answer(ring.id);
    await phone.waitForEstablished(ring.id, 5000);
    await phone.hangup(ring.id);
    const result = await sipp.done;
    expect(result.ok, result.output.slice(-2000)).toBe(true);
    await phone.waitForClosed(ring.id, 5000);
  });

  it('an outgoing call from the phone authenticates and reaches the provider', async () => {
    const gateway = await Sipp.start(
      provider,
      { scenario: 'uas-answer', address: ADDR.providerGateway, port: GATEWAY_PORT, pauseMs: 200, timeoutSec: 15, name: 'gateway' },
      lab.path('logs'),
    );
    onTestFinished(() => gateway.stop());
    await phone.dial(`sip:5551234@${SIP_DOMAIN}`);
    const up = await phone.waitForEvent((e) => e.type === 'CALL_ESTABLISHED' && e.direction === 'outgoing', 10_000, 'outgoing call established');
    await phone.hangup(up.id);
    const result = await gateway.done;
    expect(result.ok, result.output.slice(-2000)).toBe(true);
    // The provider challenged the INVITE (407) and routed the authenticated retry to its gateway.
    expect(kamailio.events.some((e) => e.kind === 'outbound' && e.fields['ruri'] === `sip:5551234@${SIP_DOMAIN}`)).toBe(true);
  });

  it('svmap -m INVITE sent straight to the phone makes it ring: the ghost call', async () => {
    const before = phone.rings.length;
    const capture = await Capture.start(lab, phoneHost, 'eth0');
    const scan = await svmap(scanner, {
      from: ADDR.scanner,
      target: ADDR.exposedPhone,
      port: 5060,
      method: 'INVITE',
      home: lab.path('scanner-home', true),
      timeoutMs: 15_000,
    });
    expect(scan.timedOut).toBe(false);
    // svmap found the phone (it lists the device with its User-Agent) ...
    expect(scan.output).toContain(`${ADDR.exposedPhone}:5060`);
    // ... and the phone rang with the scanner's caller ID.
    const ghost = await phone.waitForEvent(
      (e) => e.type === 'CALL_INCOMING' && phone.rings.indexOf(e) >= before && e.peerdisplayname === 'sipvicious',
      5000,
      'ghost ring from svmap',
    );
    expect(ghost.peeruri).toBe('sip:100@1.1.1.1');
    // On the wire: the scanner's INVITE reached the phone, and the phone answered 180 Ringing.
    const wire = await capture.stop();
    const invite = wire.find((m) => m.method === 'INVITE' && m.src === ADDR.scanner && m.dst === ADDR.exposedPhone);
    expect(invite?.userAgent).toBe('friendly-scanner');
    expect(invite?.requestUri).toBe(`sip:100@${ADDR.exposedPhone}`);
    expect(wire.some((m) => m.status === 180 && m.src === ADDR.exposedPhone && m.dst === ADDR.scanner)).toBe(true);
    // The provider never saw it, so it could not have blocked it.
    expect(kamailio.events.some((e) => e.fields['src']?.startsWith(`${ADDR.scanner}:`))).toBe(false);
    await phone.hangup(ghost.id);
    await phone.waitForClosed(ghost.id, 5000);
  });

  it('svwar -m INVITE rings the phone once for every extension it tries', async () => {
    const before = phone.rings.length;
    const isNew = (e: BaresipEvent): boolean => phone.rings.indexOf(e) >= before;
    const userOf = (e: BaresipEvent): string => /^sip:([^@]+)@/.exec(e.peeruri ?? '')?.[1] ?? '';
    // svwar (0.3.3) first INVITEs a random extension and waits 3 s for a final answer to learn what
    // "no such user" looks like; a catch-all phone just rings, so svwar would give up after that one
    // ring. The person at the phone rejects that odd call (486), and the sweep goes on.
    const stopRejectingProbe = phone.rejectRings((e) => phone.rings.indexOf(e) === before);
    onTestFinished(stopRejectingProbe);
    const scan = await svwar(scanner, {
      from: ADDR.scanner,
      localPort: 5062,
      target: ADDR.exposedPhone,
      port: 5060,
      method: 'INVITE',
      extensions: '100-110',
      maximumTime: 3,
      home: lab.path('scanner-home', true),
      timeoutMs: 25_000,
    });
    expect(scan.timedOut, scan.output).toBe(false);
    expect(scan.output).toContain('Ok SIP device found');
    const wanted = Array.from({ length: 11 }, (_, i) => String(100 + i));
    for (const ext of wanted) {
      await phone.waitForEvent((e) => e.type === 'CALL_INCOMING' && isNew(e) && userOf(e) === ext, 5000, `ring for extension ${ext}`);
    }
    const rung = phone.rings.filter(isNew);
    expect(userOf(rung[0]!)).toMatch(/^\d{5,}$/); // the random probe rang first
    expect(rung.slice(1).map(userOf)).toEqual(wanted); // then every extension, once, in order
    expect(kamailio.events.some((e) => e.fields['src']?.startsWith(`${ADDR.scanner}:`))).toBe(false);
    // svwar 0.3.3 sends no CANCEL: the phone would ring on; hang up every ghost call.
    const stop = phone.rejectRings(isNew);
    onTestFinished(stop);
    for (const ring of rung) await phone.waitForClosed(ring.id, 5000);
  });

  it('a bounded SIPp INVITE flood (20 INVITEs at 40/s) rings the phone for every one', async () => {
    const before = phone.rings.length;
    const isFlood = (e: BaresipEvent): boolean => phone.rings.indexOf(e) >= before && (e.id ?? '').startsWith('flood-');
    const result = await Sipp.run(
      scanner,
      {
        scenario: 'invite-flood',
        target: `${ADDR.exposedPhone}:5060`,
        address: ADDR.scanner,
        port: 5064,
        service: '100',
        calls: 20,
        rate: 40,
        timeoutSec: 10,
        noRetransmissions: true,
      },
      lab.path('logs'),
    );
    expect(result.ok, result.output.slice(-2000)).toBe(true);
    expect(result.successful).toBe(20);
    const stop = phone.rejectRings(isFlood);
    onTestFinished(stop);
    await phone.waitForEvent(() => phone.rings.filter(isFlood).length === 20, 5000, '20 flood rings');
    expect(new Set(phone.rings.filter(isFlood).map((e) => e.id)).size).toBe(20);
    for (const ring of phone.rings.filter(isFlood)) await phone.waitForClosed(ring.id, 5000);
  });

  it('svcrack guesses a weak SIP password by REGISTER digest (bounded: 6 guesses)', async () => {
    const scan = await svcrack(scanner, {
      from: ADDR.scanner,
      localPort: 5066,
      target: ADDR.provider,
      port: 5060,
      username: WEAK_USER,
      range: '1000-1005',
      home: lab.path('scanner-home', true),
      timeoutMs: 20_000,
    });
    expect(scan.timedOut, scan.output).toBe(false);
    expect(scan.output).toContain(`The password for ${WEAK_USER} is ${WEAK_PASSWORD}`);
    const failed = kamailio.events.filter((e) => e.kind === 'auth-failed' && e.fields['user'] === WEAK_USER);
    // 1000..1003 were wrong (svcrack may also send a guess twice while it fetches a fresh nonce).
    expect(failed.length).toBeGreaterThanOrEqual(4);
    expect(failed.length).toBeLessThanOrEqual(6);
  });

  it("a byte-for-byte copy of the provider's INVITE, sent from the scanner's address, rings the phone too", async () => {
    // Replayed more than 5 s after the original (its server transaction, RFC 3261 timer I, is gone).
    expect(providerInvite, 'the first test captured the provider INVITE').toBeDefined();
    const callId = /^Call-ID: *(.+)$/im.exec(providerInvite!.toString('utf8'))?.[1]?.trim();
    const before = phone.rings.length;
    const replies = await sendUdp(scanner, {
      from: ADDR.scanner,
      // The phone answers to the source address with the port of the top Via (the provider's,
      // 5060), RFC 3261 18.2.2 "received"; so the scanner listens on 5060 to hear it.
      fromPort: 5060,
      to: ADDR.exposedPhone,
      toPort: 5060,
      payloads: [providerInvite!],
      listenMs: 500,
    });
    const copy = await phone.waitForEvent((e) => e.type === 'CALL_INCOMING' && phone.rings.indexOf(e) >= before && e.id === callId, 5000, 'ring for the copied INVITE');
    // The phone cannot tell: same caller ID as the real call; it answered the scanner, not the provider.
    expect(copy.peeruri).toBe(`sip:caller@${SIP_DOMAIN}`);
    expect(replies.some((r) => r.from === ADDR.exposedPhone && r.payload.toString('utf8').startsWith('SIP/2.0 180'))).toBe(true);
    await phone.hangup(copy.id);
    await phone.waitForEvent((e) => e.type === 'CALL_CLOSED' && phone.events.indexOf(e) > phone.events.indexOf(copy), 5000, 'copy closed');
  });
});
