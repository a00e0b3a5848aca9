/**
 * What a WAN reader process does with each datagram it reads (`reader-main.ts` wires it to the
 * sockets and the IPC channel; this part is pure, for tests). The guard's own decision for a
 * stranger's request is always the same — dropped, `not-from-provider` (or `malformed` /
 * `too-large` when it does not parse), when `policy.unknown` is `drop` — so a reader can take it
 * off the guard's hands and report only how many:
 *
 * - a datagram from a provider address (the `trusted` entries the guard sends) → handed over whole,
 *   at once, never rationed: the guard decides, exactly as if it had read it itself;
 * - a stranger's request → parsed (only to tell a request from garbage, and its method) and
 *   tallied per source, reason and method; the guard applies the tally every flush (stats, rate
 *   limits and bans, event rows: `MessagePipeline.strangerRequests`). The first request of each
 *   source and reason per sample window is handed over whole instead, so that the guard can label
 *   (fingerprints) and explain the source's event row as it would have. While that hand-over
 *   budget (below) is spent, a source's first request in this reader (its {@link Doorkeeper} has
 *   not sighted it) is tallied without its name, only counted per reason and method
 *   (`MessagePipeline.unnamedRequests`, into the event window's overflow row): the guard's own
 *   doorkeeper would not have counted it against the source either, and a flood of one-packet
 *   spoofed sources then costs neither the IPC channel nor the guard a thing per source. (So the
 *   guard's rate and refusal counts of a source miss at most one request per reader per
 *   doorkeeper period: a source is banned at most that many requests later than by a guard that
 *   reads alone.)
 * - anything else from a stranger (a response, an ACK, a keep-alive, an oversized datagram) →
 *   handed over whole, since the guard's answer to it depends on its state (a response may come
 *   from a provider address it has yet to learn).
 *
 * Hand-overs of strangers' datagrams are rationed (`handOverPerSecond`, a token bucket of a
 * second's worth): above it they are tallied (requests) or shed and counted (the rest), so a flood
 * cannot push its bytes through the IPC channel. The tally is bounded (`maxTallyKeys`; beyond it,
 * requests are counted as lost), and so is the memory of sampled sources (`maxSampledKeys`).
 */
import { AddressSet } from '../../config/address-set.js';
import { formatIp, parseIp, unmapIp } from '../../config/ip-address.js';
import { Doorkeeper, DOORKEEPER_BITS, DOORKEEPER_PERIOD_MS, hashAddress } from '../../defense/rate/doorkeeper.js';
import { isSipError } from '../../sip/errors.js';
import { parseMessage } from '../../sip/parse.js';
import { classifyDatagram } from '../../transport/classify-datagram.js';
import { normalizeAddress } from '../../transport/flow.js';
import { KNOWN_METHODS } from '../guard-stats.js';
import type { ReaderTally, TallyGroup, TallyReason } from './reader-protocol.js';

export interface ReaderCoreOptions {
  readonly maxMessageSize: number;
  readonly handOverPerSecond: number;
  readonly sampleWindowMs: number;
  readonly now: () => number;
  readonly maxTallyKeys?: number;
  readonly maxSampledKeys?: number;
  /** How long the doorkeeper remembers a first sighting at most (default 60 s, as the guard's). */
  readonly doorkeeperMs?: number;
}

/** What became of one datagram. */
export type ReaderOutcome = 'trusted' | 'handed-over' | 'tallied' | 'shed';

/** The requests of one socket, reason and method: each named source's [address, port, count], flat, and the unnamed ones. */
interface Group {
  readonly index: number;
  readonly reason: TallyReason;
  readonly method: string | null;
  readonly sources: Array<string | number>;
  unnamed: number;
}

/**
 * Where a source's count sits: `at * MAX_GROUPS + group number` (a number, not an object per
 * source). Groups are few: sockets × reasons × the methods the guard counts by name, plus `other`.
 */
const MAX_GROUPS = 1024;

const DEFAULT_MAX_TALLY_KEYS = 50_000;
const DEFAULT_MAX_SAMPLED_KEYS = 10_000;

export class ReaderCore {
  readonly #o: ReaderCoreOptions;
  readonly #handOver: (index: number, data: Buffer, address: string, port: number) => void;
  #exact: ReadonlySet<string> = new Set();
  #blocks: AddressSet = AddressSet.empty;
  /** A source's count in its (first) group; a source that sends more than one kind is found by `#other`. */
  #bySource = new Map<string, number>();
  #other = new Map<string, number>();
  #groups: Group[] = [];
  #tallied = 0;
  #sampled = new Set<string>();
  #sampleWindow = -1;
  #tokens: number;
  #refilledAt = -Infinity;
  #read = 0;
  #lost = 0;
  #shed: Record<string, number> = {};
  readonly #door: Doorkeeper;

  constructor(options: ReaderCoreOptions, handOver: (index: number, data: Buffer, address: string, port: number) => void) {
    this.#o = options;
    this.#handOver = handOver;
    this.#tokens = options.handOverPerSecond;
    this.#door = new Doorkeeper(DOORKEEPER_BITS, options.doorkeeperMs ?? DOORKEEPER_PERIOD_MS);
  }

  /** The provider's addresses and blocks: their datagrams always go to the guard whole. */
  setTrusted(entries: readonly string[]): void {
    const exact = new Set<string>();
    const blocks: string[] = [];
    for (const entry of entries) {
      if (entry.includes('/')) blocks.push(entry);
      else exact.add(canonical(entry));
    }
    this.#exact = exact;
    const parsed = AddressSet.parse(blocks);
    this.#blocks = parsed.ok ? parsed.set : AddressSet.empty;
  }

  isTrusted(address: string): boolean {
    if (this.#exact.has(address)) return true;
    if (address.includes(':') && this.#exact.has(canonical(address))) return true;
    return this.#blocks.size > 0 && this.#blocks.has(address);
  }

  datagram(index: number, data: Buffer, rawAddress: string, port: number): ReaderOutcome {
    this.#read++;
    const address = normalizeAddress(rawAddress);
    if (this.isTrusted(address)) {
      this.#handOver(index, data, rawAddress, port);
      return 'trusted';
    }
    const kind = classifyDatagram(data, this.#o.maxMessageSize);
    if (kind !== 'message') return this.#handOverOrShed(index, data, rawAddress, port, kind);
    const msg = parseMessage(data, { framing: 'datagram' });
    if (isSipError(msg)) return this.#request(index, data, rawAddress, address, port, msg.code === 'SIP_TOO_LARGE' ? 'too-large' : 'malformed', null);
    if (!msg.isRequest) return this.#handOverOrShed(index, data, rawAddress, port, 'response');
    if (msg.method === 'ACK') return this.#handOverOrShed(index, data, rawAddress, port, 'ACK');
    return this.#request(index, data, rawAddress, address, port, 'not-from-provider', KNOWN_METHODS.has(msg.method) ? msg.method : 'other');
  }

  /** The tally since the last call (null when nothing was read), and a fresh one started. */
  takeTally(): ReaderTally | null {
    if (this.#read === 0) return null;
    const g: TallyGroup[] = this.#groups.map((group) => [group.index, group.reason, group.method, group.sources, group.unnamed]);
    const tally: ReaderTally = { t: 'tally', g, read: this.#read, shed: this.#shed, lost: this.#lost };
    this.#bySource = new Map();
    this.#other = new Map();
    this.#groups = [];
    this.#tallied = 0;
    this.#read = 0;
    this.#lost = 0;
    this.#shed = {};
    return tally;
  }

  #request(index: number, data: Buffer, rawAddress: string, address: string, port: number, reason: TallyReason, method: string | null): ReaderOutcome {
    const now = this.#o.now();
    const window = Math.floor(now / this.#o.sampleWindowMs);
    if (window !== this.#sampleWindow) {
      this.#sampleWindow = window;
      this.#sampled.clear();
    }
    // The budget first: under a flood it is spent, and the source need not be looked up.
    const budget = this.#refill(now) >= 1;
    const sampleKey = budget ? (reason === 'not-from-provider' ? address : `${address}\u0000${reason}`) : null;
    const sighted = this.#door.sight(hashAddress(address), now);
    if (sampleKey !== null && !this.#sampled.has(sampleKey) && this.#sampled.size < (this.#o.maxSampledKeys ?? DEFAULT_MAX_SAMPLED_KEYS)) {
      this.#tokens--;
      this.#sampled.add(sampleKey);
      this.#handOver(index, data, rawAddress, port);
      return 'handed-over';
    }
    // Unnamed only while the budget is spent: a flood of new sources, whose requests the guard
    // counts into its overflow row anyway; otherwise a source's first request here is handed over.
    if (sighted || budget) this.#count(index, address, port, reason, method);
    else this.#countUnnamed(index, reason, method);
    return 'tallied';
  }

  /** One more request of this kind from a source this reader had not sighted. */
  #countUnnamed(index: number, reason: TallyReason, method: string | null): void {
    const g = this.#group(index, reason, method);
    if (g < 0) this.#lost++;
    else this.#groups[g]!.unnamed++;
  }

  /** One more request of this source and kind (no string is built for a source's usual kind). */
  #count(index: number, address: string, port: number, reason: TallyReason, method: string | null): void {
    const first = this.#bySource.get(address);
    let counted = first !== undefined && sameKind(this.#groups[first % MAX_GROUPS]!, index, reason, method) ? first : undefined;
    const otherKey = first !== undefined && counted === undefined ? `${address}\u0000${index}\u0000${reason}\u0000${method}` : '';
    if (otherKey !== '') counted = this.#other.get(otherKey);
    if (counted !== undefined) {
      const sources = this.#groups[counted % MAX_GROUPS]!.sources;
      const at = Math.floor(counted / MAX_GROUPS);
      sources[at] = (sources[at] as number) + 1;
      return;
    }
    const g = this.#group(index, reason, method);
    if (g < 0 || this.#tallied >= (this.#o.maxTallyKeys ?? DEFAULT_MAX_TALLY_KEYS)) {
      this.#lost++;
      return;
    }
    this.#tallied++;
    const at = this.#groups[g]!.sources.push(address, port, 1) - 1;
    if (otherKey === '') this.#bySource.set(address, at * MAX_GROUPS + g);
    else this.#other.set(otherKey, at * MAX_GROUPS + g);
  }

  /** The number of the group of this kind (-1: too many kinds). */
  #group(index: number, reason: TallyReason, method: string | null): number {
    const groups = this.#groups;
    for (let g = 0; g < groups.length; g++) if (sameKind(groups[g]!, index, reason, method)) return g;
    if (groups.length === MAX_GROUPS) return -1;
    groups.push({ index, reason, method, sources: [], unnamed: 0 });
    return groups.length - 1;
  }

  #handOverOrShed(index: number, data: Buffer, rawAddress: string, port: number, kind: string): ReaderOutcome {
    if (this.#take(this.#o.now())) {
      this.#handOver(index, data, rawAddress, port);
      return 'handed-over';
    }
    this.#shed[kind] = (this.#shed[kind] ?? 0) + 1;
    return 'shed';
  }

  /** One token of the hand-over bucket, refilled first. */
  #take(now: number): boolean {
    if (this.#refill(now) < 1) return false;
    this.#tokens--;
    return true;
  }

  /** The hand-over bucket's tokens, refilled for the time since it was last refilled. */
  #refill(now: number): number {
    const rate = this.#o.handOverPerSecond;
    if (now > this.#refilledAt) {
      if (this.#refilledAt !== -Infinity) this.#tokens = Math.min(rate, this.#tokens + ((now - this.#refilledAt) * rate) / 1000);
      this.#refilledAt = now;
    }
    return this.#tokens;
  }
}

function sameKind(group: Group, index: number, reason: TallyReason, method: string | null): boolean {
  return group.index === index && group.reason === reason && group.method === method;
}

function canonical(address: string): string {
  const ip = parseIp(address, true);
  return ip === null ? address : formatIp(unmapIp(ip));
}
