/**
 * Building blocks for the lab's two segments (addresses in addresses.ts):
 * - "wan", the internet: provider, scanner, an exposed phone, the guard's WAN leg. Each WAN host
 *   gets on-link routes to all three documentation ranges, so they reach each other over one bridge
 *   and nothing else (a packet to any other address fails with "network unreachable").
 * - "lan", behind the guard: 10.77.0.0/24, no routes beyond it.
 */
import { LAN_PREFIX, WAN_PREFIX, WAN_RANGES } from './addresses.js';
import type { Host, Lab } from './netns.js';

function sameNet24(a: string, cidr: string): boolean {
  return a.split('.').slice(0, 3).join('.') === cidr.split('/')[0]?.split('.').slice(0, 3).join('.');
}

/**
 * Joins `host` to the WAN with `address` (and `extra` addresses on the same interface), plus on-link
 * routes to the other documentation ranges. Returns the interface name.
 */
export async function joinWan(lab: Lab, host: Host, address: string, extra: readonly string[] = []): Promise<string> {
  const iface = await lab.connect(host, 'wan', `${address}/${WAN_PREFIX}`);
  for (const a of extra) await host.addAddress(iface.ifname, `${a}/${WAN_PREFIX}`);
  const own = [address, ...extra];
  for (const range of WAN_RANGES) {
    if (own.some((a) => sameNet24(a, range))) continue;
    await host.addRoute(range, iface.ifname);
  }
  return iface.ifname;
}

/** Joins `host` to the LAN (10.77.0.0/24) with `address`. Returns the interface name. */
export async function joinLan(lab: Lab, host: Host, address: string): Promise<string> {
  const iface = await lab.connect(host, 'lan', `${address}/${LAN_PREFIX}`);
  return iface.ifname;
}
