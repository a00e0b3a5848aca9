/**
 * The address plan of the e2e lab. These addresses exist only inside the lab's network namespaces.
 *
 * WAN segment ("the internet"): the documentation ranges of RFC 5737, as in DESIGN.md's examples,
 * each host with on-link routes to all three so they reach each other over one bridge.
 * LAN segment: 10.77.0.0/24, the guard's inside leg and the phones behind it.
 */
export const SIP_DOMAIN = 'voip.example.test';

export const WAN_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'] as const;

export const ADDR = {
  /** Kamailio: registrar and proxy of SIP_DOMAIN. */
  provider: '203.0.113.10',
  /** SIPp placing the provider's calls (a trunk/peer address of the provider, second address of its namespace). */
  providerCaller: '203.0.113.11',
  /** SIPp UAS answering calls the provider routes out (a "PSTN gateway"), third address of its namespace. */
  providerGateway: '203.0.113.12',
  /** The scanner (svmap, svwar, svcrack, SIPp floods). */
  scanner: '198.51.100.66',
  /** A phone exposed straight to the internet (no guard). */
  exposedPhone: '192.0.2.20',
  /** The guard's WAN leg. */
  guardWan: '192.0.2.30',
  /** The guard's LAN leg. */
  guardLan: '10.77.0.1',
  /** A phone behind the guard. */
  lanPhone: '10.77.0.20',
  /**
   * A toll-fraud destination on the WAN (second address of the scanner's namespace, so that a
   * packet the guard relayed there would resolve ARP and show up in a capture).
   */
  foreignDestination: '203.0.113.99',
} as const;

export const WAN_PREFIX = 24;
export const LAN_PREFIX = 24;
