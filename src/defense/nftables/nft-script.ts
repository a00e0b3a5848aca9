/**
 * The text of the nft scripts the kernel offload runs (`nft -f -`), as pure functions.
 *
 * ghostguard owns one table, `table inet ghostguard`, and touches nothing else:
 * - two sets, `banned4` and `banned6`, with `flags interval, timeout`, so that an element is an address
 *   or a CIDR block and carries the time left of its ban (the kernel forgets it on its own if the guard
 *   dies);
 * - two named counters, `dropped4` and `dropped6`, of the packets dropped;
 * - one chain on the prerouting hook at priority `raw` (-300), before conntrack (-200), so a banned
 *   scanner's packets cost neither a conntrack entry nor a wake-up of the guard. It drops only packets
 *   to the guard's own ports (UDP, TCP and TLS), nothing else the host does.
 *
 * nftables 1.0.x fails a whole batch on an element that overlaps one in an interval set ("interval
 * overlaps with an existing one") and on a `delete element` of an element the kernel already timed
 * out. `element-model.ts` keeps the set free of overlaps; {@link elementsScript} deletes an element
 * that may have timed out with the idempotent pair "add with a 1 s timeout, then delete". That pair
 * must not share a transaction with an add that overlaps the element (kernel 6.x then reports an
 * overlap, tested with nft 1.0.6): the offload sends such deletes in a batch of their own.
 */
import type { IpFamily } from '../../config/ip-address.js';

export const TABLE_FAMILY = 'inet';
export const TABLE_NAME = 'ghostguard';
const TABLE = `${TABLE_FAMILY} ${TABLE_NAME}`;

/** The kernel keeps element timeouts in ms in 32 bits (about 49.7 days); longer bans get no timeout. */
export const MAX_TIMEOUT_SECONDS = 4_294_967;
/** Elements per `add element` / `delete element` statement. */
const ELEMENTS_PER_LINE = 256;

export interface OffloadPorts {
  /** The guard's UDP ports on the WAN leg. */
  readonly udp: readonly number[];
  /** Its TCP ports (SIP over TCP and TLS). */
  readonly tcp: readonly number[];
}

export function setName(family: IpFamily): string {
  return family === 4 ? 'banned4' : 'banned6';
}

export function counterName(family: IpFamily): string {
  return family === 4 ? 'dropped4' : 'dropped6';
}

/** Validates ports; returns a message or null. */
export function checkPorts(ports: OffloadPorts): string | null {
  const all = [...ports.udp, ...ports.tcp];
  if (all.length === 0) return 'the nftables offload needs at least one port of the guard to protect';
  const bad = all.find((p) => !Number.isInteger(p) || p < 1 || p > 65535);
  return bad === undefined ? null : `port ${bad} is not a port number (1..65535)`;
}

function portSet(ports: readonly number[]): string {
  const unique = [...new Set(ports)].sort((a, b) => a - b);
  return unique.length === 1 ? String(unique[0]) : `{ ${unique.join(', ')} }`;
}

/** The drop rules of one family: one per protocol that has ports. */
function dropRules(family: IpFamily, ports: OffloadPorts): string[] {
  const match = family === 4 ? `ip saddr @${setName(4)}` : `ip6 saddr @${setName(6)}`;
  const rules: string[] = [];
  for (const proto of ['udp', 'tcp'] as const) {
    if (ports[proto].length === 0) continue;
    rules.push(`    ${match} ${proto} dport ${portSet(ports[proto])} counter name "${counterName(family)}" drop`);
  }
  return rules;
}

/**
 * Creates the table afresh, in one transaction: "table; delete table" first removes a table left behind
 * by a crash (and is harmless when there is none), then the table is declared with its elements.
 */
export function createTableScript(ports: OffloadPorts, elements: readonly NftElement[] = []): string {
  const lines = [
    '# ghostguard: kernel offload of its bans (recreated at every start)',
    `table ${TABLE}`,
    `delete table ${TABLE}`,
    `table ${TABLE} {`,
    `  counter ${counterName(4)} { }`,
    `  counter ${counterName(6)} { }`,
    `  set ${setName(4)} { type ipv4_addr; flags interval, timeout; }`,
    `  set ${setName(6)} { type ipv6_addr; flags interval, timeout; }`,
    '  chain prerouting {',
    '    type filter hook prerouting priority raw; policy accept;',
    ...dropRules(4, ports),
    ...dropRules(6, ports),
    '  }',
    '}',
  ];
  const adds = elementsScript(elements, []);
  return `${lines.join('\n')}\n${adds}`;
}

/** Deletes the table if it exists (a clean stop). */
export function deleteTableScript(): string {
  return `table ${TABLE}\ndelete table ${TABLE}\n`;
}

/** One set element: a canonical address or CIDR (see `formatCidr`) with its timeout. */
export interface NftElement {
  readonly family: IpFamily;
  readonly key: string;
  /** Whole seconds left, 1..MAX_TIMEOUT_SECONDS; null: no timeout. */
  readonly timeoutSeconds: number | null;
}

/** Seconds for an element timeout from the time left of a ban; null when too long (or unlimited). */
export function timeoutFor(expiresAt: number | null, now: number): number | null {
  if (expiresAt === null) return null;
  const seconds = Math.max(1, Math.ceil((expiresAt - now) / 1000));
  return seconds > MAX_TIMEOUT_SECONDS ? null : seconds;
}

function elementText(e: NftElement): string {
  return e.timeoutSeconds === null ? e.key : `${e.key} timeout ${e.timeoutSeconds}s`;
}

function statements(verb: 'add' | 'delete', family: IpFamily, items: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += ELEMENTS_PER_LINE) {
    const chunk = items.slice(i, i + ELEMENTS_PER_LINE);
    out.push(`${verb} element ${TABLE} ${setName(family)} { ${chunk.join(', ')} }`);
  }
  return out;
}

/** An element to delete; `present: true` when the kernel surely holds it (else it may have timed out). */
export interface NftDelete {
  readonly family: IpFamily;
  readonly key: string;
  readonly present?: boolean;
}

/**
 * Removes `deletes` (those not surely present are first added with a 1 s timeout, a no-op when they
 * are there), then adds `adds`. To change an element's timeout, pass it in both.
 */
export function elementsScript(adds: readonly NftElement[], deletes: readonly NftDelete[]): string {
  const lines: string[] = [];
  for (const family of [4, 6] as const) {
    const mine = deletes.filter((d) => d.family === family);
    const unsure = mine.filter((d) => d.present !== true).map((d) => d.key);
    lines.push(...statements('add', family, unsure.map((k) => `${k} timeout 1s`)));
    lines.push(...statements('delete', family, mine.map((d) => d.key)));
  }
  for (const family of [4, 6] as const) {
    lines.push(...statements('add', family, adds.filter((a) => a.family === family).map(elementText)));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
