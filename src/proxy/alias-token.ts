/**
 * Alias tokens (DESIGN §2): the user part of the Contact the provider sees for a phone,
 * `sip:<token>@<guard public address>:<WAN port>`. A token is the only secret that separates a real
 * provider call from a copy aimed at the guard by someone who only knows its address, so it is drawn
 * from the system CSPRNG: 120 bits (≥ 96 as DESIGN asks), written as 24 lower-case base32 letters
 * (RFC 4648 alphabet `a-z2-7`), which are all `unreserved` characters of a SIP user part
 * (RFC 3261 §25.1): no escaping, and case-insensitive comparison cannot merge two tokens.
 *
 * Stability (same phone AOR + same phone Contact → same token across refreshes) is the registration
 * relay's job: it looks the binding up before asking for a new token (`registration-relay.ts`).
 */
import { randomBytes } from 'node:crypto';

/** Random bits in a token. */
export const ALIAS_TOKEN_BITS = 120;
/** Characters in a token (5 bits each). */
export const ALIAS_TOKEN_LENGTH = ALIAS_TOKEN_BITS / 5;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A fresh token; `random` is injectable for tests (it must return `ALIAS_TOKEN_BITS / 8` bytes). */
export function newAliasToken(random: (bytes: number) => Uint8Array = randomBytes): string {
  const bytes = random(ALIAS_TOKEN_BITS / 8);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < ALIAS_TOKEN_BITS / 8; i++) {
    buffer = ((buffer << 8) | (bytes[i] ?? 0)) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31];
    }
  }
  return out;
}

/**
 * Whether `text` has the shape of a token: exactly 24 characters of `a-z2-7`. Upper case is accepted
 * and means the same token (RFC 3261 §19.1.4 compares the user part case-sensitively, but a token
 * that went through a provider that lower- or upper-cases it must still be recognised); callers look
 * tokens up with {@link canonicalAliasToken}.
 */
export function isAliasToken(text: string | null | undefined): text is string {
  if (text == null || text.length !== ALIAS_TOKEN_LENGTH) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    const letter = c >= 0x61 && c <= 0x7a;
    const digit = text.charCodeAt(i) >= 0x32 && text.charCodeAt(i) <= 0x37;
    if (!letter && !digit) return false;
  }
  return true;
}

/** The canonical (lower-case) spelling of a token, or null when `text` is not one. */
export function canonicalAliasToken(text: string | null | undefined): string | null {
  return isAliasToken(text) ? text.toLowerCase() : null;
}
