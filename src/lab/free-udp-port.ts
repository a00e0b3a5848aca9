/**
 * A UDP port to put in the guard's config for its LAN leg: the preferred one when it is free on that
 * address, else one the system picks. (The config needs a number before the guard binds; the moment
 * between this probe and the guard's bind is too short to matter on a loopback address.)
 */
import { createSocket } from 'node:dgram';
import { LabError, loopbackHint } from './lab-error.js';

export async function freeUdpPort(address: string, preferred: number): Promise<number> {
  try {
    return await probe(address, preferred);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EADDRNOTAVAIL') throw new LabError('GG_ERR_LAB_ADDRESS', loopbackHint(address), { cause: err });
    if (code !== 'EADDRINUSE' || preferred === 0) throw err;
    return probe(address, 0);
  }
}

function probe(address: string, port: number): Promise<number> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', (err) => {
      socket.close();
      reject(err);
    });
    socket.bind({ address, port }, () => {
      const bound = socket.address().port;
      socket.close(() => resolve(bound));
    });
  });
}
