/**
 * The written parts of a Contact (or Route) value that the parser has already accepted: the URI
 * text and the header-parameter text, kept byte for byte. The proxy rebuilds Contacts from them
 * (alias towards the provider, the phone's own towards the phone) without re-quoting parameters:
 * `+sip.instance="<urn:uuid:...>"` (RFC 5626 §4.1) must keep its quotes, and a feature tag's
 * quoted or token form carries meaning (RFC 3840 §9).
 */
import { scanQuotedString } from '../sip/quoted-string.js';

export interface NameAddrParts {
  /** The URI as written, without angle brackets. */
  readonly uri: string;
  /** The header parameters as written, from the first ';' (or '' when there are none). */
  readonly params: string;
}

const QUOTE = 0x22;
const SEMI = 0x3b;
const BACKSLASH = 0x5c;

/** Splits a name-addr / addr-spec value (one that `parseNameAddr` accepted). */
export function nameAddrParts(raw: string): NameAddrParts {
  const text = raw.trim();
  let from = 0;
  if (text.charCodeAt(0) === QUOTE) {
    const end = scanQuotedString(text, 0);
    from = end < 0 ? 0 : end;
  }
  const lt = text.indexOf('<', from);
  if (lt >= 0) {
    const gt = text.indexOf('>', lt + 1);
    if (gt > lt) return { uri: text.slice(lt + 1, gt), params: text.slice(gt + 1).trim() };
  }
  let u = 0;
  while (u < text.length) {
    const c = text.charCodeAt(u);
    if (c === SEMI || c === 0x20 || c === 0x09) break;
    u++;
  }
  return { uri: text.slice(0, u), params: text.slice(u).trim() };
}

/** The ';'-separated pieces of a parameter text, split outside quoted strings (each without its ';'). */
export function splitParams(params: string): string[] {
  const out: string[] = [];
  let start = -1;
  let quoted = false;
  for (let i = 0; i < params.length; i++) {
    const c = params.charCodeAt(i);
    if (quoted) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) quoted = false;
    } else if (c === QUOTE) {
      quoted = true;
    } else if (c === SEMI) {
      if (start >= 0) out.push(params.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (start >= 0) out.push(params.slice(start).trim());
  return out.filter((piece) => piece.length > 0);
}

function paramName(piece: string): string {
  const eq = piece.indexOf('=');
  return (eq < 0 ? piece : piece.slice(0, eq)).trim().toLowerCase();
}

/** The parameter text with `name` set to `value` (a token; null: a flag), replacing or appending it. */
export function withParam(params: string, name: string, value: string | null): string {
  const lower = name.toLowerCase();
  const piece = value === null ? name : `${name}=${value}`;
  let found = false;
  const pieces = splitParams(params).map((p) => {
    if (paramName(p) !== lower) return p;
    found = true;
    return piece;
  });
  if (!found) pieces.push(piece);
  return pieces.map((p) => `;${p}`).join('');
}

/** The parameter text without `name`. */
export function withoutParam(params: string, name: string): string {
  const lower = name.toLowerCase();
  return splitParams(params)
    .filter((p) => paramName(p) !== lower)
    .map((p) => `;${p}`)
    .join('');
}
