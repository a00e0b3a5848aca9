/**
 * `ghostguard probe` against real peers (issue 5): run from the scanner's address, it finds the
 * exposed baresip RANG (and leaves it ringing no longer: its CANCEL ends the call), and the guard's
 * WAN port, with a registered phone behind it, SILENT.
 *
 *   wan bridge:  provider 203.0.113.10 (Kamailio)
 *                exposed phone 192.0.2.20:5060 (baresip, alice, registered straight to Kamailio)
 *                guard 192.0.2.30:<WAN port> (ghostguard)      scanner 198.51.100.66 (runs the probe)
 *   lan bridge:  guard 10.77.0.1:5060, phone 10.77.0.20:5060 (baresip, carol, registered through the guard)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeReport } from '../../src/probe/probe-report.js';
import { ADDR, SIP_DOMAIN } from './lib/addresses.js';
import { Baresip } from './lib/baresip.js';
import { Capture } from './lib/capture.js';
import { GhostGuard, REPO_ROOT } from './lib/ghostguard.js';
import { Kamailio } from './lib/kamailio.js';
import { Lab, type Host } from './lib/netns.js';
import { requireTools } from './lib/tools.js';
import { joinLan, joinWan } from './lib/topology.js';

const ready = requireTools(['ip', 'ss', 'kamailio', 'baresip', 'cc', 'libre-dev', 'tcpdump', 'tshark']);

const USERS = { alice: 'correct-horse-7', carol: 'battery-staple-9' } as const;
const REGISTERED_CAROL = new RegExp(`carol@${SIP_DOMAIN.replace(/\./g, '\\.')}: \\{0/UDP/v4\\} 200 OK`);

interface ProbeRun {
  readonly code: number | null;
  readonly report: ProbeReport & { verdict: string };
  readonly output: string;
}

describe.skipIf(!ready)('ghostguard probe: an exposed phone rings, a guarded one is silent', () => {
  let lab: Lab;
  let scanner: Host;
  let exposedHost: Host;
  let guardHost: Host;
  let exposed: Baresip;
  let guarded: Baresip;
  let guard: GhostGuard;

  beforeAll(async () => {
    lab = await Lab.create();
    const provider = await lab.addHost('provider');
    exposedHost = await lab.addHost('phone');
    guardHost = await lab.addHost('guard');
    const lanPhoneHost = await lab.addHost('lanphone');
    scanner = await lab.addHost('scanner');
    await joinWan(lab, provider, ADDR.provider);
    await joinWan(lab, exposedHost, ADDR.exposedPhone);
    await joinWan(lab, guardHost, ADDR.guardWan);
    await joinLan(lab, guardHost, ADDR.guardLan);
    await joinLan(lab, lanPhoneHost, ADDR.lanPhone);
    await joinWan(lab, scanner, ADDR.scanner);
    const kamailio = await Kamailio.start(provider, lab.path('provider', true), { domain: SIP_DOMAIN, address: ADDR.provider, users: USERS });
    guard = new GhostGuard(guardHost, lab.path('guard', true), {
      domain: SIP_DOMAIN,
      registrar: `${ADDR.provider}:5060`,
      wanAddress: ADDR.guardWan,
      lanListen: `${ADDR.guardLan}:5060`,
      lanAllow: ['10.77.0.0/24'],
    });
    await guard.start();
    exposed = await Baresip.start(exposedHost, lab.path('phone', true), {
      address: ADDR.exposedPhone,
      accounts: [{ aor: `sip:alice@${SIP_DOMAIN}`, password: USERS.alice, outbound: `sip:${ADDR.provider}:5060`, regint: 3600 }],
    });
    guarded = await Baresip.start(lanPhoneHost, lab.path('lanphone', true), {
      address: ADDR.lanPhone,
      accounts: [{ aor: `sip:carol@${SIP_DOMAIN}`, password: USERS.carol, outbound: `sip:${ADDR.guardLan}:5060`, regint: 3600 }],
    });
    await kamailio.waitForRegistration('alice');
    await kamailio.waitForRegistration('carol');
    await guarded.child.waitForOutput(REGISTERED_CAROL, 10_000);
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  /** Runs `ghostguard probe ARGS --json` from the scanner's namespace (the CLI, from the sources). */
  async function runProbe(name: string, args: readonly string[]): Promise<ProbeRun> {
    const r = await scanner.exec(`probe-${name}`, process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'probe', ...args, '--json', '--from', ADDR.scanner], 30_000, {
      cwd: REPO_ROOT,
    });
    expect(r.timedOut, r.output).toBe(false);
    const json = r.output.split('\n').find((l) => l.startsWith('{"host"'));
    expect(json, r.output).toBeDefined();
    return { code: r.code, report: JSON.parse(json!) as ProbeRun['report'], output: r.output };
  }

  it('the exposed phone: RANG over UDP; the phone rang for the probe and the probe ended the call itself (CANCEL, ACK of the 487)', async () => {
    const before = exposed.rings.length;
    const capture = await Capture.start(lab, exposedHost, 'eth0', 'probe-exposed-udp');
    const run = await runProbe('exposed-udp', [`${ADDR.exposedPhone}:5059-5061`, '--expect', 'silent', '--timeout', '1500']);
    expect(run.code, run.output).toBe(1); // --expect silent: something rang
    // Nothing listens on 5059 and 5061 (ICMP port unreachable): silent, in port order around the phone.
    expect(run.report.results.map((r) => `${r.port} ${r.verdict}`)).toEqual(['5059 SILENT', '5060 RANG', '5061 SILENT']);
    const port = run.report.results[1];
    expect(port).toMatchObject({ port: 5060, transport: 'udp', verdict: 'RANG', invite: { provisional: 180, status: 487 } });
    expect(port?.invite.agent ?? '').toMatch(/baresip/i);
    expect(port?.cleanup).toEqual([
      { method: 'CANCEL', answered: true },
      { method: 'ACK', answered: null },
    ]);
    expect(run.report.verdict).toContain('RANG on port 5060');
    // The phone itself: it rang with the probe's caller ID, and the call closed without anyone hanging up.
    const ring = await exposed.waitForRing(5000, (e) => exposed.rings.indexOf(e) >= before && e.peerdisplayname === 'ghostguard-probe');
    await exposed.waitForClosed(ring.id, 5000);
    const wire = await capture.stop(300);
    const fromProbe = wire.filter((m) => m.src === ADDR.scanner && m.method !== undefined).map((m) => m.method);
    expect(fromProbe).toEqual(expect.arrayContaining(['INVITE', 'OPTIONS', 'CANCEL', 'ACK']));
    expect(wire.find((m) => m.method === 'INVITE' && m.src === ADDR.scanner)?.userAgent).toBe('ghostguard-probe');
    expect(wire.some((m) => m.src === ADDR.exposedPhone && m.status === 487)).toBe(true);
  });

  it('the exposed phone over TCP: RANG too, and the call is ended', async () => {
    const before = exposed.rings.length;
    const run = await runProbe('exposed-tcp', [`${ADDR.exposedPhone}:5060`, '--tcp', '--timeout', '1500']);
    expect(run.code, run.output).toBe(0);
    expect(run.report.results[0]).toMatchObject({ transport: 'tcp', verdict: 'RANG' });
    const ring = await exposed.waitForRing(5000, (e) => exposed.rings.indexOf(e) >= before && e.peerdisplayname === 'ghostguard-probe');
    await exposed.waitForClosed(ring.id, 5000);
  });

  it("the guard's WAN port with a registered phone behind it: SILENT over UDP and TCP, --expect silent exits 0, the phone never rang", async () => {
    const before = { rings: guarded.rings.length, drops: guard.events('remote_address = ?', ADDR.scanner).reduce((n, r) => n + r.count, 0) };
    const capture = await Capture.start(lab, guardHost, 'eth0', 'probe-guard-wan');
    const wanPort = guard.wanPort;
    const udp = await runProbe('guard-udp', [`${ADDR.guardWan}:${wanPort}`, '--expect', 'silent', '--timeout', '1500']);
    expect(udp.code, udp.output).toBe(0);
    expect(udp.report.results[0]).toMatchObject({ port: wanPort, verdict: 'SILENT', invite: { status: null }, options: { status: null } });
    expect(udp.report.verdict).toBe('nothing answered: a scanner learns nothing here.');
    const tcp = await runProbe('guard-tcp', [`${ADDR.guardWan}:${wanPort}`, '--tcp', '--expect', 'silent', '--timeout', '1500']);
    expect(tcp.code, tcp.output).toBe(0);
    expect(tcp.report.results[0]).toMatchObject({ port: wanPort, transport: 'tcp', verdict: 'SILENT' });
    const wire = await capture.stop(300);
    const arrived = wire.filter((m) => m.src === ADDR.scanner && m.dstPort === wanPort && m.method !== undefined);
    // The probe's requests did reach the guard (INVITE and OPTIONS, with UDP retransmissions) ...
    expect(arrived.filter((m) => m.method === 'INVITE').length).toBeGreaterThanOrEqual(2);
    expect(arrived.some((m) => m.method === 'OPTIONS')).toBe(true);
    // ... the guard recorded every one as a drop, never answered, and the phone behind it never rang.
    await guard.waitForEvents('the probe\'s drops', 'remote_address = ?', [ADDR.scanner], (rows) => rows.reduce((n, r) => n + r.count, 0) >= before.drops + arrived.length);
    expect(wire.filter((m) => m.src === ADDR.guardWan && m.dst === ADDR.scanner && m.status !== undefined)).toEqual([]);
    expect(guarded.rings.length).toBe(before.rings);
  });
});
