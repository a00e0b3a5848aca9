/**
 * Helpers for the proxy's tests (no test runner in here): a whole world on one in-memory
 * `LoopNetwork` — the guard, a simulated provider (registrar with digest authentication that answers
 * with Via received/rport, and a UA that places calls to the registered Contact), simulated phones,
 * and scanners — with a ManualClock for the timers.
 */
import { createSocket as createUdpSocket, type Socket as UdpSocket } from 'node:dgram';
import { parseConfig } from '../config/parse-config.js';
import type { Config } from '../config/config.js';
import { answerDigestChallenge, digestResponse, parseDigest } from '../sip/digest.js';
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parse.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import type { Endpoint } from '../transport/flow.js';
import type { Logger } from '../transport/logger.js';
import { LoopNetwork, type LoopTransport } from '../transport/loop-transport.js';
import { ManualClock } from '../util/clock.js';
import { FakeDnsResolver } from './provider/test-kit.js';
import { providerAddressesFromConfig } from './provider/provider-addresses-from-config.js';
import { Guard, type GuardOptions } from './guard.js';
import type { ProviderAddressBook } from './provider-book.js';
import { loopTransports } from './transport-factory.js';
import { nameAddrParts } from './name-addr-parts.js';

export const PROVIDER_IP = '203.0.113.10';
export const GUARD_WAN_IP = '192.0.2.30';
export const GUARD_LAN_IP = '10.77.0.1';
export const PHONE_IP = '10.77.0.20';
export const PHONE2_IP = '10.77.0.21';
export const SCANNER_IP = '198.51.100.66';
export const DOMAIN = 'voip.example.test';
export const PROVIDER: Endpoint = { address: PROVIDER_IP, port: 5060 };
export const GUARD_LAN: Endpoint = { address: GUARD_LAN_IP, port: 5060 };
export const START = 1_700_000_000_000;

export function guardConfig(extra = ''): Config {
  const text = `provider:
  domain: ${DOMAIN}
  registrar: ${PROVIDER_IP}:5060
wan:
  listen: ${GUARD_WAN_IP}:0
  transports: [udp]
lan:
  listen: ${GUARD_LAN_IP}:5060
  allow: [10.77.0.0/24]
  transports: [udp]
store: ":memory:"
${extra}`;
  const result = parseConfig(text, 'test.yaml', { baseDir: '/tmp', fileExists: () => false });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

/** A Logger that keeps every line. */
export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  debug(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', msg, ...(fields ? { fields } : {}) });
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', msg, ...(fields ? { fields } : {}) });
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', msg, ...(fields ? { fields } : {}) });
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', msg, ...(fields ? { fields } : {}) });
  }
  has(part: string): boolean {
    return this.lines.some((l) => l.msg.includes(part));
  }
}

/** Lets every queued delivery of the loop network happen (each is a setImmediate turn). */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((done) => setImmediate(done));
}

export function sip(text: string): SipMessage {
  const message = parseMessage(text.replace(/\r?\n/g, '\r\n'));
  if (isSipError(message)) throw new Error(`bad test message: ${message.message}`);
  return message;
}

export interface Arrived {
  readonly msg: SipMessage;
  readonly from: Endpoint;
  readonly text: string;
}

/** A SIP endpoint on the loop network with an inbox. */
export class Peer {
  readonly inbox: Arrived[] = [];
  /** Keep-alives (CRLF, CRLFCRLF) received. */
  keepAlives = 0;
  readonly #transport: LoopTransport;
  readonly address: Endpoint;

  constructor(net: LoopNetwork, address: string, port: number, onMessage?: (arrived: Arrived) => boolean) {
    this.address = { address, port };
    this.#transport = net.endpoint({
      listen: this.address,
      onMessage: ({ data, flow }) => {
        const msg = parseMessage(data);
        if (isSipError(msg)) return;
        const arrived = { msg, from: flow.remote, text: data.toString('latin1') };
        if (onMessage?.(arrived) !== true) this.inbox.push(arrived);
      },
      onKeepAlive: () => {
        this.keepAlives++;
      },
    });
  }

  async start(): Promise<this> {
    await this.#transport.listen();
    return this;
  }

  send(to: Endpoint, message: string | SipMessage): void {
    const bytes = typeof message === 'string' ? Buffer.from(message.replace(/\r?\n/g, '\r\n'), 'latin1') : message.serialize();
    void this.#transport.send({ transport: 'udp', ...to }, bytes);
  }

  /** The first message matching `pred` (removed from the inbox), waiting for deliveries; throws if none comes. */
  async expect(pred: (m: SipMessage) => boolean, what: string): Promise<Arrived> {
    for (let round = 0; round < 60; round++) {
      const at = this.inbox.findIndex((a) => pred(a.msg));
      if (at >= 0) return this.inbox.splice(at, 1)[0]!;
      await new Promise<void>((done) => setImmediate(done));
    }
    throw new Error(`${this.address.address}: expected ${what}; inbox: ${this.inbox.map((a) => firstLine(a.text)).join(' | ') || '(empty)'}`);
  }

  /** Messages matching `pred` now in the inbox (after letting deliveries happen). */
  async count(pred: (m: SipMessage) => boolean): Promise<number> {
    await settle();
    return this.inbox.filter((a) => pred(a.msg)).length;
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }
}

export function firstLine(text: string): string {
  return text.slice(0, text.indexOf('\r\n'));
}

export const isRequest = (method: string) => (m: SipMessage) => m.isRequest && m.method === method;
export const isResponse = (status: number, method?: string) => (m: SipMessage) =>
  !m.isRequest && m.status === status && (method === undefined || m.method === method);

/** A response to `req` as a UA makes it: every Via, From, To (+ tag), Call-ID, CSeq, then `extra` lines. */
export function reply(req: SipMessage, status: number, reason: string, extra: string[] = [], toTag?: string, body = ''): string {
  const to = req.get('To')!;
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...req.getAll('Via').map((v) => `Via: ${v}`),
    ...req.getAll('Record-Route').map((r) => `Record-Route: ${r}`),
    `From: ${req.get('From')}`,
    `To: ${toTag !== undefined && !to.includes('tag=') ? `${to};tag=${toTag}` : to}`,
    `Call-ID: ${req.get('Call-ID')}`,
    `CSeq: ${req.get('CSeq')}`,
    ...extra,
    `Content-Length: ${body.length}`,
    '',
    body,
  ];
  return lines.join('\r\n');
}

export const SDP = 'v=0\r\no=- 1 1 IN IP4 10.77.0.20\r\ns=-\r\nc=IN IP4 10.77.0.20\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

/**
 * The provider's registrar: digest authentication (RFC 3261 §22.4 — it checks the response against
 * the Request-URI the phone signed), then 200 with every binding of the AOR and Via received/rport
 * (RFC 3581) added to the top Via, as a real registrar behind which the guard's source is seen.
 */
export class FakeRegistrar {
  /** AOR → contact URI → expires. */
  readonly bindings = new Map<string, Map<string, number>>();
  readonly seen: SipMessage[] = [];
  /** What the top Via gets as received / rport (default: the real source). */
  publicAs: Endpoint | undefined;
  password = 'secret';
  /** False: accept without a challenge. */
  requireAuth = true;

  handle(peer: Peer, arrived: Arrived): void {
    const req = arrived.msg;
    this.seen.push(req);
    const aor = (req.get('To') ?? '').replace(/^.*<|>.*$/g, '');
    const auth = req.get('Authorization');
    const via = this.#viaWithReceived(req, arrived.from);
    if (this.requireAuth && (auth === undefined || !this.#valid(req, auth))) {
      peer.send(arrived.from, withTopVia(reply(req, 401, 'Unauthorized', [`WWW-Authenticate: Digest realm="${DOMAIN}", nonce="n0nce", qop="auth"`], 'reg1'), via));
      return;
    }
    const contacts = req.contacts();
    const expiresHeader = req.expires();
    const own = this.bindings.get(aor) ?? new Map<string, number>();
    if (contacts === '*') own.clear();
    else if (!isSipError(contacts)) {
      for (const c of contacts) {
        const uri = nameAddrParts(c.raw).uri;
        const e = Number(c.params.get('expires') ?? (isSipError(expiresHeader) || expiresHeader === null ? 3600 : expiresHeader));
        if (e === 0) own.delete(uri);
        else own.set(uri, Math.min(e, 1800));
      }
    }
    this.bindings.set(aor, own);
    const lines = [...own].map(([uri, e]) => `Contact: <${uri}>;expires=${e}`);
    peer.send(arrived.from, withTopVia(reply(req, 200, 'OK', lines, 'reg1'), via));
  }

  #valid(req: SipMessage, auth: string): boolean {
    const d = parseDigest(auth);
    if (isSipError(d)) return false;
    const p = (n: string) => d.params.get(n) ?? '';
    const expected = digestResponse({ username: p('username'), realm: p('realm'), password: this.password, method: req.method, uri: p('uri'), nonce: p('nonce'), qop: 'auth', nc: p('nc'), cnonce: p('cnonce') });
    return expected === p('response') && p('uri') === req.requestUri;
  }

  #viaWithReceived(req: SipMessage, from: Endpoint): string {
    const top = req.getAll('Via')[0] ?? '';
    const seenAs = this.publicAs ?? from;
    return `${top.replace(/;rport(=\d+)?/, '')};received=${seenAs.address};rport=${seenAs.port}`;
  }
}

function withTopVia(response: string, via: string): string {
  const lines = response.split('\r\n');
  const at = lines.findIndex((l) => l.startsWith('Via: '));
  lines[at] = `Via: ${via}`;
  return lines.join('\r\n');
}

/** A phone that registers through the guard (its outbound proxy) with digest authentication. */
export class FakePhone {
  cseq = 1;
  readonly callId: string;

  constructor(
    readonly peer: Peer,
    readonly user: string,
    readonly password = 'secret',
  ) {
    this.callId = `reg-${user}-${peer.address.port}`;
  }

  get contact(): string {
    return `sip:${this.user}@${this.peer.address.address}:${this.peer.address.port}`;
  }

  get aor(): string {
    return `sip:${this.user}@${DOMAIN}`;
  }

  register(expires = 3600, authorization?: string, contact = `<${this.contact}>;+sip.instance="<urn:uuid:0000-${this.user}>";reg-id=1`): void {
    const { address, port } = this.peer.address;
    this.peer.send(GUARD_LAN, [
      `REGISTER sip:${DOMAIN} SIP/2.0`,
      `Via: SIP/2.0/UDP ${address}:${port};branch=z9hG4bKreg${this.cseq}${this.user};rport`,
      'Max-Forwards: 70',
      `From: <${this.aor}>;tag=ph${this.user}`,
      `To: <${this.aor}>`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${this.cseq++} REGISTER`,
      `Contact: ${contact}`,
      `Expires: ${expires}`,
      ...(authorization ? [`Authorization: ${authorization}`] : []),
      'User-Agent: TestPhone/1.0',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'));
  }

  /** Registers, answering the 401 challenge; returns the final response the phone got. */
  async registerFully(expires = 3600): Promise<SipMessage> {
    this.register(expires);
    const challenge = await this.peer.expect(isResponse(401, 'REGISTER'), '401 to REGISTER');
    const d = parseDigest(challenge.msg.get('WWW-Authenticate') ?? '');
    if (isSipError(d)) throw new Error('bad challenge');
    const auth = answerDigestChallenge(d, { username: this.user, password: this.password, method: 'REGISTER', uri: `sip:${DOMAIN}` });
    if (isSipError(auth)) throw new Error('cannot answer');
    this.register(expires, auth);
    return (await this.peer.expect((m) => !m.isRequest && m.method === 'REGISTER' && m.status >= 200, 'final response to REGISTER')).msg;
  }
}

export interface World {
  readonly net: LoopNetwork;
  readonly clock: ManualClock;
  readonly logger: RecordingLogger;
  readonly store: Store;
  readonly guard: Guard;
  readonly provider: Peer;
  readonly registrar: FakeRegistrar;
  readonly phone: FakePhone;
  /** The guard's WAN endpoint (its random port). */
  readonly wan: Endpoint;
  close(): Promise<void>;
}

export interface WorldOptions {
  readonly config?: Config;
  readonly store?: Store;
  readonly net?: LoopNetwork;
  readonly clock?: ManualClock;
  readonly guard?: Partial<GuardOptions>;
  /** Do not start a provider / phone peer (a restarted guard in the same world). */
  readonly peers?: boolean;
}

/** Starts a guard with a provider (registrar answering on 203.0.113.10:5060) and one phone (10.77.0.20:5062). */
export async function world(options: WorldOptions = {}): Promise<World> {
  const net = options.net ?? new LoopNetwork();
  const clock = options.clock ?? new ManualClock(START);
  const logger = new RecordingLogger();
  const config = options.config ?? guardConfig();
  const store = options.store ?? openStore(':memory:', { clock });
  const registrar = new FakeRegistrar();
  let providerPeer: Peer | undefined;
  const provider = new Peer(net, PROVIDER_IP, 5060, (arrived) => {
    if (arrived.msg.isRequest && arrived.msg.method === 'REGISTER' && providerPeer) {
      registrar.handle(providerPeer, arrived);
      return true;
    }
    return false;
  });
  providerPeer = provider;
  const phone = new FakePhone(new Peer(net, PHONE_IP, 5062), 'alice');
  if (options.peers !== false) {
    await provider.start();
    await phone.peer.start();
  }
  const providers = providerAddressesFromConfig(config, { resolver: new FakeDnsResolver(), clock });
  const guard = new Guard(config, { clock, logger, store, transports: loopTransports(net), providers, randomPort: () => 41234, ...options.guard });
  await guard.start();
  const wan = { address: GUARD_WAN_IP, port: guard.status().wanPort };
  return {
    net,
    clock,
    logger,
    store,
    guard,
    provider,
    registrar,
    phone,
    wan,
    async close() {
      await guard.stop();
      await provider.close();
      await phone.peer.close();
    },
  };
}

/** The alias Contact URI the registrar holds for an AOR (the only one). */
export function registeredAlias(registrar: FakeRegistrar, aor = `sip:alice@${DOMAIN}`): string {
  const contacts = [...(registrar.bindings.get(aor)?.keys() ?? [])];
  if (contacts.length !== 1) throw new Error(`expected one contact for ${aor}, got ${contacts.length}`);
  return contacts[0]!;
}

/** An INVITE from the provider to `target` (a Request-URI), sent to the guard's WAN endpoint. */
export function providerInvite(target: string, fields: { callId?: string; branch?: string; fromTag?: string; cseq?: number } = {}): string {
  return [
    `INVITE ${target} SIP/2.0`,
    `Via: SIP/2.0/UDP ${PROVIDER_IP}:5060;branch=${fields.branch ?? 'z9hG4bKprov1'};rport`,
    `Record-Route: <sip:${PROVIDER_IP};lr>`,
    'Max-Forwards: 69',
    `From: "Caller" <sip:0901234567@${DOMAIN}>;tag=${fields.fromTag ?? 'prov-tag'}`,
    `To: <sip:0312345678@${DOMAIN}>`,
    `Call-ID: ${fields.callId ?? 'call-1@provider'}`,
    `CSeq: ${fields.cseq ?? 1} INVITE`,
    `Contact: <sip:0901234567@${PROVIDER_IP}:5060>`,
    'Content-Type: application/sdp',
    `Content-Length: ${SDP.length}`,
    '',
    SDP,
  ].join('\r\n');
}

/**
 * The provider on loopback sockets: a registrar on 127.0.0.1 answering every REGISTER 200 with its
 * Contact (the guard's alias) and Via received/rport, and a provider address book naming it.
 */
export interface LoopbackRegistrar {
  readonly socket: UdpSocket;
  readonly providers: ProviderAddressBook;
  /** The alias Contact of the last REGISTER ('' before one). */
  alias(): string;
  /** The guard's WAN port the last REGISTER came from (0 before one). */
  guardWanPort(): number;
  close(): Promise<void>;
}

export async function loopbackRegistrar(): Promise<LoopbackRegistrar> {
  const socket = createUdpSocket('udp4');
  await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
  const port = socket.address().port;
  let alias = '';
  let guardWanPort = 0;
  socket.on('message', (data, from) => {
    const msg = parseMessage(data);
    if (isSipError(msg) || !msg.isRequest || msg.method !== 'REGISTER') return;
    alias = (msg.get('Contact') ?? '').replace(/^<|>.*$/g, '');
    guardWanPort = from.port;
    const ok = reply(msg, 200, 'OK', [`Contact: <${alias}>;expires=600`], 'r1').replace(/;rport/, `;received=127.0.0.1;rport=${from.port}`);
    socket.send(Buffer.from(ok, 'latin1'), from.port, from.address);
  });
  const providers: ProviderAddressBook = {
    has: (a) => a === '127.0.0.1',
    learn: () => true,
    targets: () => [{ transport: 'udp', address: '127.0.0.1', port }],
    describe: () => ['127.0.0.1'],
    trustedEntries: () => ['127.0.0.1'],
  };
  return {
    socket,
    providers,
    alias: () => alias,
    guardWanPort: () => guardWanPort,
    close: () => new Promise<void>((done) => socket.close(() => done())),
  };
}
