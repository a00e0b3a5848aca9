/**
 * Alias tokens in Request-URIs.
 *
 * The guard registers `Contact: <sip:TOKEN@guard-public-address:port>` with the provider for each
 * binding, so a real provider call arrives as `INVITE sip:TOKEN@guard-public-address:port`. A token is
 * random (at least 96 bits, base32, hex or base64url): a scanner cannot guess it, and the gate looks it
 * up among the live bindings.
 *
 * Whether a user part merely *looks like* a token only chooses the reason code of a refusal
 * (`unknown-alias`: a token-shaped user that names no live binding, e.g. an expired one;
 * `no-alias`: an extension or number such as `100`), never the gate itself.
 */
import { isSipError, type SipError } from '../sip/errors.js';
import { unescapePercent } from '../sip/text.js';
import type { SipUri, TelUri, Uri } from '../sip/types.js';
import { parseUri } from '../sip/uri.js';

/** 96 bits take 16 base64url, 20 base32 or 24 hex characters. */
export const ALIAS_TOKEN_MIN_LENGTH = 16;
/** Longer user parts are not tokens the guard makes. */
export const ALIAS_TOKEN_MAX_LENGTH = 64;

/** The user part of a sip/sips URI, %-escapes undone (a byte string); null for other schemes or none. */
export function extractAliasToken(uri: Uri | SipError | string): string | null {
  const parsed = typeof uri === 'string' ? parseUri(uri) : uri;
  if (isSipError(parsed)) return null;
  if (!isSipUri(parsed) || parsed.user === null) return null;
  return unescapePercent(parsed.user);
}

/**
 * The user a request is addressed to, for people and for the number lookup of the rewrite fallback:
 * the unescaped user of a sip/sips URI, or the number of a tel URI; null when there is none.
 */
export function requestUser(uri: Uri | SipError): string | null {
  if (isSipError(uri)) return null;
  if (isTelUri(uri)) return uri.number;
  return extractAliasToken(uri);
}

export function isSipUri(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

export function isTelUri(uri: Uri): uri is TelUri {
  return uri.scheme === 'tel';
}

/**
 * Whether a user part has the shape of a guard token: 16 to 64 characters of `A-Z a-z 0-9 - _`, and not
 * only digits (a long digit string is a dial string, e.g. an international number).
 */
export function looksLikeAliasToken(user: string | null): boolean {
  if (user === null || user.length < ALIAS_TOKEN_MIN_LENGTH || user.length > ALIAS_TOKEN_MAX_LENGTH) return false;
  let letters = 0;
  for (let i = 0; i < user.length; i++) {
    const c = user.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39;
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (letter) letters++;
    else if (!digit && c !== 0x2d && c !== 0x5f) return false;
  }
  return letters > 0;
}
