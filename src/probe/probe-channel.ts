/**
 * The probe's link to one port: a UDP socket on the local address the kernel picks for the target
 * (answers from any port of the target's address count), or a TCP connection, framed with the
 * guard's own stream framer (src/sip/framing.ts). It hands on every SIP message that arrives; bytes that are
 * not SIP are counted and dropped, and a stream that breaks framing is closed. Bounded: at most
 * MAX_MESSAGES messages and 64 kB of buffered stream.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket as TcpSocket } from 'node:net';
import { canonicalIp } from '../config/ip-address.js';
import { isSipError } from '../sip/errors.js';
import { frameStream, newFrameProgress } from '../sip/framing.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parse.js';
import { ProbeError } from './probe-error.js';
import type { LocalEnd } from './probe-messages.js';

const MAX_SIP = 65_535;
const MAX_MESSAGES = 200;

export interface ProbeChannel {
  readonly local: LocalEnd;
  send(bytes: Buffer): void;
  /** True once the peer refused or closed (TCP), or a datagram could not be sent (UDP). */
  readonly refused: boolean;
  readonly unparsable: number;
  close(): void;
}

export interface OpenOptions {
  readonly address: string;
  readonly port: number;
  readonly localAddress?: string;
  readonly connectTimeoutMs: number;
  readonly onMessage: (msg: SipMessage) => void;
}

/** The local address the kernel would send from to `address` (a connected UDP socket, closed at once). */
function sourceAddressFor(address: string, port: number, localAddress: string | undefined, o: OpenOptions): Promise<string> {
  if (localAddress !== undefined) return Promise.resolve(localAddress);
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4' });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      socket.close();
      reject(socketError(err, o));
    });
    socket.connect(port, address, () => {
      const local = socket.address().address;
      socket.close();
      resolve(local);
    });
  });
}

/**
 * Opens a UDP channel. The socket is not connected: a device may answer from another port than the
 * one it was sent to (RFC 3581 asks for the same one, not every device does), and every answer from
 * the target's address counts. So a closed UDP port is not told from a silent one (no ICMP report).
 */
export async function openUdp(o: OpenOptions): Promise<ProbeChannel> {
  const from = await sourceAddressFor(o.address, o.port, o.localAddress, o);
  const target = canonicalIp(o.address) ?? o.address;
  return new Promise((resolve, reject) => {
    const socket: UdpSocket = createSocket({ type: o.address.includes(':') ? 'udp6' : 'udp4' });
    let received = 0;
    let opened = false;
    const state = { refused: false, unparsable: 0 };
    socket.on('message', (data, rinfo) => {
      if ((canonicalIp(rinfo.address) ?? rinfo.address) !== target) return;
      if (++received > MAX_MESSAGES) return;
      if (data.length <= 4 && data.toString('latin1').trim() === '') return; // keep-alive
      const msg = parseMessage(data, { maxSize: MAX_SIP });
      if (isSipError(msg)) state.unparsable++;
      else o.onMessage(msg);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (opened) return;
      socket.close();
      reject(socketError(err, o));
    });
    socket.bind({ port: 0, address: from }, () => {
      const a = socket.address();
      opened = true;
      resolve({
        local: { transport: 'udp', address: a.address, port: a.port },
        send: (bytes) => socket.send(bytes, o.port, o.address, (err) => (err ? (state.refused = true) : undefined)),
        get refused() {
          return state.refused;
        },
        get unparsable() {
          return state.unparsable;
        },
        close: () => socket.close(),
      });
    });
  });
}

/** Our own side failed (e.g. `--from` names an address this host does not have): not the target's silence. */
const LOCAL_FAILURES = new Set(['EADDRNOTAVAIL', 'EINVAL', 'EACCES', 'EPERM', 'EAFNOSUPPORT']);

function socketError(err: NodeJS.ErrnoException, o: OpenOptions): ProbeError {
  const from = o.localAddress === undefined ? '' : ` from ${o.localAddress}`;
  return new ProbeError('GG_ERR_PROBE_SOCKET', `cannot send${from} to ${o.address}: ${err.code ?? err.message}`, { cause: err });
}

/** Opens a TCP connection; resolves with null when it is refused or times out (nothing answered). */
export function openTcp(o: OpenOptions): Promise<ProbeChannel | null> {
  return new Promise((resolve, reject) => {
    const socket: TcpSocket = connect({ host: o.address, port: o.port, localAddress: o.localAddress });
    const state = { refused: false, unparsable: 0 };
    let buffer: Buffer = Buffer.alloc(0);
    let received = 0;
    const progress = newFrameProgress();
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, o.connectTimeoutMs);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      state.refused = true;
      clearTimeout(timer);
      if (LOCAL_FAILURES.has(err.code ?? '')) reject(socketError(err, o));
      resolve(null);
    });
    socket.on('close', () => {
      state.refused = true;
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      while (buffer.length > 0 && received < MAX_MESSAGES) {
        const frame = frameStream(buffer, 0, MAX_SIP, progress);
        if (isSipError(frame)) {
          state.unparsable++;
          socket.destroy();
          return;
        }
        if (frame.kind === 'incomplete') break;
        const bytes = buffer.subarray(0, frame.end);
        buffer = buffer.subarray(frame.end);
        Object.assign(progress, newFrameProgress());
        if (frame.kind === 'keepalive') continue;
        received++;
        const msg = parseMessage(Buffer.from(bytes), { maxSize: MAX_SIP });
        if (isSipError(msg)) state.unparsable++;
        else o.onMessage(msg);
      }
      if (buffer.length > MAX_SIP) socket.destroy();
    });
    socket.on('connect', () => {
      clearTimeout(timer);
      resolve({
        local: { transport: 'tcp', address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
        send: (bytes) => {
          if (!socket.destroyed) socket.write(bytes);
        },
        get refused() {
          return state.refused;
        },
        get unparsable() {
          return state.unparsable;
        },
        close: () => socket.destroy(),
      });
    });
  });
}
