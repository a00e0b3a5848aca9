/**
 * Test kit: small fake SIP devices on a loopback address (UDP or TCP) for the probe's tests. Each
 * keeps every request it receives, so a test can check that the probe's clean-up (CANCEL, ACK, BYE)
 * really arrived. Kinds:
 * - `ringing-phone`: 100 + 180 Ringing to an INVITE; CANCEL → 200 + 487; OPTIONS → 200;
 * - `answering-phone`: auto-answers: 100, then 200 OK with Contact and Record-Route at once; BYE → 200;
 *   OPTIONS → 200;
 * - `ring-then-answer`: 180, and 200 OK right behind it (the race of a CANCEL with a 200, RFC 3261
 *   §9.1: the caller must then ACK and BYE); CANCEL → 481;
 * - `pbx-404`: 404 Not Found to an INVITE (retransmitted until ACKed, RFC 3261 §17.2.1), 200 to OPTIONS;
 * - `silent`: reads everything, answers nothing.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { isSipError } from '../sip/errors.js';
import { frameStream } from '../sip/framing.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parse.js';

export type DeviceKind = 'ringing-phone' | 'answering-phone' | 'ring-then-answer' | 'pbx-404' | 'silent';

export interface ReceivedRequest {
  readonly method: string;
  readonly callId: string;
  readonly branch: string;
  readonly cseq: string;
  readonly to: string;
  readonly requestUri: string;
  readonly userAgent: string;
  readonly routes: readonly string[];
}

export interface FakeDevice {
  readonly port: number;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

const AGENT: Record<DeviceKind, string> = { 'ringing-phone': 'FakePhone/1.0', 'answering-phone': 'FakePhone/1.0', 'ring-then-answer': 'FakePhone/1.0', 'pbx-404': 'Asterisk PBX 18', silent: '' };

function response(req: SipMessage, status: number, reason: string, kind: DeviceKind, extra: string[] = []): Buffer {
  const lines = [`SIP/2.0 ${status} ${reason}`];
  for (const v of req.getAll('via')) lines.push(`Via: ${v}`);
  const to = req.get('to') ?? '';
  lines.push(`From: ${req.get('from') ?? ''}`, `To: ${status > 100 && !to.includes('tag=') ? `${to};tag=dev${(req.get('call-id') ?? '').slice(0, 8)}` : to}`);
  lines.push(`Call-ID: ${req.get('call-id') ?? ''}`, `CSeq: ${req.get('cseq') ?? ''}`, `Server: ${AGENT[kind]}`, ...extra, 'Content-Length: 0', '', '');
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

function record(req: SipMessage): ReceivedRequest {
  const via = req.topVia();
  return {
    method: req.method,
    callId: req.get('call-id') ?? '',
    branch: isSipError(via) ? '' : (via.params.get('branch') ?? ''),
    cseq: req.get('cseq') ?? '',
    to: req.get('to') ?? '',
    requestUri: req.requestUri,
    userAgent: req.userAgent() ?? '',
    routes: req.getAll('route'),
  };
}

/** Decides the answers to one request; `reply` sends one response now, `later` after ms. */
function behave(kind: DeviceKind, req: SipMessage, address: string, port: number, reply: (b: Buffer) => void, later: (ms: number, b: Buffer) => void, acked: Set<string>, pendingInvites: Map<string, SipMessage>): void {
  if (kind === 'silent' || req.method === 'ACK') {
    if (req.method === 'ACK') acked.add(req.get('call-id') ?? '');
    return;
  }
  const callId = req.get('call-id') ?? '';
  switch (req.method) {
    case 'OPTIONS':
      reply(response(req, 200, 'OK', kind, ['Allow: INVITE, ACK, CANCEL, BYE, OPTIONS']));
      return;
    case 'INVITE':
      if (kind === 'pbx-404') {
        const r = response(req, 404, 'Not Found', kind);
        reply(r);
        for (const ms of [100, 300]) later(ms, r); // retransmitted until the ACK (here: twice at most)
        return;
      }
      reply(response(req, 100, 'Trying', kind));
      if (kind === 'answering-phone') {
        const ok = response(req, 200, 'OK', kind, [`Contact: <sip:fake@${address}:${port}>`, `Record-Route: <sip:rr@${address}:${port};lr>`]);
        reply(ok);
        for (const ms of [100, 300]) later(ms, ok); // retransmitted until the ACK (§13.3.1.4), twice at most
        return;
      }
      reply(response(req, 180, 'Ringing', kind, [`Contact: <sip:fake@${address}:${port}>`]));
      if (kind === 'ring-then-answer') reply(response(req, 200, 'OK', kind, [`Contact: <sip:fake@${address}:${port}>`]));
      else pendingInvites.set(callId, req);
      return;
    case 'CANCEL': {
      if (kind === 'ring-then-answer') return reply(response(req, 481, 'Call/Transaction Does Not Exist', kind));
      reply(response(req, 200, 'OK', kind));
      const invite = pendingInvites.get(callId);
      if (invite !== undefined) reply(response(invite, 487, 'Request Terminated', kind));
      return;
    }
    case 'BYE':
      reply(response(req, 200, 'OK', kind));
      return;
    default:
      reply(response(req, 501, 'Not Implemented', kind));
  }
}

/** Starts a fake device of `kind` on `address` (e.g. 127.0.0.5) over `transport`, on a free port. */
export async function startFakeDevice(kind: DeviceKind, address: string, transport: 'udp' | 'tcp'): Promise<FakeDevice> {
  const received: ReceivedRequest[] = [];
  /** INVITEs still ringing, by Call-ID (for the 487 after a CANCEL). */
  const pendingInvites = new Map<string, SipMessage>();
  const acked = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const schedule = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const handle = (data: Buffer, send: (b: Buffer) => void, port: number): void => {
    const msg = parseMessage(data, transport === 'tcp' ? { framing: 'stream' } : {});
    if (isSipError(msg) || !msg.isRequest) return;
    received.push(record(msg));
    const callId = msg.get('call-id') ?? '';
    behave(kind, msg, address, port, send, (ms, b) => schedule(ms, () => (acked.has(callId) ? undefined : send(b))), acked, pendingInvites);
  };
  if (transport === 'udp') {
    const socket: UdpSocket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve) => socket.bind(0, address, resolve));
    const port = socket.address().port;
    socket.on('message', (data: Buffer, rinfo: RemoteInfo) => handle(data, (b) => socket.send(b, rinfo.port, rinfo.address), port));
    return {
      port,
      received,
      close: async () => {
        for (const t of timers) clearTimeout(t);
        await new Promise<void>((r) => socket.close(() => r()));
      },
    };
  }
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let guard = 0; guard < 100 && buffer.length > 0; guard++) {
        const frame = frameStream(buffer, 0, 65_535);
        if (isSipError(frame)) return socket.destroy();
        if (frame.kind === 'incomplete') return;
        const bytes = Buffer.from(buffer.subarray(0, frame.end));
        buffer = buffer.subarray(frame.end);
        if (frame.kind === 'message') handle(bytes, (b) => (socket.destroyed ? undefined : socket.write(b)), port);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    port,
    received,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
