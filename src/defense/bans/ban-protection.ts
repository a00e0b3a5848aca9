/**
 * Who must never be banned (DESIGN §2): the provider, the LAN and a registered phone. A ban request
 * that covers one of them is refused with the reason (`BanRefusal`); the source is then only
 * rate-limited.
 *
 * "The LAN" is `lan.allow` where it lies in private, loopback, link-local or unique-local space.
 * A public block in `lan.allow` (a guard on a VPS whose phones register across the internet) is not
 * protected as a whole: such a source may guess passwords, and may be banned — unless it is a
 * registered phone's address.
 */
import type { AddressSet } from '../../config/address-set.js';
import { cidrContains, formatCidr, parseCidr, type Cidr } from '../../config/cidr.js';
import { parseIp, type IpAddress } from '../../config/ip-address.js';
import type { BanRefusal } from './ban-control.js';

/** The refusal for a ban of `cidr`, or null when it may be banned. */
export type BanProtection = (cidr: Cidr) => Exclude<BanRefusal, 'invalid'> | null;

export interface ProtectionSources {
  /** Is this address one of the provider's (the live provider set)? */
  isProvider(address: string): boolean;
  /** Provider addresses and blocks known in advance: configured ones, the registrar targets. */
  providerBlocks(): Iterable<Cidr>;
  readonly lanAllow: AddressSet;
  /** Source addresses of live bindings. */
  phoneAddresses(): Iterable<string>;
}

/** Private, loopback, link-local, unique-local and shared (RFC 6598) address space. */
export const PRIVATE_BLOCKS: readonly Cidr[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '::1',
  'fc00::/7',
  'fe80::/10',
].map((text) => parseCidr(text) as Cidr);

export function isPrivateIp(ip: IpAddress): boolean {
  return PRIVATE_BLOCKS.some((block) => cidrContains(block, ip));
}

/** Whether two blocks share an address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const [wide, narrow] = a.prefix <= b.prefix ? [a, b] : [b, a];
  return cidrContains(wide, { family: narrow.family, words: narrow.words });
}

export function banProtection(sources: ProtectionSources): BanProtection {
  const lanBlocks = sources.lanAllow.cidrs.flatMap((allowed) =>
    PRIVATE_BLOCKS.filter((p) => overlaps(p, allowed)).map((p) => (p.prefix >= allowed.prefix ? p : allowed)),
  );
  return (cidr) => {
    const single = cidr.prefix === (cidr.family === 4 ? 32 : 128) ? formatCidr(cidr) : null;
    if (single !== null && sources.isProvider(single)) return 'provider';
    for (const block of sources.providerBlocks()) if (overlaps(block, cidr)) return 'provider';
    for (const block of lanBlocks) if (overlaps(block, cidr)) return 'lan';
    for (const phone of sources.phoneAddresses()) {
      const ip = parseIp(phone, true);
      if (ip !== null && cidrContains(cidr, ip)) return 'phone';
    }
    return null;
  };
}
