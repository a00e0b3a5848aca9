/**
 * The messages between the guard and its WAN reader processes (`reader-main.ts`), over the child
 * process IPC channel (JSON). Datagrams travel base64-encoded; a tally travels as flat arrays.
 *
 * guard → reader: `init` once (which descriptors to adopt, the limits), `trusted` whenever the
 * provider's addresses change (the reader hands every datagram from them to the guard untouched).
 * reader → guard: `ready` once its sockets read, `datagram` for each datagram it hands over whole,
 * `tally` every flush with the stranger requests it refused on the guard's behalf.
 */

/** The socket at `stdio[fd]` of the reader, the transport's socket number `index`. */
export interface ReaderSocket {
  readonly index: number;
  readonly fd: number;
  readonly type: 'udp4' | 'udp6';
}

export interface ReaderInit {
  readonly t: 'init';
  readonly sockets: readonly ReaderSocket[];
  /** The transport's limit: a larger datagram is handed over (the guard reports it `too-large`). */
  readonly maxMessageSize: number;
  /** Stranger datagrams handed over whole a second at most (first requests of new sources, responses, ACKs, keep-alives), bursts of a second. */
  readonly handOverPerSecond: number;
  /** A source's first request is handed over again after this long (the guard's event aggregation window). */
  readonly sampleWindowMs: number;
  /** How often the tally is sent. */
  readonly flushMs: number;
  /** How many readers share the sockets (`reader-pacing.ts`). */
  readonly readers: number;
  readonly trusted: readonly string[];
}

export interface ReaderTrusted {
  readonly t: 'trusted';
  /** Provider addresses and blocks (`ProviderAddressBook.trustedEntries`). */
  readonly entries: readonly string[];
}

export type ToReader = ReaderInit | ReaderTrusted;

export interface ReaderReady {
  readonly t: 'ready';
}

export interface ReaderDatagram {
  readonly t: 'datagram';
  /** Socket index. */
  readonly i: number;
  readonly a: string;
  readonly p: number;
  /** The bytes, base64. */
  readonly d: string;
}

/** Why a tallied request was refused: the reasons the guard itself gives a stranger's request. */
export type TallyReason = 'not-from-provider' | 'malformed' | 'too-large';

/**
 * The requests of one kind in a tally: socket index, reason, method (null when the request did not
 * parse; `other` for one the guard does not count by name, as its stats do), flat, each named
 * source's address, port (of its first request) and count, and the number of requests from sources
 * the reader had not sighted before (counted without their names: `reader-core.ts`).
 */
export type TallyGroup = readonly [index: number, reason: TallyReason, method: string | null, sources: ReadonlyArray<string | number>, unnamed: number];

/** Fields per source in {@link TallyGroup}'s `sources`. */
export const SOURCE_FIELDS = 3;

export interface ReaderTally {
  readonly t: 'tally';
  readonly g: readonly TallyGroup[];
  /** Datagrams read since the last tally (all of them: handed over, tallied and shed). */
  readonly read: number;
  /** Stranger datagrams neither tallied nor handed over (the hand-over budget was spent), by kind. */
  readonly shed: Readonly<Record<string, number>>;
  /** Requests that could not be tallied (the tally was full while the guard was slow to take it). */
  readonly lost: number;
}

export type FromReader = ReaderReady | ReaderDatagram | ReaderTally;
