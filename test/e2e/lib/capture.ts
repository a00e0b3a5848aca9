/**
 * Packet captures inside a lab host (tcpdump), read back as SIP messages (tshark), so a test can
 * assert on what really crossed an interface: e.g. that a scanner's INVITE reached (or never
 * reached) the phone.
 */
import { join } from 'node:path';
import type { Child } from './child.js';
import { runChild } from './child.js';
import type { Host, Lab } from './netns.js';
import { toolPath } from './tools.js';

/** One SIP message seen in a capture. */
export interface CapturedSip {
  readonly time: number;
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
  /** Request method, or undefined for a response. */
  readonly method: string | undefined;
  /** Response status code, or undefined for a request. */
  readonly status: number | undefined;
  readonly requestUri: string | undefined;
  readonly callId: string | undefined;
  readonly userAgent: string | undefined;
  readonly cseqMethod: string | undefined;
  /** The UDP payload, byte for byte (undefined for TCP, where a message may span segments). */
  readonly payload: Buffer | undefined;
}

const FIELDS = [
  'frame.time_relative',
  'ip.src',
  'udp.srcport',
  'tcp.srcport',
  'ip.dst',
  'udp.dstport',
  'tcp.dstport',
  'sip.Method',
  'sip.Status-Code',
  'sip.r-uri',
  'sip.Call-ID',
  'sip.User-Agent',
  'sip.CSeq.method',
  'udp.payload',
] as const;

/** Reads the SIP messages of a pcap file with tshark (SIP decoded on any UDP/TCP port). */
export async function readSip(pcap: string, homeDir: string): Promise<CapturedSip[]> {
  const args = ['-n', '-r', pcap, '-Y', 'sip', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f'];
  // Decode SIP on any port SIPp/baresip/the guard may use, not only 5060.
  args.push('-d', 'udp.port==5060-5099,sip', '-d', 'tcp.port==5060-5099,sip');
  for (const f of FIELDS) args.push('-e', f);
  const r = await runChild('tshark', toolPath('tshark'), args, 30_000, { env: { ...process.env, HOME: homeDir } });
  if (r.code !== 0) throw new Error(`e2e: tshark failed on ${pcap}:\n${r.output}`);
  const messages: CapturedSip[] = [];
  for (const line of r.output.split('\n')) {
    const cols = line.split('\t');
    if (cols.length < FIELDS.length) continue; // tshark's own notices (e.g. "Running as user root")
    const [time, src, usp, tsp, dst, udp, tdp, method, status, ruri, callId, ua, cseqMethod, payload] = cols;
    const opt = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);
    messages.push({
      time: Number(time),
      src: src ?? '',
      srcPort: Number(opt(usp) ?? tsp),
      dst: dst ?? '',
      dstPort: Number(opt(udp) ?? tdp),
      method: opt(method),
      status: opt(status) !== undefined ? Number(status) : undefined,
      requestUri: opt(ruri),
      callId: opt(callId),
      userAgent: opt(ua),
      cseqMethod: opt(cseqMethod),
      payload: opt(payload) !== undefined ? Buffer.from((payload ?? '').replace(/:/g, ''), 'hex') : undefined,
    });
  }
  return messages;
}

/** A running tcpdump on one interface of a lab host. */
export class Capture {
  readonly pcap: string;
  private readonly child: Child;
  private readonly lab: Lab;

  private constructor(lab: Lab, child: Child, pcap: string) {
    this.lab = lab;
    this.child = child;
    this.pcap = pcap;
  }

  /**
   * Starts capturing UDP and TCP on `ifname` of `host`; resolves once tcpdump listens. Immediate
   * mode (no kernel buffering, so a stop right after the traffic loses nothing) and -Z root (the
   * lab directory is private to root, so tcpdump must not drop to its own user).
   */
  static async start(lab: Lab, host: Host, ifname: string, name = `${host.role}-${ifname}`): Promise<Capture> {
    const pcap = join(lab.path('captures', true), `${name}.pcap`);
    const child = host.spawn(`tcpdump-${name}`, toolPath('tcpdump'), ['-n', '-i', ifname, '--immediate-mode', '-U', '-Z', 'root', '-s', '0', '-w', pcap, 'udp or tcp']);
    await child.waitForOutput(/listening on/, 10_000);
    return new Capture(lab, child, pcap);
  }

  /**
   * Stops tcpdump (it flushes on SIGTERM) and returns the SIP messages it saw. `settleMs` lets
   * packets already on the wire arrive first.
   */
  async stop(settleMs = 100): Promise<CapturedSip[]> {
    await new Promise((r) => setTimeout(r, settleMs));
    await this.child.stop();
    return readSip(this.pcap, this.lab.path('tshark-home', true));
  }
}
