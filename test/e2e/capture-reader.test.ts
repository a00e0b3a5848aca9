/**
 * The capture reader on real bytes: tcpdump records known SIP messages sent over UDP and TCP between
 * two lab hosts (the sender's IPv4 route has a 576-byte MTU and its veth 1280 bytes, so the large UDP
 * messages leave as real IPv4 and IPv6 fragments), in Ethernet, Linux cooked v1 and v2 (`-i any`), with µs and ns timestamps, with a
 * short snaplen, and converted to pcapng by editcap and by tshark. `readCaptures` must return every
 * message intact, exactly once, and agree with tshark's Call-IDs.
 *
 * GHOSTGUARD_RECORD_FIXTURES=1 also copies the Ethernet pcapng and the SLL2 ns pcap, with the list
 * of messages sent, into test/fixtures/captures/reader/ (read by capture-fixtures.test.ts).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/analyze/capture/read-capture.js';
import type { CaptureProblem } from '../../src/analyze/capture/captured-message.js';
import { runChild } from './lib/child.js';
import { Lab } from './lib/netns.js';
import { requireTools, toolPath, which } from './lib/tools.js';

const ready = requireTools(['ip', 'tcpdump', 'tshark']);

const SENDER_IP = '192.0.2.21';
const RECEIVER_IP = '192.0.2.22';
const SENDER_IP6 = '2001:db8:21::21';
const RECEIVER_IP6 = '2001:db8:21::22';
const SIP_PORT = 5060;
const SENDER_UDP_PORT = 5070;
const FIXTURES = fileURLToPath(new URL('../fixtures/captures/reader/', import.meta.url));

function request(method: string, tag: string, body = ''): string {
  return (
    `${method} sip:100@${RECEIVER_IP} SIP/2.0\r\nVia: SIP/2.0/UDP ${SENDER_IP}:${SENDER_UDP_PORT};branch=z9hG4bK-${tag}\r\n` +
    `From: "sipvicious"<sip:100@1.1.1.1>;tag=${tag}\r\nTo: "sipvicious"<sip:100@1.1.1.1>\r\nCall-ID: ${tag}@e2e.test\r\n` +
    `CSeq: 1 ${method}\r\nUser-Agent: friendly-scanner\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

const SDP = 'v=0\r\no=- 1 1 IN IP4 192.0.2.21\r\ns=-\r\nc=IN IP4 192.0.2.21\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
const UDP_MESSAGES = [
  request('OPTIONS', 'udp-options'),
  request('INVITE', 'udp-invite', SDP),
  `SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP ${SENDER_IP}:${SENDER_UDP_PORT};branch=z9hG4bK-r\r\nCall-ID: udp-response@e2e.test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
  request('INVITE', 'udp-fragmented', `${SDP}${'a=x-fill:0123456789abcdef0123456789abcdef\r\n'.repeat(60)}`),
];
/** Over IPv6 (the sender's MTU of 1280 fragments the second one, with a fragment header). */
const UDP6_MESSAGES = [
  request('OPTIONS', 'udp6-options'),
  request('INVITE', 'udp6-fragmented', `${SDP}${'a=x-fill:0123456789abcdef0123456789abcdef\r\n'.repeat(60)}`),
];
const TCP_MESSAGES = [request('REGISTER', 'tcp-split'), request('INVITE', 'tcp-pair-1', SDP), request('BYE', 'tcp-pair-2'), request('OPTIONS', 'tcp-last')];
/** TCP writes (one segment each, Nagle off, 40 ms apart): the first message in three, two in one. */
const TCP_WRITES = [
  TCP_MESSAGES[0]!.slice(0, 30),
  TCP_MESSAGES[0]!.slice(30, 150),
  TCP_MESSAGES[0]!.slice(150),
  TCP_MESSAGES[1]! + TCP_MESSAGES[2]!,
  TCP_MESSAGES[3]!,
];

const RECEIVER = `
const dgram = require('node:dgram'); const net = require('node:net');
const u = dgram.createSocket('udp4'); u.on('message', () => {});
const u6 = dgram.createSocket('udp6'); u6.on('message', () => {});
const t = net.createServer((c) => { c.on('data', () => {}); c.on('error', () => {}); });
u.bind(${SIP_PORT}, '${RECEIVER_IP}', () => u6.bind(${SIP_PORT}, '${RECEIVER_IP6}', () => t.listen(${SIP_PORT}, '${RECEIVER_IP}', () => console.log('ready'))));
`;
const SENDER = `
const dgram = require('node:dgram'); const net = require('node:net');
const o = JSON.parse(process.argv[1]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  const u = dgram.createSocket('udp4');
  await new Promise((r) => u.bind(${SENDER_UDP_PORT}, '${SENDER_IP}', r));
  for (const m of o.udp) { await new Promise((r) => u.send(Buffer.from(m), ${SIP_PORT}, '${RECEIVER_IP}', r)); await sleep(20); }
  u.close();
  const u6 = dgram.createSocket('udp6');
  await new Promise((r) => u6.bind(${SENDER_UDP_PORT}, '${SENDER_IP6}', r));
  for (const m of o.udp6) { await new Promise((r) => u6.send(Buffer.from(m), ${SIP_PORT}, '${RECEIVER_IP6}', r)); await sleep(20); }
  u6.close();
  const c = net.connect({ host: '${RECEIVER_IP}', port: ${SIP_PORT}, localAddress: '${SENDER_IP}' });
  c.setNoDelay(true);
  await new Promise((r) => c.on('connect', r));
  for (const w of o.tcp) { c.write(w); await sleep(40); }
  c.end(); await sleep(200); console.log('sent');
})().catch((e) => { console.error(e); process.exit(2); });
`;

interface Read {
  readonly messages: { text: string; transport: string; src: string; dst: string; frame: number; time: number }[];
  readonly problems: CaptureProblem[];
  readonly stats: ReturnType<typeof readCaptures>['stats'];
}

async function read(path: string): Promise<Read> {
  const problems: CaptureProblem[] = [];
  const reading = readCaptures([path], { onProblem: (p) => problems.push(p) });
  const messages: Read['messages'] = [];
  for await (const m of reading) {
    messages.push({
      text: Buffer.from(m.bytes).toString('utf8'),
      transport: m.transport,
      src: `${m.src.address}:${m.src.port}`,
      dst: `${m.dst.address}:${m.dst.port}`,
      frame: m.frame,
      time: m.time,
    });
  }
  return { messages, problems, stats: reading.stats };
}

const EXPECTED = [...UDP_MESSAGES, ...UDP6_MESSAGES, ...TCP_MESSAGES].sort();
const callIdOf = (text: string): string => /Call-ID: ([^\r\n]+)/.exec(text)?.[1] ?? '?';

describe.skipIf(!ready)('capture reader on captures recorded by tcpdump', () => {
  let lab: Lab | undefined;
  const files: Record<string, string> = {};
  let sentAt = 0;

  beforeAll(async () => {
    lab = await Lab.create();
    const sender = await lab.addHost('sender');
    const receiver = await lab.addHost('receiver');
    await lab.connect(sender, 'cap', `${SENDER_IP}/24`);
    await lab.connect(receiver, 'cap', `${RECEIVER_IP}/24`);
    // The sender's link MTU is 1280 (IPv6's minimum: a smaller one removes IPv6 from the link) and its
    // IPv4 route's MTU 576.
    await lab.ip(['-n', sender.ns, 'link', 'set', 'eth0', 'mtu', '1280']);
    // The lab turns IPv6 off; this test turns it back on for its two hosts, for real IPv6 fragments.
    for (const [host, address] of [
      [sender, SENDER_IP6],
      [receiver, RECEIVER_IP6],
    ] as const) {
      const on = await host.exec('ipv6-on', 'sysctl', ['-q', '-w', 'net.ipv6.conf.all.disable_ipv6=0', 'net.ipv6.conf.eth0.disable_ipv6=0'], 10_000);
      expect(on.code, on.output).toBe(0);
      await lab.ip(['-n', host.ns, 'addr', 'add', `${address}/64`, 'dev', 'eth0', 'nodad']);
    }
    await lab.ip(['-n', sender.ns, 'route', 'replace', '192.0.2.0/24', 'dev', 'eth0', 'src', SENDER_IP, 'mtu', '576']);
    const server = receiver.spawn('sip-sink', process.execPath, ['-e', RECEIVER]);
    await server.waitForOutput(/ready/, 10_000);

    const dir = lab.path('captures', true);
    const tcpdump = toolPath('tcpdump');
    const dumps = [];
    for (const [name, args] of [
      ['ethernet', ['-i', 'eth0']],
      ['sll', ['-i', 'any', '-y', 'LINUX_SLL']],
      ['sll2-ns', ['-i', 'any', '-y', 'LINUX_SLL2', '--time-stamp-precision', 'nano']],
      ['snaplen', ['-i', 'eth0', '-s', '200']],
    ] as const) {
      files[name] = join(dir, `${name}.pcap`);
      const child = receiver.spawn(`tcpdump-${name}`, tcpdump, ['-n', '--immediate-mode', '-U', '-Z', 'root', ...args, '-w', files[name]!, 'udp or tcp']);
      await child.waitForOutput(/listening on/, 10_000);
      dumps.push(child);
    }

    sentAt = Date.now();
    const r = await sender.exec('sip-send', process.execPath, ['-e', SENDER, JSON.stringify({ udp: UDP_MESSAGES, udp6: UDP6_MESSAGES, tcp: TCP_WRITES })], 20_000);
    expect(r.output).toContain('sent');
    await new Promise((res) => setTimeout(res, 300));
    for (const d of dumps) await d.stop(); // SIGTERM by PID: tcpdump flushes its file

    const home = lab.path('tshark-home', true);
    const env = { ...process.env, HOME: home };
    files['ethernet-editcap.pcapng'] = join(dir, 'ethernet-editcap.pcapng');
    const editcap = which('editcap');
    expect(editcap, 'editcap (Debian package wireshark-common, a dependency of tshark)').toBeDefined();
    const e = await runChild('editcap', editcap!, ['-F', 'pcapng', files['ethernet']!, files['ethernet-editcap.pcapng']!], 20_000, { env });
    expect(e.code, e.output).toBe(0);
    files['sll2-tshark.pcapng'] = join(dir, 'sll2-tshark.pcapng');
    const t = await runChild('tshark', toolPath('tshark'), ['-r', files['sll2-ns']!, '-F', 'pcapng', '-w', files['sll2-tshark.pcapng']!], 20_000, { env });
    expect(t.code, t.output).toBe(0);
  });

  afterAll(async () => {
    await lab?.destroy();
  });

  it('tcpdump chose the link types and timestamp precision asked for', async () => {
    const { readFileSync } = await import('node:fs');
    const header = (name: string): [number, number] => {
      const b = readFileSync(files[name]!);
      return [b.readUInt32LE(0), b.readUInt32LE(20)];
    };
    expect(header('ethernet')).toEqual([0xa1b2c3d4, 1]);
    expect(header('sll')).toEqual([0xa1b2c3d4, 113]);
    expect(header('sll2-ns')).toEqual([0xa1b23c4d, 276]);
  });

  for (const name of ['ethernet', 'sll', 'sll2-ns', 'ethernet-editcap.pcapng', 'sll2-tshark.pcapng']) {
    it(`${name}: every message sent over UDP and TCP comes back intact, exactly once`, async () => {
      const r = await read(files[name]!);
      expect(r.problems).toEqual([]);
      expect(r.messages.map((m) => m.text).sort()).toEqual(EXPECTED);
      for (const m of r.messages) {
        const udp6 = UDP6_MESSAGES.includes(m.text);
        const udp = udp6 || UDP_MESSAGES.includes(m.text);
        expect(m.transport).toBe(udp ? 'udp' : 'tcp');
        if (udp) expect(m.src).toBe(`${udp6 ? SENDER_IP6 : SENDER_IP}:${SENDER_UDP_PORT}`);
        else expect(m.src.startsWith(`${SENDER_IP}:`)).toBe(true);
        expect(m.dst).toBe(`${udp6 ? RECEIVER_IP6 : RECEIVER_IP}:${SIP_PORT}`);
        expect(m.time).toBeGreaterThan(sentAt - 1000);
        expect(m.time).toBeLessThan(sentAt + 30_000);
      }
      expect(r.stats.fragmentsReassembled).toBe(2); // the large INVITEs: IPv4 over 576 bytes, IPv6 over 1280
      expect(r.stats.fragmentsDropped).toBe(0);
      expect(r.stats.tcpStreams).toBeGreaterThanOrEqual(2);
      expect(r.stats.tcpGaps).toBe(0);
    });
  }

  it('tshark finds the same SIP messages (Call-IDs) in the same files', async () => {
    for (const name of ['ethernet', 'sll2-tshark.pcapng']) {
      const home = lab!.path('tshark-home', true);
      const t = await runChild('tshark', toolPath('tshark'), ['-n', '-r', files[name]!, '-Y', 'sip', '-T', 'fields', '-e', 'sip.Call-ID'], 20_000, {
        env: { ...process.env, HOME: home },
      });
      expect(t.code).toBe(0);
      const theirs = t.output
        .split('\n')
        .filter((l) => l.includes('@e2e.test'))
        .flatMap((l) => l.trim().split(','))
        .sort();
      const ours = (await read(files[name]!)).messages.map((m) => callIdOf(m.text)).sort();
      expect(ours).toEqual(theirs);
      expect(ours).toHaveLength(EXPECTED.length);
    }
  });

  it('a 200-byte snaplen: cut frames are counted and reported, never handed out cut', async () => {
    const r = await read(files['snaplen']!);
    expect(r.stats.truncatedFrames).toBeGreaterThan(0);
    expect(r.problems.map((p) => p.code)).toContain('CAPTURE_FRAME_TRUNCATED');
    for (const m of r.messages) expect(EXPECTED).toContain(m.text);
    // The 200 OK (short enough to fit) is there whole.
    expect(r.messages.map((m) => m.text)).toContain(UDP_MESSAGES[2]);
  });

  it('GHOSTGUARD_RECORD_FIXTURES=1 keeps two of these files as unit-test fixtures', () => {
    if (process.env['GHOSTGUARD_RECORD_FIXTURES'] !== '1') return;
    copyFileSync(files['ethernet-editcap.pcapng']!, join(FIXTURES, 'udp-tcp-fragments-ethernet.pcapng'));
    copyFileSync(files['sll2-ns']!, join(FIXTURES, 'udp-tcp-fragments-sll2-ns.pcap'));
    writeFileSync(join(FIXTURES, 'messages.json'), `${JSON.stringify({ sender: SENDER_IP, receiver: RECEIVER_IP, udp: UDP_MESSAGES, udp6: UDP6_MESSAGES, tcp: TCP_MESSAGES, tcpWrites: TCP_WRITES }, null, 2)}\n`);
  });
});
