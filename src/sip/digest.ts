/**
 * Digest authentication values: WWW-Authenticate / Proxy-Authenticate challenges and Authorization /
 * Proxy-Authorization credentials (RFC 3261 §22.4 and §25.1, RFC 2617 §3, RFC 7616 for SHA-256).
 *
 *   challenge   = ("Digest" LWS digest-cln *(COMMA digest-cln)) / other-challenge
 *   other-challenge = auth-scheme LWS auth-param *(COMMA auth-param)
 *   auth-param  = auth-param-name EQUAL ( token / quoted-string )
 *
 * The guard never knows a password: it parses these values to count failed registrations (svcrack
 * guesses) and to explain them. `digestResponse` / `answerDigestChallenge` act as a client for tests
 * and the lab.
 *
 * All strings are byte strings (one char = one byte, as the parser produces them) and are hashed
 * byte for byte; a password typed by a person as UTF-8 text must be converted first
 * (`Buffer.from(text, 'utf8').toString('latin1')`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { SipError } from './errors.js';
import type { DigestParams } from './types.js';
import { CLASS, LWS, TOKEN, bytesOf, equalsLower, skipClass, skipLws } from './chars.js';
import { lowerName } from './params.js';
import { quote, scanQuotedString, unquote } from './quoted-string.js';

const COMMA = 0x2c;
const EQUAL = 0x3d;
const QUOTE = 0x22;

/**
 * Parses a challenge or credentials value: the scheme, then comma-separated `name=value` pairs.
 * Names are lower-cased and quoted values unquoted. Empty list elements (`a=1,,b=2`) are skipped
 * (RFC 7230 §7); a repeated parameter is an error ("each parameter name MUST only occur once per
 * challenge", RFC 7235 §2.1). Errors are `SIP_BAD_DIGEST` with offsets into `text`.
 */
export function parseDigest(text: string): DigestParams | SipError {
  const len = text.length;
  const schemeStart = skipLws(text, 0, len);
  const schemeEnd = skipClass(text, schemeStart, len, TOKEN);
  if (schemeEnd === schemeStart) return bad('expected the authentication scheme', schemeStart);
  let i = skipLws(text, schemeEnd, len);
  if (i === len) return bad('expected parameters after the scheme', i);
  if (i === schemeEnd) return bad('expected white space after the scheme', i);

  const params = new Map<string, string | null>();
  const bytes = bytesOf(text);
  while (i < len) {
    const nameEnd = skipClass(text, i, len, TOKEN);
    if (nameEnd === i) return bad('expected a parameter name', i);
    const name = lowerName(text, bytes, i, nameEnd);
    const eq = skipLws(text, nameEnd, len);
    if (eq >= len || text.charCodeAt(eq) !== EQUAL) return bad(`expected "=" after "${name}"`, eq);
    const valueStart = skipLws(text, eq + 1, len);
    let value: string;
    let valueEnd: number;
    if (valueStart < len && text.charCodeAt(valueStart) === QUOTE) {
      valueEnd = scanQuotedString(text, valueStart, len);
      if (valueEnd < 0) return bad(`bad quoted value for "${name}"`, ~valueEnd);
      value = unquote(text, valueStart, valueEnd);
    } else {
      valueEnd = skipClass(text, valueStart, len, TOKEN);
      if (valueEnd === valueStart) return bad(`expected a value for "${name}"`, valueStart);
      value = text.slice(valueStart, valueEnd);
    }
    if (params.has(name)) return bad(`duplicate parameter "${name}"`, i);
    params.set(name, value);
    i = skipLws(text, valueEnd, len);
    if (i < len && text.charCodeAt(i) !== COMMA) return bad('expected "," between parameters', i);
    while (i < len && (text.charCodeAt(i) === COMMA || (CLASS[text.charCodeAt(i)]! & LWS) !== 0)) i++;
  }
  const scheme = equalsLower(text, schemeStart, schemeEnd, 'digest')
    ? 'Digest'
    : text.slice(schemeStart, schemeEnd);
  return { scheme, params };
}

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface DigestResponseInput {
  algorithm?: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

/**
 * The `response` value, RFC 2617 §3.2.2.1 (RFC 7616 §3.4.1 for SHA-256), lower-case hex:
 *   HA1 = H(username ":" realm ":" password), HA2 = H(method ":" digest-uri)
 *   qop=auth: H(HA1 ":" nonce ":" nc ":" cnonce ":" "auth" ":" HA2); without qop: H(HA1 ":" nonce ":" HA2)
 * With qop, `cnonce` is required (a programming error otherwise: this throws) and `nc` defaults to
 * 00000001.
 */
export function digestResponse(input: DigestResponseInput): string {
  const algorithm = input.algorithm === 'SHA-256' ? 'sha256' : 'md5';
  const h = (s: string): string => createHash(algorithm).update(s, 'latin1').digest('hex');
  const ha1 = h(`${input.username}:${input.realm}:${input.password}`);
  const ha2 = h(`${input.method}:${input.uri}`);
  if (input.qop === 'auth') {
    if (input.cnonce === undefined || input.cnonce === '') {
      throw new TypeError('digestResponse: qop=auth needs a cnonce');
    }
    return h(`${ha1}:${input.nonce}:${input.nc ?? '00000001'}:${input.cnonce}:auth:${ha2}`);
  }
  return h(`${ha1}:${input.nonce}:${ha2}`);
}

export interface DigestCredentialsInput {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm?: DigestAlgorithm;
  opaque?: string;
  qop?: 'auth';
  nc?: string;
  cnonce?: string;
}

/**
 * An Authorization / Proxy-Authorization value (RFC 3261 §25.1 `credentials`): quoted strings for
 * username, realm, nonce, uri, response, cnonce and opaque; tokens for algorithm, qop and nc.
 */
export function formatDigestCredentials(input: DigestCredentialsInput): string {
  let out =
    `Digest username=${quote(input.username)}, realm=${quote(input.realm)}, ` +
    `nonce=${quote(input.nonce)}, uri=${quote(input.uri)}, response=${quote(input.response)}`;
  if (input.algorithm !== undefined) out += `, algorithm=${input.algorithm}`;
  if (input.cnonce !== undefined) out += `, cnonce=${quote(input.cnonce)}`;
  if (input.opaque !== undefined) out += `, opaque=${quote(input.opaque)}`;
  if (input.qop !== undefined) out += `, qop=${input.qop}, nc=${input.nc ?? '00000001'}`;
  return out;
}

/**
 * Answers a parsed Digest challenge as a client: picks qop=auth when the challenge offers it,
 * computes the response and formats the credentials. `SIP_BAD_DIGEST` when the challenge is not a
 * usable Digest challenge (other scheme, no realm or nonce, an algorithm other than MD5 / SHA-256,
 * a qop list without "auth").
 */
export function answerDigestChallenge(
  challenge: DigestParams,
  input: { username: string; password: string; method: string; uri: string; cnonce?: string; nc?: string },
): string | SipError {
  if (challenge.scheme !== 'Digest') return bad(`unsupported scheme "${challenge.scheme}"`, 0);
  const realm = challenge.params.get('realm');
  const nonce = challenge.params.get('nonce');
  if (realm == null || nonce == null) return bad('challenge without realm or nonce', 0);
  const algorithmParam = challenge.params.get('algorithm');
  let algorithm: DigestAlgorithm | undefined;
  if (algorithmParam != null) {
    if (equalsLower(algorithmParam, 0, algorithmParam.length, 'md5')) algorithm = 'MD5';
    else if (equalsLower(algorithmParam, 0, algorithmParam.length, 'sha-256')) algorithm = 'SHA-256';
    else return bad(`unsupported algorithm "${algorithmParam}"`, 0);
  }
  const qopList = challenge.params.get('qop');
  let qop: 'auth' | undefined;
  if (qopList != null) {
    if (!offersAuth(qopList)) return bad('challenge qop does not offer "auth"', 0);
    qop = 'auth';
  }
  const cnonce = qop ? (input.cnonce ?? randomBytes(8).toString('hex')) : undefined;
  const nc = qop ? (input.nc ?? '00000001') : undefined;
  const common = { username: input.username, realm, nonce, uri: input.uri };
  const response = digestResponse({
    ...common,
    password: input.password,
    method: input.method,
    ...(algorithm && { algorithm }),
    ...(qop && { qop, nc, cnonce }),
  });
  const opaque = challenge.params.get('opaque');
  return formatDigestCredentials({
    ...common,
    response,
    ...(algorithm && { algorithm }),
    ...(opaque != null && { opaque }),
    ...(qop && { qop, nc, cnonce }),
  });
}

/** True when the comma-separated qop-options list holds the token "auth". */
function offersAuth(list: string): boolean {
  let i = 0;
  while (i < list.length) {
    const start = skipLws(list, i, list.length);
    const end = skipClass(list, start, list.length, TOKEN);
    if (equalsLower(list, start, end, 'auth')) return true;
    i = end + 1;
  }
  return false;
}

function bad(message: string, offset: number): SipError {
  return new SipError('SIP_BAD_DIGEST', message, offset);
}
