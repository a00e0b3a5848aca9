/**
 * A minimal SIP endpoint on a loopback UDP socket for the relay benchmark: it answers what it is told
 * to answer and lets the caller await the next message that matches.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isSipError } from '../../src/sip/errors.js';
import type { SipMessage } from '../../src/sip/message.js';
import { parseMessage } from '../../src/sip/parse.js';

export interface Received {
  readonly msg: SipMessage;
  readonly address: string;
  readonly port: number;
  readonly at: number;
}

type Waiter = { match: (r: Received) => boolean; resolve: (r: Received) => void };

export class UdpPeer {
  readonly #socket: Socket;
  readonly #waiters: Waiter[] = [];
  /** Answers requests automatically (return the response text, or null to stay silent). */
  onRequest: (r: Received) => string | null = () => null;
  /** Sees every response before the waiters do. */
  onResponse: (r: Received) => void = () => {};

  private constructor(socket: Socket, readonly address: string, readonly port: number) {
    this.#socket = socket;
    socket.on('message', (data, rinfo) => {
      const at = performance.now();
      const msg = parseMessage(data);
      if (isSipError(msg)) return;
      const r: Received = { msg, address: rinfo.address, port: rinfo.port, at };
      if (msg.isRequest) {
        const answer = this.onRequest(r);
        if (answer !== null) this.send(answer, r.address, r.port);
      } else {
        this.onResponse(r);
      }
      const i = this.#waiters.findIndex((w) => w.match(r));
      if (i >= 0) this.#waiters.splice(i, 1)[0]!.resolve(r);
    });
  }

  static async open(address: string, port = 0): Promise<UdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => resolve());
    });
    return new UdpPeer(socket, address, socket.address().port);
  }

  send(text: string, address: string, port: number): void {
    this.#socket.send(Buffer.from(text, 'latin1'), port, address);
  }

  next(match: (r: Received) => boolean, timeoutMs = 2000): Promise<Received> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { match, resolve: (r) => (clearTimeout(timer), resolve(r)) };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error('timed out waiting for a SIP message'));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }
}

/** A response to `req` with the given status, echoing Via, From, To (+tag), Call-ID, CSeq. */
export function respond(req: SipMessage, status: number, reason: string, extra: string[] = [], toTag = 'uas1'): string {
  const to = req.get('to') ?? '';
  const lines = [
    `SIP/2.0 ${status} ${reason}`,
    ...req.getAll('via').map((v) => `Via: ${v}`),
    ...req.getAll('record-route').map((v) => `Record-Route: ${v}`),
    `From: ${req.get('from')}`,
    `To: ${to.includes('tag=') || status === 100 ? to : `${to};tag=${toTag}`}`,
    `Call-ID: ${req.get('call-id')}`,
    `CSeq: ${req.get('cseq')}`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ];
  return lines.join('\r\n');
}
