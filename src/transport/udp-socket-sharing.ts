/**
 * What sharing a bound UDP socket with reader processes needs of `node:dgram`, which has no public
 * API for it (Node 20): the socket's file descriptor (handed to a child process as an extra stdio
 * entry, where `dgram.Socket.bind({ fd })` adopts it) and a way to stop reading in this process
 * while still sending from the socket (libuv's `recvStop` on the socket's handle).
 *
 * Both reach into Node's internals (the handle behind the `state symbol`), so both are feature
 * tested: where a Node version lacks them, `sharableFd` answers null and the caller keeps reading
 * in this process as before. Nothing here is needed for correctness, only for speed.
 */
import type { Socket } from 'node:dgram';

interface UdpHandle {
  readonly fd?: number;
  recvStop?(): number;
  recvStart?(): number;
}

function handleOf(socket: Socket): UdpHandle | null {
  const state = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
  if (state === undefined) return null;
  const handle = (socket as unknown as Record<symbol, { handle?: UdpHandle } | undefined>)[state]?.handle;
  return handle ?? null;
}

/** The bound socket's file descriptor when it can be shared and its reading stopped here; else null. */
export function sharableFd(socket: Socket): number | null {
  const handle = handleOf(socket);
  if (handle === null || typeof handle.recvStop !== 'function' || typeof handle.recvStart !== 'function') return null;
  return typeof handle.fd === 'number' && handle.fd >= 0 ? handle.fd : null;
}

/** Stops (false) or restarts (true) reading datagrams in this process; sending is unaffected. */
export function setReading(socket: Socket, on: boolean): boolean {
  const handle = handleOf(socket);
  const call = on ? handle?.recvStart : handle?.recvStop;
  if (handle === null || call === undefined) return false;
  return call.call(handle) === 0;
}
