/**
 * The fix, with real peers: the same lab as exposed-phone.test.ts, with ghostguard between the
 * internet and the phone (issue 3 item 8, DESIGN §2 and §5).
 *
 *   wan bridge:  provider 203.0.113.10 (Kamailio; SIPp caller .11, SIPp gateway .12)
 *                scanner  198.51.100.66 (svmap, svwar, svcrack, SIPp flood, raw UDP replay)
 *                         + 203.0.113.99, a toll-fraud destination the scanner owns
 *                guard    192.0.2.30:<WAN port> (ghostguard's WAN leg, a random port kept in its store)
 *   lan bridge:  guard    10.77.0.1:5060 (ghostguard's LAN leg)
 *                phone    10.77.0.20:5060 (baresip, rings for any user, outbound proxy sip:10.77.0.1:5060)
 *
 * The phone is on the LAN only: everything it sends and receives goes through the guard. Every test
 * asserts on observed events (baresip's ctrl_tcp events, Kamailio's GG-EVENT lines, captures, the
 * guard's event table), never on a sleep alone: a "nothing happened" is checked only after the
 * guard has recorded what it dropped.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ADDR, SIP_DOMAIN } from './lib/addresses.js';
import { Baresip, type BaresipEvent } from './lib/baresip.js';
import { Capture, type CapturedSip } from './lib/capture.js';
import { GhostGuard } from './lib/ghostguard.js';
import { Kamailio } from './lib/kamailio.js';
import { Lab, type Host } from './lib/netns.js';
import { placeProviderCall, Sipp, type ProviderCallScenario } from './lib/sipp.js';
import { svcrack, svmap, svwar } from './lib/sipvicious.js';
import { requireTools } from './lib/tools.js';
import { joinLan, joinWan } from './lib/topology.js';
import { sendUdp } from './lib/udp.js';

const ready = requireTools(['ip', 'ss', 'kamailio', 'sipp', 'svmap', 'svwar', 'svcrack', 'baresip', 'cc', 'libre-dev', 'tcpdump', 'tshark']);

const USER = 'alice';
const PASSWORD = 'correct-horse-7';
/** A second subscriber with a guessable password: svcrack aims at it through the guard. */
const WEAK_USER = 'bob';
const WEAK_PASSWORD = '1004';
const CALLER_PORT = 5070;
const GATEWAY_PORT = 5060;
/** baresip's console line for a REGISTER answered (e.g. "alice@voip.example.test: {0/UDP/v4} 200 OK (gg-e2e-provider) [1 binding]"). */
const REGISTERED_RE = new RegExp(`${USER}@${SIP_DOMAIN.replace(/\./g, '\\.')}: \\{0/UDP/v4\\} 200 OK`);
/** Long, so baresip does not re-register during the run (the restart test relies on it). */
const REGINT = 3600;

/** The header part of a SIP message (the SDP body is not rewritten by design: DESIGN §2). */
function headersOf(payload: Buffer | undefined): string {
  const text = payload?.toString('utf8') ?? '';
  const end = text.indexOf('\r\n\r\n');
  return end < 0 ? text : text.slice(0, end);
}

/** Bits of randomness a token can carry at most, from its alphabet (conservative: the smallest alphabet that fits). */
function tokenBits(token: string): number {
  if (/^[0-9a-f]+$/i.test(token)) return token.length * 4;
  if (/^[a-z2-7]+$/i.test(token)) return token.length * 5;
  if (/^[A-Za-z0-9_-]+$/.test(token)) return token.length * 6;
  return 0;
}

/** One captured message as a line, e.g. "192.0.2.30:40000 > 203.0.113.10:5060 486 <call-id>". */
function line(m: CapturedSip): string {
  return `${m.src}:${m.srcPort} > ${m.dst}:${m.dstPort} ${m.method ?? m.status} ${m.requestUri ?? ''} ${m.callId ?? ''}`;
}

function describeWire(wire: readonly CapturedSip[]): string {
  return wire.map(line).join('\n');
}

describe.skipIf(!ready)('a phone behind ghostguard: the fix', () => {
  let lab: Lab;
  let provider: Host;
  let guardHost: Host;
  let phoneHost: Host;
  let scanner: Host;
  let kamailio: Kamailio;
  let guard: GhostGuard;
  let phone: Baresip;
  /** Interfaces: the guard's WAN and LAN legs, and the phone's only interface. */
  let guardWanIf: string;
  let guardLanIf: string;
  let phoneIf: string;
  /** Capture of the guard's WAN leg while the phone registered. */
  let registrationCapture: Capture;
  /** The alias token the provider registered. */
  let token = '';
  /** The INVITE the provider sent to the guard in the first call, as captured on the guard's WAN leg. */
  let providerInvite: Buffer | undefined;

  beforeAll(async () => {
    lab = await Lab.create();
    provider = await lab.addHost('provider');
    guardHost = await lab.addHost('guard');
    phoneHost = await lab.addHost('phone');
    scanner = await lab.addHost('scanner');
    await joinWan(lab, provider, ADDR.provider, [ADDR.providerCaller, ADDR.providerGateway]);
    guardWanIf = await joinWan(lab, guardHost, ADDR.guardWan);
    guardLanIf = await joinLan(lab, guardHost, ADDR.guardLan);
    phoneIf = await joinLan(lab, phoneHost, ADDR.lanPhone);
    await joinWan(lab, scanner, ADDR.scanner, [ADDR.foreignDestination]);

    kamailio = await Kamailio.start(provider, lab.path('provider', true), {
      domain: SIP_DOMAIN,
      address: ADDR.provider,
      users: { [USER]: PASSWORD, [WEAK_USER]: WEAK_PASSWORD },
      gateway: `${ADDR.providerGateway}:${GATEWAY_PORT}`,
    });

    guard = new GhostGuard(guardHost, lab.path('guard', true), {
      domain: SIP_DOMAIN,
      registrar: `${ADDR.provider}:5060`,
      wanAddress: ADDR.guardWan,
      lanListen: `${ADDR.guardLan}:5060`,
      lanAllow: ['10.77.0.0/24'],
      // These tests watch the gate refuse the scanner request by request; automatic bans (which would
      // drop its later requests unread, as `banned`) are tested in flood.test.ts.
      extraYaml: 'defense:\n  bans:\n    refused: 1000000\n    flood_s: 86400\n',
    });
    const check = await guard.checkConfig();
    expect(check.code, check.output).toBe(0);
    expect(check.output).toContain(`Registrar: ${ADDR.provider}:5060`);
    expect(check.output).toContain(`on ${ADDR.guardLan}, port 5060`);
    expect(check.output).toContain('Phones allowed from: 10.77.0.0/24');
    await guard.start();

    registrationCapture = await Capture.start(lab, guardHost, guardWanIf, 'guard-wan-registration');
    phone = await Baresip.start(phoneHost, lab.path('phone', true), {
      address: ADDR.lanPhone,
      accounts: [{ aor: `sip:${USER}@${SIP_DOMAIN}`, password: PASSWORD, outbound: `sip:${ADDR.guardLan}:5060`, regint: REGINT }],
    });
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  const fromProvider = (e: BaresipEvent): boolean => e.peeruri === `sip:caller@${SIP_DOMAIN}`;
  const scannerSeenByProvider = (): boolean => kamailio.events.some((e) => e.fields['src']?.startsWith(`${ADDR.scanner}:`) === true);
  const registerRequests = (): number => kamailio.events.filter((e) => e.kind === 'request' && e.fields['method'] === 'REGISTER').length;
  /** REGISTER responses the phone reported (console lines such as "alice@voip.example.test: {0/UDP/v4} 200 OK ..."), and ctrl_tcp REGISTER events. */
  const phoneRegisterEvents = (): number =>
    (phone.child.output.match(new RegExp(REGISTERED_RE.source, 'g')) ?? []).length + phone.events.filter((e) => e.type.startsWith('REGISTER')).length;

  /** Sum of the guard's recorded drops (counts of aggregated rows) from `source`. */
  const dropsFrom = (source: string): number => guard.events('remote_address = ?', source).reduce((n, r) => n + r.count, 0);

  function placeCall(scenario: ProviderCallScenario, pauseMs: number): Sipp {
    return placeProviderCall(provider, lab.path('logs'), { scenario, user: USER, callerPort: CALLER_PORT, pauseMs });
  }


  /**
   * The checks after a scanner aimed at the guard: every request the guard's WAN leg received from the
   * scanner is in its event table; then nothing reached the phone (no ring, nothing on its wire), the
   * guard answered the scanner nothing (dropped silently), and nothing went on to the provider.
   */
  async function expectScannerStopped(what: string, before: { rings: number; drops: number }, guardWan: Capture, phoneWire: Capture): Promise<CapturedSip[]> {
    const wan = await guardWan.stop(300);
    const arrived = wan.filter((m) => m.src === ADDR.scanner && m.dst === ADDR.guardWan && m.dstPort === guard.wanPort && m.method !== undefined);
    expect(arrived.length, `${what}: the scanner's requests reached the guard's WAN port\n${describeWire(wan)}`).toBeGreaterThan(0);
    await guard.waitForEvents(`drops of ${what}`, 'remote_address = ?', [ADDR.scanner], (rows) => rows.reduce((n, r) => n + r.count, 0) >= before.drops + arrived.length);
    const lan = await phoneWire.stop();
    expect(lan.filter((m) => m.method !== undefined).map(line), `${what}: requests on the phone's wire`).toEqual([]);
    expect(lan.filter((m) => m.src === ADDR.scanner || m.dst === ADDR.scanner).map(line)).toEqual([]);
    expect(phone.rings.slice(before.rings).map((e) => `${e.peeruri ?? ''} ${e.id ?? ''}`), `${what}: the phone rang`).toEqual([]);
    expect(wan.filter((m) => m.src === ADDR.guardWan && m.dst === ADDR.scanner).map(line), `${what}: the guard answered the scanner`).toEqual([]);
    expect(scannerSeenByProvider(), `${what}: relayed to the provider`).toBe(false);
    const rows = guard.events('remote_address = ?', ADDR.scanner);
    expect(rows.every((r) => r.leg === 'wan' && r.reasons.includes('not-from-provider')), JSON.stringify(rows.map((r) => r.reasons))).toBe(true);
    return arrived;
  }

  it('the phone registers through the guard: the provider sees only an alias of >= 96 random bits', async () => {
    const reg = await kamailio.waitForRegistration(USER, 15_000);
    // The phone's own registration is up: baresip reports the 200 OK that came back through the guard.
    await phone.child.waitForOutput(REGISTERED_RE, 10_000);
    const info = await phone.command('reginfo');
    expect(info.ok).toBe(true);
    expect(info.data).toMatch(/OK/);
    const contact = reg.fields['contact'] ?? '';
    const m = /sip:([^@;>]+)@([0-9.]+):(\d+)/.exec(contact);
    expect(m, contact).not.toBeNull();
    token = m![1]!;
    expect(m![2]).toBe(ADDR.guardWan);
    expect(Number(m![3])).toBe(guard.wanPort);
    expect(tokenBits(token), token).toBeGreaterThanOrEqual(96);
    // The REGISTERs (401 challenge, then the authenticated one) came from the guard's WAN port, and no
    // Contact the provider ever stored names the phone.
    const requests = kamailio.events.filter((e) => e.kind === 'request' && e.fields['method'] === 'REGISTER');
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(requests.every((e) => e.fields['src'] === `${ADDR.guardWan}:${guard.wanPort}`)).toBe(true);
    for (const e of kamailio.events.filter((x) => x.kind === 'register')) expect(e.fields['contact']).not.toContain('10.77.0.');
    // On the WAN wire: no SIP header leaks the LAN (Via, Contact, anything).
    const wire = await registrationCapture.stop();
    const registers = wire.filter((m2) => m2.method === 'REGISTER');
    expect(registers.length).toBeGreaterThanOrEqual(2);
    expect(registers.every((r) => r.src === ADDR.guardWan && r.srcPort === guard.wanPort && r.dst === ADDR.provider)).toBe(true);
    for (const msg of wire) expect(headersOf(msg.payload), 'a WAN message names the LAN').not.toContain('10.77.0.');
    // The guard keeps the binding in its store: the alias token and the phone's own Contact.
    const bindings = guard.bindings();
    expect(bindings.map((b) => b['token'])).toEqual([token.toLowerCase()]);
    expect(String(bindings[0]!['phone_contact'])).toContain(`@${ADDR.lanPhone}:5060`);
  });

  it('a provider call rings the phone through the guard; the caller cancels', async () => {
    const before = phone.rings.length;
    const wan = await Capture.start(lab, guardHost, guardWanIf, 'guard-wan-provider-call');
    const lan = await Capture.start(lab, phoneHost, phoneIf, 'phone-provider-call');
    const sipp = placeCall('uac-ring-cancel', 300);
    onTestFinished(() => sipp.stop());
    const ring = await phone.waitForEvent((e) => e.type === 'CALL_INCOMING' && fromProvider(e) && phone.rings.indexOf(e) >= before, 10_000, 'provider ring');
    const result = await sipp.done;
    expect(result.ok, result.output.slice(-2000)).toBe(true);
    await phone.waitForClosed(ring.id, 5000);
    const wanWire = await wan.stop();
    const lanWire = await lan.stop();
    // The provider sent the call to the alias (the token at the guard's WAN port) ...
    const delivered = kamailio.events.filter((e) => e.kind === 'deliver' && e.fields['callid'] === ring.id);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.fields['ruri']).toContain(`${token}@${ADDR.guardWan}:${guard.wanPort}`);
    const invite = wanWire.find((m) => m.method === 'INVITE' && m.src === ADDR.provider && m.dst === ADDR.guardWan && m.dstPort === guard.wanPort);
    expect(invite, describeWire(wanWire)).toBeDefined();
    providerInvite = invite!.payload;
    // ... and the phone got INVITE, CANCEL, ACK from the guard's LAN leg, for its own Contact.
    expect(lanWire.filter((m) => m.method !== undefined).map((m) => `${m.method} from ${m.src}`)).toEqual(
      ['INVITE', 'CANCEL', 'ACK'].map((method) => `${method} from ${ADDR.guardLan}`),
    );
    const lanInvite = lanWire.find((m) => m.method === 'INVITE');
    expect(lanInvite?.requestUri).toMatch(new RegExp(`^sip:${USER}[^@]*@${ADDR.lanPhone.replace(/\./g, '\\.')}:5060`));
    expect(lanInvite?.callId).toBe(ring.id);
  });

  it('a provider call is answered and the caller hangs up (BYE through the Record-Route, through the guard)', async () => {
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

  it('a provider call is answered and the phone hangs up (its BYE leaves through the guard)', async () => {
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
    const bye = kamailio.events.find((e) => e.kind === 'in-dialog' && e.fields['method'] === 'BYE' && e.fields['callid'] === ring.id);
    expect(bye?.fields['src']).toBe(`${ADDR.guardWan}:${guard.wanPort}`);
  });

  it('an outgoing call from the phone goes through the guard, authenticates (407) and reaches the gateway', async () => {
    const gateway = await Sipp.start(
      provider,
      { scenario: 'uas-answer', address: ADDR.providerGateway, port: GATEWAY_PORT, pauseMs: 200, timeoutSec: 15, name: 'gateway' },
      lab.path('logs'),
    );
    onTestFinished(() => gateway.stop());
    const wan = await Capture.start(lab, guardHost, guardWanIf, 'guard-wan-outgoing-call');
    await phone.dial(`sip:5551234@${SIP_DOMAIN}`);
    const up = await phone.waitForEvent((e) => e.type === 'CALL_ESTABLISHED' && e.direction === 'outgoing', 10_000, 'outgoing call established');
    await phone.hangup(up.id);
    const result = await gateway.done;
    expect(result.ok, result.output.slice(-2000)).toBe(true);
    await phone.waitForClosed(up.id, 5000);
    const wanWire = await wan.stop();
    // The provider challenged the first INVITE (407), and routed the authenticated one to its gateway;
    // both came from the guard's WAN port.
    const invites = kamailio.events.filter((e) => e.kind === 'request' && e.fields['method'] === 'INVITE' && e.fields['callid'] === up.id);
    expect(invites.length).toBeGreaterThanOrEqual(2);
    expect(invites.every((e) => e.fields['src'] === `${ADDR.guardWan}:${guard.wanPort}`)).toBe(true);
    expect(wanWire.some((m) => m.status === 407 && m.src === ADDR.provider && m.callId === up.id)).toBe(true);
    const outbound = kamailio.events.filter((e) => e.kind === 'outbound' && e.fields['callid'] === up.id);
    expect(outbound).toHaveLength(1);
    expect(outbound[0]!.fields['ruri']).toBe(`sip:5551234@${SIP_DOMAIN}`);
    // Topology hiding: the call's SIP headers on the WAN never name the LAN (the SDP is left as it is).
    for (const msg of wanWire.filter((m) => m.callId === up.id)) expect(headersOf(msg.payload)).not.toContain('10.77.0.');
  });

  it('svmap -m INVITE aimed at the guard: the phone does not ring, the guard drops it silently and records it', async () => {
    const before = { rings: phone.rings.length, drops: dropsFrom(ADDR.scanner) };
    const wan = await Capture.start(lab, guardHost, guardWanIf, 'guard-wan-svmap');
    const lan = await Capture.start(lab, phoneHost, phoneIf, 'phone-svmap');
    const scan = await svmap(scanner, {
      from: ADDR.scanner,
      target: ADDR.guardWan,
      port: guard.wanPort,
      method: 'INVITE',
      home: lab.path('scanner-home', true),
      timeoutMs: 15_000,
    });
    expect(scan.timedOut, scan.output).toBe(false);
    // svmap found nothing: the guard never answered.
    expect(scan.output).toContain('found nothing');
    expect(scan.output).not.toContain(`${ADDR.guardWan}:${guard.wanPort}`);
    const arrived = await expectScannerStopped('svmap', before, wan, lan);
    expect(arrived[0]?.userAgent).toBe('friendly-scanner');
    expect(arrived[0]?.requestUri).toBe(`sip:100@${ADDR.guardWan}`);
    // The record explains it in plain language (English and Japanese), naming the scanner's address.
    const row = guard.events('remote_address = ? AND method = ?', ADDR.scanner, 'INVITE')[0];
    expect(row?.explanation_en).toContain(ADDR.scanner);
    expect(row?.explanation_ja.length).toBeGreaterThan(0);
  });

  it('svwar -m INVITE aimed at the guard finds no extension and rings nothing', async () => {
    const before = { rings: phone.rings.length, drops: dropsFrom(ADDR.scanner) };
    const wan = await Capture.start(lab, guardHost, guardWanIf, 'guard-wan-svwar');
    const lan = await Capture.start(lab, phoneHost, phoneIf, 'phone-svwar');
    const scan = await svwar(scanner, {
      from: ADDR.scanner,
      localPort: 5062,
      target: ADDR.guardWan,
      port: guard.wanPort,
      method: 'INVITE',
      extensions: '100-105',
      maximumTime: 2,
      home: lab.path('scanner-home', true),
      timeoutMs: 20_000,
    });
    expect(scan.timedOut, scan.output).toBe(false);
    expect(scan.output).not.toContain('Ok SIP device found');
    // svwar 0.3.3 first probes a random extension; with no answer at all it gives up at once.
    expect(scan.output).toContain('found nothing');
    const arrived = await expectScannerStopped('svwar', before, wan, lan);
    expect(arrived.every((m) => m.method === 'INVITE')).toBe(true);
  });

  it('svcrack aimed at the guard learns nothing and never reaches the provider', async () => {
    const before = { rings: phone.rings.length, drops: dropsFrom(ADDR.scanner) };
    const wan = await Capture.start(lab, guardHost, guardWanIf, 'guard-wan-svcrack');
    const lan = await Capture.start(lab, phoneHost, phoneIf, 'phone-svcrack');
    const scan = await svcrack(scanner, {
      from: ADDR.scanner,
      localPort: 5066,
      target: ADDR.guardWan,
      port: guard.wanPort,
      username: WEAK_USER,
      range: '1000-1005',
      home: lab.path('scanner-home', true),
      timeoutMs: 20_000,
    });
    expect(scan.timedOut, scan.output).toBe(false);
    expect(scan.output).not.toContain('The password for');
    // svcrack 0.3.3 sends one REGISTER to see what the server answers; with no answer (10 s) it stops.
    expect(scan.output).toContain('no server response');
    const arrived = await expectScannerStopped('svcrack', before, wan, lan);
    expect(arrived.every((m) => m.method === 'REGISTER')).toBe(true);
    expect(kamailio.events.some((e) => e.kind === 'auth-failed')).toBe(false);
  });

  it('a bounded SIPp INVITE flood (20 INVITEs at 40/s) at the guard: no ring, every INVITE counted', async () => {
    const before = { rings: phone.rings.length, drops: dropsFrom(ADDR.scanner) };
    const wan = await Capture.start(lab, guardHost, guardWanIf, 'guard-wan-flood');
    const lan = await Capture.start(lab, phoneHost, phoneIf, 'phone-flood');
    const result = await Sipp.run(
      scanner,
      {
        scenario: 'invite-flood',
        target: `${ADDR.guardWan}:${guard.wanPort}`,
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
    const arrived = await expectScannerStopped('the INVITE flood', before, wan, lan);
    expect(arrived.filter((m) => m.callId?.startsWith('flood-'))).toHaveLength(20);
    // Aggregated: a flood is counted in rows per source and reason, not a row per INVITE.
    expect(guard.events('remote_address = ?', ADDR.scanner).length).toBeLessThan(dropsFrom(ADDR.scanner));
  });

  it("a byte-for-byte copy of the provider's INVITE, sent from the scanner's address, is dropped", async () => {
    expect(providerInvite, 'the provider-call test captured the provider INVITE').toBeDefined();
    const callId = /^Call-ID: *(.+)$/im.exec(providerInvite!.toString('utf8'))?.[1]?.trim();
    // The copy carries the live alias token: only its source tells it apart.
    expect(providerInvite!.toString('utf8')).toContain(`${token}@${ADDR.guardWan}:${guard.wanPort}`);
    const before = { rings: phone.rings.length, drops: dropsFrom(ADDR.scanner) };
    const wan = await Capture.start(lab, guardHost, guardWanIf, 'guard-wan-replay');
    const lan = await Capture.start(lab, phoneHost, phoneIf, 'phone-replay');
    const replies = await sendUdp(scanner, {
      from: ADDR.scanner,
      // Listen where a phone would answer it (the top Via's port, 5060), to hear any answer at all.
      fromPort: 5060,
      to: ADDR.guardWan,
      toPort: guard.wanPort,
      payloads: [providerInvite!],
      listenMs: 500,
    });
    const arrived = await expectScannerStopped('the replayed provider INVITE', before, wan, lan);
    expect(arrived.map((m) => m.callId)).toEqual([callId]);
    expect(replies.map((r) => `${r.from}: ${r.payload.toString('utf8').split('\r\n')[0] ?? ''}`)).toEqual([]);
    expect(phone.rings.some((e) => e.id === callId && phone.rings.indexOf(e) >= before.rings)).toBe(false);
  });

  it('after a restart of the guard, the next provider call rings without the phone registering again', async () => {
    const registersBefore = registerRequests();
    const phoneRegistersBefore = phoneRegisterEvents();
    const port = guard.wanPort;
    await guard.restart();
    expect(guard.runs).toHaveLength(2);
    expect(guard.runs[0]!.running).toBe(false);
    expect(guard.wanPort).toBe(port); // the random WAN port is kept in the store
    await guard.child.waitForOutput(/1 binding\(s\) kept from before the restart/, 5000); // its log says so
    const before = phone.rings.length;
    const sipp = placeCall('uac-answer-caller-bye', 300);
    onTestFinished(() => sipp.stop());
    const ring = await phone.waitForEvent((e) => e.type === 'CALL_INCOMING' && fromProvider(e) && phone.rings.indexOf(e) >= before, 10_000, 'provider ring after restart');
    await phone.answer(ring.id);
    await phone.waitForEstablished(ring.id, 5000);
    const result = await sipp.done;
    expect(result.ok, result.output.slice(-2000)).toBe(true);
    await phone.waitForClosed(ring.id, 5000);
    const delivered = kamailio.events.find((e) => e.kind === 'deliver' && e.fields['callid'] === ring.id);
    expect(delivered?.fields['ruri']).toContain(`${token}@${ADDR.guardWan}:${port}`);
    // Nobody registered in between: not the phone, and the provider saw no REGISTER.
    expect(registerRequests()).toBe(registersBefore);
    expect(phoneRegisterEvents()).toBe(phoneRegistersBefore);
  });

  /** A hand-made INVITE for `ruri`, as a toll-fraud dialer would send it; returns the bytes and its Call-ID. */
  function foreignInvite(ruri: string, from: string, fromPort: number): { bytes: Buffer; callId: string } {
    const callId = `foreign-${randomBytes(6).toString('hex')}@${from}`;
    const lines = [
      `INVITE ${ruri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${from}:${fromPort};branch=z9hG4bK-${randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: "100" <sip:100@${from}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <${ruri}>`,
      `Call-ID: ${callId}`,
      'CSeq: 1 INVITE',
      `Contact: <sip:100@${from}:${fromPort}>`,
      'User-Agent: gg-e2e-toll-fraud',
      'Content-Length: 0',
      '',
      '',
    ];
    return { bytes: Buffer.from(lines.join('\r\n')), callId };
  }

  /**
   * Sends an INVITE for `ruri` to the guard's WAN port from the provider's own address (it passes the
   * source check: only the destination is wrong) and from the scanner; then checks that the guard
   * recorded both, and that nothing left the guard for them on either leg: no relay, no answer.
   */
  async function expectNeverRelayed(ruri: string, name: string): Promise<void> {
    const wan = await Capture.start(lab, guardHost, guardWanIf, `guard-wan-${name}`);
    const guardLan = await Capture.start(lab, guardHost, guardLanIf, `guard-lan-${name}`);
    const before = { rings: phone.rings.length, provider: dropsFrom(ADDR.provider), scanner: dropsFrom(ADDR.scanner) };
    // If the guard relays it to the phone after all, the person rejects it (the test fails anyway).
    const stopRejecting = phone.rejectRings((e) => phone.rings.indexOf(e) >= before.rings);
    onTestFinished(stopRejecting);
    const fromProviderAddress = foreignInvite(ruri, ADDR.provider, 5098);
    const fromScanner = foreignInvite(ruri, ADDR.scanner, 5068);
    const callIds = [fromProviderAddress.callId, fromScanner.callId];
    const providerReplies = await sendUdp(provider, {
      from: ADDR.provider,
      fromPort: 5098,
      to: ADDR.guardWan,
      toPort: guard.wanPort,
      payloads: [fromProviderAddress.bytes],
      listenMs: 300,
    });
    const scannerReplies = await sendUdp(scanner, {
      from: ADDR.scanner,
      fromPort: 5068,
      to: ADDR.guardWan,
      toPort: guard.wanPort,
      payloads: [fromScanner.bytes],
      listenMs: 300,
    });
    const wanWire = await wan.stop(300);
    const ours = (m: CapturedSip): boolean => m.callId !== undefined && callIds.includes(m.callId);
    expect(wanWire.filter((m) => ours(m) && m.dst === ADDR.guardWan).length, describeWire(wanWire)).toBe(2);
    // Wait until the guard has recorded both drops, or (a failure) relayed one to the phone.
    const relayed = (): boolean => phone.rings.length > before.rings;
    await guard.waitForEvents(`a drop of the INVITE to ${ruri} from the provider's address`, 'remote_address = ?', [ADDR.provider], (rows) =>
      relayed() || rows.reduce((n, r) => n + r.count, 0) >= before.provider + 1,
    );
    await guard.waitForEvents(`a drop of the INVITE to ${ruri} from the scanner`, 'remote_address = ?', [ADDR.scanner], (rows) =>
      relayed() || rows.reduce((n, r) => n + r.count, 0) >= before.scanner + 1,
    );
    const lanWire = await guardLan.stop();
    // Nothing left the guard for them: not on the WAN (no relay, no answer), not on the LAN.
    expect(wanWire.filter((m) => ours(m) && m.src === ADDR.guardWan).map(line), 'sent by the guard on its WAN leg').toEqual([]);
    expect(wanWire.filter((m) => m.dst === ADDR.foreignDestination).map(line)).toEqual([]);
    expect(lanWire.filter((m) => m.method !== undefined || m.status !== undefined).map(line), 'on the guard\'s LAN leg').toEqual([]);
    const firstLine = (r: { from: string; payload: Buffer }): string => `${r.from}: ${r.payload.toString('utf8').split('\r\n')[0] ?? ''}`;
    expect(providerReplies.map(firstLine)).toEqual([]);
    expect(scannerReplies.map(firstLine)).toEqual([]);
    expect(phone.rings.slice(before.rings).map((e) => `${e.peeruri ?? ''} ${e.id ?? ''}`), 'the phone rang').toEqual([]);
    expect(kamailio.events.some((e) => e.fields['callid'] !== undefined && callIds.includes(e.fields['callid']))).toBe(false);
    expect(dropsFrom(ADDR.provider), 'drops recorded from the provider address').toBeGreaterThanOrEqual(before.provider + 1);
    expect(dropsFrom(ADDR.scanner), 'drops recorded from the scanner').toBeGreaterThanOrEqual(before.scanner + 1);
    const providerRows = guard.events('remote_address = ? AND method = ?', ADDR.provider, 'INVITE');
    expect(providerRows.every((r) => r.reasons.includes('open-relay')), JSON.stringify(providerRows.map((r) => r.reasons))).toBe(true);
  }

  it('an INVITE from the WAN to a foreign number (sip:00972595123456@203.0.113.99) is never relayed, on either leg', async () => {
    await expectNeverRelayed(`sip:00972595123456@${ADDR.foreignDestination}`, 'foreign-number');
  });

  // Last: when it fails, the guard has switched itself to its Request-URI-rewrite fallback for good.
  it("an INVITE from the WAN to the LAN phone's address (sip:alice@10.77.0.20) is never relayed, on either leg", async () => {
    await expectNeverRelayed(`sip:${USER}@${ADDR.lanPhone}`, 'lan-address');
    expect(guard.child.output).not.toContain('the provider rewrites the Request-URI');
  });
});
