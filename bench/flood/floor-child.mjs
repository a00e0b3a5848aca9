/**
 * The floor of `npm run bench:flood --floor`: a bare node:dgram socket on the guard's WAN address
 * that only counts what it reads — the most any single-threaded Node receiver can read under the
 * same sender, before any SIP work. Same protocol as guard-child.mjs ("READY {json}", then one
 * "STATS {json}" per "stats" line on stdin).
 *
 *   node bench/flood/floor-child.mjs ADDRESS PORT [RECEIVE_BUFFER]
 *
 * RECEIVE_BUFFER: the SO_RCVBUF to ask for (the same the guard asks for), default the system's.
 */
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';

const [address, port, receiveBuffer] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 0)];
if (address === undefined || !(port > 0 && port < 65536)) {
  console.error('usage: node bench/flood/floor-child.mjs ADDRESS PORT');
  process.exit(2);
}
let count = 0;
const socket = createSocket('udp4');
socket.on('message', () => {
  count++;
});
socket.bind(port, address, () => {
  if (receiveBuffer > 0) socket.setRecvBufferSize(receiveBuffer);
  process.stdout.write(`READY ${JSON.stringify({ pid: process.pid })}\n`);
});
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'stats') {
    process.stdout.write(`STATS ${JSON.stringify({ guard: { messages: { 'wan read': count }, verdicts: {}, drops: {}, delivered: 0 }, bans: 0 })}\n`);
  }
});
lines.on('close', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
