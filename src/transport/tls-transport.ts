/**
 * SIP over TLS (RFC 3261 §26.3.1, `sips:`; RFC 5630): TCP framing inside node:tls.
 *
 * Accepted connections are counted against the connection limits as plain TCP sockets, before the
 * TLS handshake, so that a flood costs no handshakes; the handshake itself must finish within
 * `messageTimeoutMs` like any started message. A failed handshake (a plain-text scanner on the TLS
 * port, a bad client hello) is reported as `tls-handshake`.
 *
 * Outbound connections verify the server certificate against `ca` (or the system roots) unless
 * `rejectUnauthorized` is false; the name checked is the destination's `serverName` when given,
 * else its address (RFC 5922 §7.2 wants the SIP domain: the caller passes it as `serverName`).
 *
 * Certificates and keys are Buffers, PEM text, or file paths.
 */
import { readFile } from 'node:fs/promises';
import { isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect, createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import type { Endpoint } from './flow.js';
import { whenReady } from './when-ready.js';
import { StreamTransport, type AcceptedSocket } from './stream-transport.js';
import type { TransportOptions } from './transport.js';

/** A PEM Buffer, PEM text (starts with `-----BEGIN`), or a path to a PEM file. */
export type PemSource = Buffer | string;

export interface TlsSettings {
  readonly cert: PemSource;
  readonly key: PemSource;
  /** Trusted roots for outbound connections; default: Node's built-in roots. */
  readonly ca?: PemSource | readonly PemSource[];
  /** Verify the server certificate on outbound connections (default true). */
  readonly rejectUnauthorized?: boolean;
}

export interface TlsTransportOptions extends TransportOptions {
  readonly tls: TlsSettings;
}

interface LoadedTls {
  readonly context: SecureContext;
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca: Buffer[] | undefined;
}

export class TlsTransport extends StreamTransport {
  readonly #settings: TlsSettings;
  #loaded: LoadedTls | undefined;

  constructor(options: TlsTransportOptions) {
    super('tls', options);
    this.#settings = options.tls;
  }

  protected override async prepare(): Promise<void> {
    const { cert, key, ca } = this.#settings;
    const [certPem, keyPem] = await Promise.all([loadPem(cert), loadPem(key)]);
    const caPem = ca === undefined ? undefined : await Promise.all((Array.isArray(ca) ? ca : [ca]).map(loadPem));
    const context = createSecureContext({ cert: certPem, key: keyPem, minVersion: 'TLSv1.2' });
    this.#loaded = { context, cert: certPem, key: keyPem, ca: caPem };
  }

  protected acceptSocket(raw: Socket): AcceptedSocket {
    const socket = new TLSSocket(raw, { isServer: true, secureContext: this.#tls().context });
    return { socket, onSecure: (listener) => socket.once('secure', listener) };
  }

  protected openSocket(remote: Endpoint, serverName: string | undefined, timeoutMs: number): Promise<Socket> {
    const loaded = this.#tls();
    const name = serverName ?? remote.address;
    const socket = connect({
      host: remote.address,
      port: remote.port,
      ca: loaded.ca,
      minVersion: 'TLSv1.2',
      rejectUnauthorized: this.#settings.rejectUnauthorized !== false,
      // SNI carries names only (RFC 6066 §3); the certificate check uses `name` either way.
      ...(isIP(name) === 0 ? { servername: name } : {}),
      checkServerIdentity: (_host, cert) => checkServerIdentity(name, cert),
    });
    return whenReady(socket, 'secureConnect', remote, timeoutMs);
  }

  #tls(): LoadedTls {
    if (this.#loaded === undefined) throw new Error('tls transport: listen() first');
    return this.#loaded;
  }
}

async function loadPem(source: PemSource): Promise<Buffer> {
  if (typeof source !== 'string') return source;
  if (source.startsWith('-----BEGIN')) return Buffer.from(source, 'utf8');
  return readFile(source);
}
