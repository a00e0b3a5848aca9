/**
 * SIP over TCP (RFC 3261 §18): listeners on IPv4 and IPv6 addresses, messages framed by
 * Content-Length, connections reused in both directions. See `stream-transport.ts` for connection
 * handling and limits and `stream-connection.ts` for framing, keep-alives and timeouts.
 */
import { connect, type Socket } from 'node:net';
import type { Endpoint } from './flow.js';
import { whenReady } from './when-ready.js';
import { StreamTransport, type AcceptedSocket } from './stream-transport.js';
import type { TransportOptions } from './transport.js';

export type TcpTransportOptions = TransportOptions;

export class TcpTransport extends StreamTransport {
  constructor(options: TcpTransportOptions) {
    super('tcp', options);
  }

  protected acceptSocket(raw: Socket): AcceptedSocket {
    return { socket: raw };
  }

  protected openSocket(remote: Endpoint, _serverName: string | undefined, timeoutMs: number): Promise<Socket> {
    return whenReady(connect({ host: remote.address, port: remote.port }), 'connect', remote, timeoutMs);
  }
}
