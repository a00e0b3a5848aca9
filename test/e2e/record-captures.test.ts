/**
 * Records the capture fixtures of test/fixtures/captures/ in the lab of exposed-phone.test.ts
 * (Kamailio the provider, baresip the exposed phone, SIPVicious and SIPp the scanners), and checks
 * with tshark that each recording shows what the script did (lib/capture-manifest.ts, PLAN).
 *
 * - By default it records into the lab's temp folder and only checks: CI re-proves the fixtures'
 *   story every run while the committed files stay as they are.
 * - With GHOSTGUARD_RECORD_CAPTURES=1 it also copies the files and manifest.json into
 *   test/fixtures/captures/ (re-recording; the README says how).
 * - A last test (needs only tshark) checks the committed files against the committed manifest.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ADDR, SIP_DOMAIN, WAN_RANGES } from './lib/addresses.js';
import { Baresip, type BaresipEvent } from './lib/baresip.js';
import { Capture } from './lib/capture.js';
import { captureFacts, type CaptureFacts } from './lib/capture-facts.js';
import { CAPTURES_DIR, manifestOf, PLAN, PROVIDER_ADDRESSES, SVCRACK, SVWAR_EXTENSIONS, type CaptureEntry, type CaptureManifest } from './lib/capture-manifest.js';
import { runChild } from './lib/child.js';
import { Kamailio } from './lib/kamailio.js';
import { Lab, type Host } from './lib/netns.js';
import { placeProviderCall, Sipp, type ProviderCallScenario } from './lib/sipp.js';
import { svcrack, svmap, svwar } from './lib/sipvicious.js';
import { requireTools, which } from './lib/tools.js';
import { joinWan } from './lib/topology.js';
import { sendUdp } from './lib/udp.js';

const ready = requireTools(['ip', 'ss', 'kamailio', 'sipp', 'svmap', 'svwar', 'svcrack', 'baresip', 'cc', 'libre-dev', 'tcpdump', 'tshark']);
const RECORD = process.env['GHOSTGUARD_RECORD_CAPTURES'] === '1';
const USER = 'alice';
const PASSWORD = 'correct-horse-7';
const CALLER_PORT = 5070;
/** Each fixture stays small (the task: well under 1 MB). */
const MAX_FIXTURE_BYTES = 200_000;

const entry = (file: string): CaptureEntry => {
  const found = PLAN.find((e) => e.file === file);
  if (found === undefined) throw new Error(`no plan for ${file}`);
  return found;
};

/** A svmap-shaped INVITE padded with an SDP body to about 1.2 kB, so it leaves a 300-byte MTU in fragments. */
function bigInvite(callId: string): Buffer {
  const sdp = ['v=0', `o=- 1 1 IN IP4 ${ADDR.scanner}`, 's=-', `c=IN IP4 ${ADDR.scanner}`, 't=0 0', 'm=audio 40000 RTP/AVP 0 8 101', 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:8 PCMA/8000'];
  for (let i = 0; sdp.join('\r\n').length < 800; i++) sdp.push(`a=x-padding-${i}:${'p'.repeat(40)}`);
  const body = `${sdp.join('\r\n')}\r\n`;
  const head = [
    `INVITE sip:100@${ADDR.exposedPhone} SIP/2.0`,
    `Via: SIP/2.0/UDP ${ADDR.scanner}:5068;branch=z9hG4bK-${callId};rport`,
    'Max-Forwards: 70',
    'To: "sipvicious"<sip:100@1.1.1.1>',
    `From: "sipvicious"<sip:100@1.1.1.1>;tag=${callId}`,
    'User-Agent: friendly-scanner',
    `Call-ID: ${callId}`,
    `Contact: sip:100@${ADDR.scanner}:5068`,
    'CSeq: 1 INVITE',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return Buffer.from(`${head.join('\r\n')}\r\n\r\n${body}`);
}

describe.skipIf(!ready)('capture fixtures: recorded in the lab, each shows what the script did', () => {
  let lab: Lab;
  let provider: Host;
  let phoneHost: Host;
  let scanner: Host;
  let kamailio: Kamailio;
  let phone: Baresip;
  /** The first capture runs from before the phone starts, so it holds the registration. */
  let firstCapture: Capture;
  const recorded = new Map<string, string>();

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
      users: { [USER]: PASSWORD, [SVCRACK.user]: SVCRACK.password },
    });
    firstCapture = await Capture.start(lab, phoneHost, 'eth0', 'provider-calls');
    phone = await Baresip.start(phoneHost, lab.path('phone', true), {
      address: ADDR.exposedPhone,
      accounts: [{ aor: `sip:${USER}@${SIP_DOMAIN}`, password: PASSWORD, outbound: `sip:${ADDR.provider}:5060`, regint: 3600 }],
    });
    await kamailio.waitForRegistration(USER);
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  const isProviderRing = (e: BaresipEvent): boolean => e.peeruri === `sip:caller@${SIP_DOMAIN}`;
  const newRings = (before: number, ghost: boolean): BaresipEvent[] => phone.rings.slice(before).filter((e) => isProviderRing(e) !== ghost);

  async function providerCall(scenario: ProviderCallScenario): Promise<void> {
    const before = phone.rings.length;
    const sipp = placeProviderCall(provider, lab.path('logs'), { scenario, user: USER, callerPort: CALLER_PORT, pauseMs: 300 });
    onTestFinished(() => sipp.stop());
    const ring = await phone.waitForEvent((e) => e.type === 'CALL_INCOMING' && isProviderRing(e) && phone.rings.indexOf(e) >= before, 10_000, 'provider ring');
    if (scenario !== 'uac-ring-cancel') {
      await phone.answer(ring.id);
      await phone.waitForEstablished(ring.id, 5000);
    }
    const result = await sipp.done;
    expect(result.ok, result.output.slice(-2000)).toBe(true);
    await phone.waitForClosed(ring.id, 5000);
  }

  /** Stops a capture, keeps it under its fixture name (pcapng through editcap), checks its facts. */
  async function finish(capture: Capture, file: string, rings: { ghost: number; provider: number }): Promise<CaptureFacts> {
    await capture.stop(300);
    const plan = entry(file);
    const out = join(lab.path('recorded', true), file);
    if (plan.format === 'pcapng') {
      const r = await runChild('editcap', which('editcap') ?? 'editcap', ['-F', 'pcapng', capture.pcap, out], 20_000);
      expect(r.code, r.output).toBe(0);
    } else {
      copyFileSync(capture.pcap, out);
    }
    recorded.set(file, out);
    expect(statSync(out).size).toBeLessThan(MAX_FIXTURE_BYTES);
    expect({ ghost: rings.ghost > 0, provider: rings.provider > 0 }).toEqual(plan.expected.phoneRang);
    expect(rings.ghost).toBe(plan.expected.ghostRings);
    const facts = await captureFacts(out, lab.path('tshark-home', true), { phone: plan.phoneAddress, providers: plan.providerAddresses });
    expectFacts(facts, plan);
    return facts;
  }

  it('provider calls only: registration, a cancelled call, an answered call', async () => {
    const before = phone.rings.length;
    await providerCall('uac-ring-cancel');
    await providerCall('uac-answer-caller-bye');
    const facts = await finish(firstCapture, 'provider-calls.pcap', { ghost: newRings(before, true).length, provider: newRings(before, false).length });
    expect(facts.registersBySource[ADDR.exposedPhone]).toBeGreaterThanOrEqual(2); // challenged, then saved
  });

  it('svmap rings the phone (a ghost call), then a provider call', async () => {
    const before = phone.rings.length;
    const capture = await Capture.start(lab, phoneHost, 'eth0', 'svmap-ghost-call');
    const stop = phone.rejectRings((e) => !isProviderRing(e) && phone.rings.indexOf(e) >= before);
    onTestFinished(stop);
    const scan = await svmap(scanner, { from: ADDR.scanner, target: ADDR.exposedPhone, port: 5060, method: 'INVITE', home: lab.path('scanner-home', true), timeoutMs: 15_000 });
    expect(scan.timedOut).toBe(false);
    const ghost = await phone.waitForRing(5000, (e) => phone.rings.indexOf(e) >= before && e.peerdisplayname === 'sipvicious');
    await phone.waitForClosed(ghost.id, 5000);
    await providerCall('uac-ring-cancel');
    await finish(capture, 'svmap-ghost-call.pcap', { ghost: newRings(before, true).length, provider: newRings(before, false).length });
  });

  it(`svwar -m INVITE sweeps ${SVWAR_EXTENSIONS}: a ring per extension, plus its random first probe`, async () => {
    const before = phone.rings.length;
    const capture = await Capture.start(lab, phoneHost, 'eth0', 'svwar-extensions');
    const stopProbe = phone.rejectRings((e) => phone.rings.indexOf(e) === before);
    onTestFinished(stopProbe);
    const scan = await svwar(scanner, {
      from: ADDR.scanner,
      localPort: 5062,
      target: ADDR.exposedPhone,
      port: 5060,
      method: 'INVITE',
      extensions: SVWAR_EXTENSIONS,
      maximumTime: 3,
      home: lab.path('scanner-home', true),
      timeoutMs: 25_000,
    });
    expect(scan.timedOut, scan.output).toBe(false);
    await phone.waitForEvent(() => newRings(before, true).length === 5, 5000, '5 svwar rings');
    const stop = phone.rejectRings((e) => phone.rings.indexOf(e) >= before);
    onTestFinished(stop);
    for (const ring of newRings(before, true)) await phone.waitForClosed(ring.id, 5000);
    await finish(capture, 'svwar-extensions.pcap', { ghost: newRings(before, true).length, provider: 0 });
  });

  it('svcrack guesses a password from a short word list at the registrar', async () => {
    const capture = await Capture.start(lab, provider, 'eth0', 'svcrack-registrar');
    const scan = await svcrack(scanner, {
      from: ADDR.scanner,
      localPort: 5066,
      target: ADDR.provider,
      port: 5060,
      username: SVCRACK.user,
      words: SVCRACK.words,
      home: lab.path('scanner-home', true),
      timeoutMs: 20_000,
    });
    expect(scan.timedOut, scan.output).toBe(false);
    expect(scan.output).toContain(`The password for ${SVCRACK.user} is ${SVCRACK.password}`);
    const facts = await finish(capture, 'svcrack-registrar.pcap', { ghost: 0, provider: 0 });
    // A REGISTER for each wrong word, and the right one (svcrack may repeat a guess for a fresh nonce).
    expect(facts.registersBySource[ADDR.scanner]).toBeGreaterThanOrEqual(SVCRACK.words.length);
    expect(facts.registersBySource[ADDR.scanner]).toBeLessThanOrEqual(SVCRACK.words.length * 3);
  });

  it('SIP over TCP in small segments and a UDP INVITE in IPv4 fragments (pcapng)', async () => {
    // A 300-byte MTU on the scanner's side and on the phone's route back: TCP segments of at most
    // 260 bytes both ways, and IPv4 fragments for any datagram above 300 bytes. GSO off, so the
    // capture shows the segments as they are on the wire.
    await lab.ip(['-n', scanner.ns, 'link', 'set', 'eth0', 'mtu', '300', 'gso_max_segs', '1']);
    await lab.ip(['-n', phoneHost.ns, 'link', 'set', 'eth0', 'gso_max_segs', '1']);
    for (const range of WAN_RANGES.filter((r) => r.startsWith('198.51.100.'))) {
      await lab.ip(['-n', phoneHost.ns, 'route', 'replace', range, 'dev', 'eth0', 'mtu', '300']);
    }
    const before = phone.rings.length;
    const stop = phone.rejectRings((e) => phone.rings.indexOf(e) >= before);
    onTestFinished(stop);
    const capture = await Capture.start(lab, phoneHost, 'eth0', 'tcp-segments-ip-fragments');
    const tcp = await Sipp.run(
      scanner,
      { scenario: 'invite-flood', target: `${ADDR.exposedPhone}:5060`, address: ADDR.scanner, port: 5064, service: '100', calls: 1, rate: 1, timeoutSec: 10, transport: 't1', name: 'tcp-invite' },
      lab.path('logs'),
    );
    expect(tcp.ok, tcp.output.slice(-2000)).toBe(true);
    await phone.waitForEvent(() => newRings(before, true).length === 1, 5000, 'ring for the TCP INVITE');
    const replies = await sendUdp(scanner, { from: ADDR.scanner, fromPort: 5068, to: ADDR.exposedPhone, toPort: 5060, payloads: [bigInvite(`gg-frag-${Date.now()}`)], listenMs: 1500 });
    expect(replies.some((r) => r.payload.toString('latin1').startsWith('SIP/2.0 180'))).toBe(true);
    await phone.waitForEvent(() => newRings(before, true).length === 2, 5000, 'ring for the fragmented UDP INVITE');
    for (const ring of newRings(before, true)) await phone.waitForClosed(ring.id, 5000);
    await finish(capture, 'tcp-segments-ip-fragments.pcapng', { ghost: newRings(before, true).length, provider: 0 });
  });

  it('every planned capture was recorded (and, when re-recording, copied into test/fixtures/captures)', () => {
    expect([...recorded.keys()]).toEqual(PLAN.map((e) => e.file));
    if (RECORD) {
      for (const [file, path] of recorded) copyFileSync(path, join(CAPTURES_DIR, file));
      writeFileSync(join(CAPTURES_DIR, 'manifest.json'), `${JSON.stringify(manifestOf(PLAN), null, 2)}\n`);
    } else {
      // The committed manifest tells the same story as the script that recorded it.
      const committed = JSON.parse(readFileSync(join(CAPTURES_DIR, 'manifest.json'), 'utf8')) as CaptureManifest;
      expect(committed).toEqual(JSON.parse(JSON.stringify(manifestOf(PLAN))));
    }
  });
});

/** The facts tshark reads from a capture agree with its plan. */
function expectFacts(facts: CaptureFacts, plan: CaptureEntry): void {
  const e = plan.expected;
  const where = `${plan.file}: ${JSON.stringify(facts)}`;
  expect(facts.ghostInviteDialogs, where).toBe(e.ghostInviteDialogs);
  expect(facts.providerCalls, where).toBe(e.providerCalls);
  const ghostSources = Object.keys(facts.inviteCallIdsBySource).filter((s) => !plan.providerAddresses.includes(s));
  const scannerSources = Object.keys(e.scanners);
  for (const s of ghostSources) expect(scannerSources, where).toContain(s);
  if (e.registerGuesses !== undefined) expect(facts.registersBySource[e.registerGuesses.source] ?? 0, where).toBeGreaterThanOrEqual(e.registerGuesses.words.length);
  expect(facts.ghostDialogsRinging > 0, where).toBe(e.phoneRang.ghost);
  expect(facts.ipFragments > 0, where).toBe(e.ipFragments === true);
  expect(facts.tcpReassembledSip > 0, where).toBe(e.tcpSegmentedSip === true);
}

const haveTshark = requireTools(['tshark'], false);

describe.skipIf(!haveTshark)('the committed capture fixtures match their manifest', () => {
  const manifest = JSON.parse(readFileSync(join(CAPTURES_DIR, 'manifest.json'), 'utf8')) as CaptureManifest;
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'gg-tshark-home-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('lists every recording of the plan', () => {
    expect(manifest.captures.map((c) => c.file)).toEqual(PLAN.map((c) => c.file));
    expect(manifest.captures.every((c) => c.providerAddresses.join() === PROVIDER_ADDRESSES.join())).toBe(true);
  });

  for (const plan of manifest.captures) {
    it(`${plan.file}: small, and tshark finds what the manifest says`, async () => {
      const file = join(CAPTURES_DIR, plan.file);
      expect(statSync(file).size).toBeLessThan(MAX_FIXTURE_BYTES);
      const magic = readFileSync(file).subarray(0, 4).toString('hex');
      expect(magic).toBe(plan.format === 'pcapng' ? '0a0d0d0a' : 'd4c3b2a1');
      expectFacts(await captureFacts(file, home, { phone: plan.phoneAddress, providers: plan.providerAddresses }), plan);
    });
  }
});
