/**
 * Where each part of the lab lives: its own loopback address, so that the guard tells the provider
 * from the scanners by source address exactly as it does on the internet. Linux routes all of
 * 127.0.0.0/8 to the loopback interface, so binding 127.0.0.2 ... needs no root and no setup.
 */
import type { Endpoint } from '../transport/flow.js';
import { SCANNER_IDS, type ScannerId } from './scanners/scanner-id.js';

export interface LabAddresses {
  /** The provider's SIP domain: the phone's account is `<phoneUser>@<domain>`. */
  readonly domain: string;
  /** The provider's registrar and proxy (the port is a preference: another free one is taken if busy). */
  readonly provider: Endpoint;
  /** The guard's WAN address; its port is the guard's own random high port. */
  readonly guardWan: string;
  /** The guard's LAN leg, the phone's outbound proxy (port: a preference, as above). */
  readonly guardLan: Endpoint;
  readonly phone: Endpoint;
  readonly phoneUser: string;
  /** Each scanner family's address. */
  readonly scanners: Readonly<Record<ScannerId, string>>;
}

/** The default plan on `prefix`.2 ... (`127.0.0` by default; tests use other /24s of 127/8). */
export function labAddresses(prefix = '127.0.0'): LabAddresses {
  const scanners = Object.fromEntries(SCANNER_IDS.map((id, i) => [id, `${prefix}.${10 + i}`])) as Record<ScannerId, string>;
  return {
    domain: 'voip.demo.test',
    provider: { address: `${prefix}.2`, port: 5060 },
    guardWan: `${prefix}.3`,
    guardLan: { address: `${prefix}.4`, port: 5060 },
    phone: { address: `${prefix}.5`, port: 5062 },
    phoneUser: 'alice',
    scanners,
  };
}
