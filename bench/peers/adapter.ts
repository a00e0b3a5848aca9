/**
 * One parser under test, behind the same tiny seam: turn wire bytes into what the parser takes, then
 * parse one message and read the fields every SIP element needs first (RFC 3261 §8.1.1: From, To,
 * Call-ID, CSeq, and the top Via), each through the parser's own API.
 */

/** The fields read from every message; reused between calls so that reading allocates nothing. */
export interface Fields {
  fromUser: string;
  fromHost: string;
  fromTag: string;
  toUser: string;
  toHost: string;
  toTag: string;
  viaHost: string;
  viaBranch: string;
  cseqSeq: number;
  cseqMethod: string;
  callId: string;
}

export function emptyFields(): Fields {
  return {
    fromUser: '',
    fromHost: '',
    fromTag: '',
    toUser: '',
    toHost: '',
    toTag: '',
    viaHost: '',
    viaBranch: '',
    cseqSeq: 0,
    cseqMethod: '',
    callId: '',
  };
}

export interface ParserAdapter<Input> {
  /** Short name for tables, e.g. `sip`. */
  readonly name: string;
  readonly version: string;
  /**
   * What the parser is handed: ghostguard takes the datagram's Buffer; the peers take a string, decoded
   * here, outside the timed loop (which favours them, never us).
   */
  prepare(bytes: Buffer): Input;
  /** Parses `input` and fills `out`; returns null on success, else why it failed (never throws). */
  read(input: Input, out: Fields): string | null;
}

/** An adapter with its input type erased, so that adapters of different parsers fit in one list. */
export type AnyAdapter = ParserAdapter<unknown>;

export function erase<Input>(adapter: ParserAdapter<Input>): AnyAdapter {
  return adapter as unknown as AnyAdapter;
}

/** The fields every corpus message has; an empty one means the parser did not really read it. */
export function missingField(f: Fields): string | null {
  if (f.fromHost === '') return 'From host not read';
  if (f.toHost === '') return 'To host not read';
  if (f.viaHost === '') return 'Via host not read';
  if (f.viaBranch === '') return 'Via branch not read';
  if (f.callId === '') return 'Call-ID not read';
  if (!Number.isFinite(f.cseqSeq) || f.cseqMethod === '') return 'CSeq not read';
  return null;
}

/** Text of a thrown value, for the failure report. */
export function describeThrown(e: unknown): string {
  return e instanceof Error ? `threw ${e.name}: ${e.message}` : `threw ${String(e)}`;
}
