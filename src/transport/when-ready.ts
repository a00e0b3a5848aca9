/**
 * Waits for an outbound socket to become ready ('connect' for TCP, 'secureConnect' for TLS) within a
 * time limit. On failure the socket is destroyed and the promise rejects with a TransportError; an
 * error listener stays attached, so a late socket error can never go unhandled.
 */
import type { Socket } from 'node:net';
import { formatEndpoint, type Endpoint } from './flow.js';
import { TransportError } from './transport-error.js';

export function whenReady(socket: Socket, readyEvent: 'connect' | 'secureConnect', remote: Endpoint, timeoutMs: number): Promise<Socket> {
  socket.on('error', () => {});
  return new Promise((resolve, reject) => {
    const fail = (message: string, cause?: unknown): void => {
      clearTimeout(timer);
      socket.removeListener(readyEvent, onReady);
      socket.destroy();
      reject(new TransportError('TRANSPORT_CONNECT_FAILED', `${message} (${formatEndpoint(remote)})`, { cause }));
    };
    const onReady = (): void => {
      clearTimeout(timer);
      socket.removeListener('error', onError);
      resolve(socket);
    };
    const onError = (err: Error): void => fail(`connect failed: ${err.message}`, err);
    const timer = setTimeout(() => fail(`connect timed out after ${timeoutMs} ms`), timeoutMs);
    socket.once(readyEvent, onReady);
    socket.once('error', onError);
  });
}
