/**
 * A WAN reader process (see `wan-readers.ts`): started by the guard with the WAN UDP sockets as
 * extra stdio descriptors, it reads from them beside the guard and runs {@link ReaderCore} on every
 * datagram. It holds no state worth keeping: it ends when the guard closes the IPC channel (or
 * dies), and the guard starts another if it ends on its own.
 */
import { createSocket, type Socket } from 'node:dgram';
import { setReading } from '../../transport/udp-socket-sharing.js';
import { ReaderCore } from './reader-core.js';
import { pauseAfterTurn } from './reader-pacing.js';
import type { FromReader, ReaderInit, ToReader } from './reader-protocol.js';

process.title = 'ghostguard-wan-reader';

const send = (message: FromReader): boolean => process.send?.(message) ?? false;

/** A tally is kept back while the IPC channel is backed up (the core goes on counting into it). */
let congested = false;

/** The reader's clock, read at every flush rather than for every datagram (sample windows and the hand-over budget need no more). */
let now = Date.now();

function start(init: ReaderInit): void {
  const core = new ReaderCore(
    { maxMessageSize: init.maxMessageSize, handOverPerSecond: init.handOverPerSecond, sampleWindowMs: init.sampleWindowMs, now: () => now },
    (index, data, address, port) => {
      send({ t: 'datagram', i: index, a: address, p: port, d: data.toString('base64') });
    },
  );
  core.setTrusted(init.trusted);
  process.on('message', (message: ToReader) => {
    if (message.t === 'trusted') core.setTrusted(message.entries);
  });
  const sockets: Socket[] = [];
  let bound = 0;
  // Batches under a flood (reader-pacing.ts): datagrams read this event loop turn, and lately.
  let turn = 0;
  let readLately = 0;
  let perSecond = 0;
  let buffer = 0;
  const endTurn = (): void => {
    const pause = pauseAfterTurn({ turn, perSecond, readers: init.readers, bufferBytes: buffer });
    turn = 0;
    if (pause === 0) return;
    let stopped = false;
    for (const socket of sockets) stopped = setReading(socket, false) || stopped;
    if (stopped) setTimeout(() => sockets.forEach((socket) => setReading(socket, true)), pause);
  };
  for (const s of init.sockets) {
    const socket = createSocket({ type: s.type });
    sockets.push(socket);
    socket.on('error', (err) => process.stderr.write(`ghostguard wan reader ${process.pid}: socket ${s.index}: ${err.message}\n`));
    socket.on('message', (data, rinfo) => {
      if (turn++ === 0) setImmediate(endTurn);
      readLately++;
      try {
        core.datagram(s.index, data, rinfo.address, rinfo.port);
      } catch (err) {
        process.stderr.write(`ghostguard wan reader ${process.pid}: ${String(err)}\n`);
      }
    });
    socket.bind({ fd: s.fd }, () => {
      if (++bound < init.sockets.length) return;
      buffer = smallestReceiveBuffer(sockets);
      send({ t: 'ready' });
    });
  }
  setInterval(() => {
    now = Date.now();
    perSecond = (readLately * 1000) / init.flushMs;
    readLately = 0;
    if (congested) return;
    const tally = core.takeTally();
    if (tally === null) return;
    congested = true;
    process.send?.(tally, undefined, undefined, () => {
      congested = false;
    });
  }, init.flushMs);
}

/** The smallest receive buffer of the sockets (bytes; 0 when one cannot tell). */
function smallestReceiveBuffer(sockets: readonly Socket[]): number {
  let least = Infinity;
  for (const socket of sockets) {
    try {
      least = Math.min(least, socket.getRecvBufferSize());
    } catch {
      least = 0;
    }
  }
  return Number.isFinite(least) ? least : 0;
}

process.once('message', (message: ToReader) => {
  if (message.t !== 'init') {
    process.stderr.write(`ghostguard wan reader: expected init, got ${message.t}\n`);
    process.exit(2);
  }
  start(message);
});
// The guard went away (stopped, or died): nothing to read for.
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
