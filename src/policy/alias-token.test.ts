import { describe, expect, it } from 'vitest';
import { parseUri } from '../sip/uri.js';
import { extractAliasToken, looksLikeAliasToken, requestUser } from './alias-token.js';
import { TOKEN } from './test-kit.js';

describe('alias tokens in Request-URIs', () => {
  it('extracts the user part of a sip/sips URI, %-escapes undone', () => {
    expect(extractAliasToken(`sip:${TOKEN}@192.0.2.30:40211`)).toBe(TOKEN);
    expect(extractAliasToken(`sips:${TOKEN}@192.0.2.30:40212;transport=tls`)).toBe(TOKEN);
    expect(extractAliasToken('sip:k7q2%6D9x@192.0.2.30')).toBe('k7q2m9x');
    expect(extractAliasToken(parseUri(`sip:${TOKEN}@[2001:db8::1]:40211`))).toBe(TOKEN);
  });

  it('gives null without a user, for other schemes, and for a URI that does not parse', () => {
    expect(extractAliasToken('sip:192.0.2.30:40211')).toBeNull();
    expect(extractAliasToken('tel:+81312345678')).toBeNull();
    expect(extractAliasToken('mailto:a@example.test')).toBeNull();
    expect(extractAliasToken('sip:')).toBeNull();
    expect(extractAliasToken(parseUri('not a uri'))).toBeNull();
  });

  it('requestUser: the sip user, or the tel number', () => {
    expect(requestUser(parseUri('sip:100@192.0.2.30'))).toBe('100');
    expect(requestUser(parseUri('tel:+81-3-1234-5678'))).toBe('+81-3-1234-5678');
    expect(requestUser(parseUri('sip:192.0.2.30'))).toBeNull();
  });

  it('tells token-shaped users (>= 96 bits of base32 / hex / base64url) from extensions and dial strings', () => {
    expect(looksLikeAliasToken(TOKEN)).toBe(true);
    expect(looksLikeAliasToken('0123456789abcdef01234567')).toBe(true); // 96-bit hex
    expect(looksLikeAliasToken('Zk9_x-3QpLr7TmWa')).toBe(true); // 96-bit base64url
    expect(looksLikeAliasToken('100')).toBe(false);
    expect(looksLikeAliasToken('sipvicious')).toBe(false);
    expect(looksLikeAliasToken('0046701234567890123')).toBe(false); // all digits: a dial string
    expect(looksLikeAliasToken('+81312345678901234')).toBe(false);
    expect(looksLikeAliasToken('k7q2m9x4w3p8r5t6;y1z')).toBe(false);
    expect(looksLikeAliasToken('a'.repeat(65))).toBe(false);
    expect(looksLikeAliasToken(null)).toBe(false);
  });
});
