/**
 * A rejected DNS query as a value: its code, a message a person can act on, and whether it means
 * "there is nothing there" (NXDOMAIN, no records of that type) or "we could not find out" (a timeout,
 * SERVFAIL, an unreachable server). Only the second kind may hide records we had before, so only it
 * makes a refresh keep the last good set alongside the new one.
 */

export interface DnsFailure {
  /** node:dns code (`ENOTFOUND`, `ETIMEOUT`, ...), or `EUNKNOWN` for a rejection without one. */
  readonly code: string;
  /** E.g. "timed out (ETIMEOUT)". */
  readonly message: string;
  /** False when the answer is definitive: the name or the records do not exist. */
  readonly transient: boolean;
}

/** Definitive answers: RFC 1035 NXDOMAIN (`ENOTFOUND`) and NOERROR with no records (`ENODATA`). */
const ABSENT: Readonly<Record<string, string>> = {
  ENOTFOUND: 'no such domain (NXDOMAIN)',
  ENODATA: 'no records of this type',
};

const KNOWN: Readonly<Record<string, string>> = {
  ETIMEOUT: 'timed out',
  ESERVFAIL: 'the DNS server failed (SERVFAIL)',
  EREFUSED: 'the DNS server refused the query (REFUSED)',
  ECONNREFUSED: 'could not contact the DNS server',
  EFORMERR: 'the DNS server rejected the query as malformed (FORMERR)',
  EBADRESP: 'malformed reply from the DNS server',
  ENOTIMP: 'the DNS server does not implement this query (NOTIMP)',
  EBADNAME: 'not a valid domain name',
  ECANCELLED: 'the query was cancelled',
  EDESTRUCTION: 'the resolver was shut down',
  EEOF: 'unexpected end of the DNS reply',
};

export function dnsFailure(error: unknown): DnsFailure {
  const code = errorCode(error);
  const absent = ABSENT[code];
  if (absent !== undefined) return { code, message: `${absent} (${code})`, transient: false };
  const known = KNOWN[code];
  if (known !== undefined) return { code, message: `${known} (${code})`, transient: true };
  const text = error instanceof Error ? error.message : String(error);
  return { code, message: `${text.slice(0, 200)}${code === 'EUNKNOWN' ? '' : ` (${code})`}`, transient: true };
}

function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
  }
  return 'EUNKNOWN';
}
