/**
 * The simulated provider's registrar (RFC 3261 §10.3): digest authentication (§22.4: a 401 with a
 * fresh nonce, then the phone's answer checked against the password and the Request-URI it signed),
 * bindings per address-of-record with their expiry, and a 200 listing every current binding (§10.3
 * step 8). Like a real registrar behind which the guard is seen, it adds `received` and `rport` to the
 * top Via (RFC 3581 §4), which is how the guard learns its public address.
 */
import { digestResponse, parseDigest } from '../sip/digest.js';
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import type { Endpoint } from '../transport/flow.js';
import type { Clock } from '../util/clock.js';
import type { LabRandom } from './lab-random.js';
import { response, uriOf } from './sip-text.js';

export interface RegistrarAccount {
  readonly user: string;
  readonly password: string;
}

export interface RegistrarOptions {
  readonly domain: string;
  readonly accounts: readonly RegistrarAccount[];
  readonly clock: Clock;
  readonly random: LabRandom;
  /** Longest expiry granted, in seconds (default 3600). */
  readonly maxExpires?: number;
}

export interface RegistrarStats {
  readonly challenged: number;
  readonly accepted: number;
  readonly refused: number;
}

/** Nonces remembered (a bounded list: the oldest is forgotten first). */
const NONCES = 32;

export class SimRegistrar {
  readonly #o: RegistrarOptions;
  /** AOR → contact URI → expiry time (ms). */
  readonly #bindings = new Map<string, Map<string, number>>();
  readonly #nonces: string[] = [];
  #stats = { challenged: 0, accepted: 0, refused: 0 };

  constructor(options: RegistrarOptions) {
    this.#o = options;
  }

  /** Answers one REGISTER; `reply` sends the response back to where it came from. */
  handle(req: SipMessage, from: Endpoint, reply: (text: string) => void): void {
    const topVia = viaSeenFrom(req.getAll('Via')[0] ?? '', from);
    const aor = uriOf(req.get('To') ?? '').toLowerCase();
    const authorization = req.get('Authorization');
    if (authorization === undefined || !this.#authorized(req, authorization)) {
      this.#stats.challenged++;
      const nonce = this.#newNonce();
      const challenge = `Digest realm="${this.#o.domain}", nonce="${nonce}", algorithm=MD5, qop="auth"`;
      reply(response(req, 401, 'Unauthorized', { topVia, toTag: this.#o.random.hex(8), headers: [['WWW-Authenticate', challenge]] }));
      return;
    }
    const contacts = req.contacts();
    const expiresHeader = req.expires();
    if (isSipError(contacts) || isSipError(expiresHeader)) {
      this.#stats.refused++;
      reply(response(req, 400, 'Bad Request', { topVia, toTag: this.#o.random.hex(8) }));
      return;
    }
    const now = this.#o.clock.now();
    const own = this.#bindings.get(aor) ?? new Map<string, number>();
    if (contacts === '*') own.clear();
    else {
      for (const contact of contacts) {
        const asked = Number(contact.params.get('expires') ?? expiresHeader ?? 3600);
        const seconds = Math.min(Number.isFinite(asked) ? asked : 3600, this.#o.maxExpires ?? 3600);
        const uri = uriOf(contact.raw);
        if (seconds <= 0) own.delete(uri);
        else own.set(uri, now + seconds * 1000);
      }
    }
    this.#bindings.set(aor, own);
    this.#stats.accepted++;
    const listed = [...own].map(([uri, at]) => ['Contact', `<${uri}>;expires=${Math.max(0, Math.round((at - now) / 1000))}`] as const);
    reply(response(req, 200, 'OK', { topVia, toTag: this.#o.random.hex(8), headers: [...listed, ['Date', new Date(now).toUTCString()]] }));
  }

  /** The live contacts of an AOR (`sip:user@domain`), most recently registered last. */
  contacts(aor: string): string[] {
    const now = this.#o.clock.now();
    return [...(this.#bindings.get(aor.toLowerCase()) ?? [])].filter(([, at]) => at > now).map(([uri]) => uri);
  }

  stats(): RegistrarStats {
    return { ...this.#stats };
  }

  #authorized(req: SipMessage, authorization: string): boolean {
    const digest = parseDigest(authorization);
    if (isSipError(digest)) return false;
    const p = (name: string): string => digest.params.get(name) ?? '';
    const account = this.#o.accounts.find((a) => a.user === p('username'));
    if (account === undefined || !this.#nonces.includes(p('nonce')) || p('realm') !== this.#o.domain) return false;
    // §22.4: the response covers the method and the Request-URI the client signed, which must be this request's.
    if (p('uri') !== req.requestUri) return false;
    const qop = p('qop') === 'auth' ? ({ qop: 'auth', nc: p('nc'), cnonce: p('cnonce') } as const) : {};
    if ('qop' in qop && qop.cnonce === '') return false;
    const expected = digestResponse({
      username: account.user,
      realm: this.#o.domain,
      password: account.password,
      method: req.method,
      uri: p('uri'),
      nonce: p('nonce'),
      ...qop,
    });
    return expected === p('response');
  }

  #newNonce(): string {
    const nonce = this.#o.random.hex(16);
    this.#nonces.push(nonce);
    if (this.#nonces.length > NONCES) this.#nonces.shift();
    return nonce;
  }
}

/** The top Via with `received` and `rport` of the address the request really came from (RFC 3581 §4). */
export function viaSeenFrom(via: string, from: Endpoint): string {
  const kept = via
    .split(';')
    .filter((part, i) => i === 0 || !/^\s*(rport|received)\s*(=|$)/i.test(part))
    .join(';');
  return `${kept};received=${from.address};rport=${from.port}`;
}
