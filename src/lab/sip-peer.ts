/**
 * A simulated SIP endpoint of the lab (provider, phone, scanner): one real UDP socket on its own
 * loopback address, made with the guard's own UdpTransport. Received datagrams are parsed and handed
 * on with their source; keep-alives (CRLF) are counted, unparsable bytes too.
 *
 * The port is a preference: when it is taken (a second demo, a test running beside one) the peer takes
 * a free port on the same address instead, so two labs never collide.
 */
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parse.js';
import type { Endpoint } from '../transport/flow.js';
import { silentLogger, type Logger } from '../transport/logger.js';
import { UdpTransport } from '../transport/udp-transport.js';
import { LabError, loopbackHint } from './lab-error.js';

export interface Incoming {
  readonly msg: SipMessage;
  readonly from: Endpoint;
}

export interface PeerStats {
  readonly sent: number;
  readonly received: number;
  readonly unparsable: number;
  readonly keepAlives: number;
  readonly sendErrors: number;
}

export class SipPeer {
  readonly #preferred: Endpoint;
  readonly #onMessage: (incoming: Incoming) => void;
  readonly #logger: Logger;
  #transport: UdpTransport | undefined;
  #address: Endpoint | undefined;
  #stats = { sent: 0, received: 0, unparsable: 0, keepAlives: 0, sendErrors: 0 };

  /** `logger` hears of a handler that threw (a bug of the lab: the socket goes on). */
  constructor(preferred: Endpoint, onMessage: (incoming: Incoming) => void, logger: Logger = silentLogger) {
    this.#preferred = preferred;
    this.#onMessage = onMessage;
    this.#logger = logger;
  }

  /** Binds the preferred endpoint, else a free port on the same address. */
  async start(): Promise<Endpoint> {
    if (this.#transport !== undefined) throw new LabError('GG_ERR_LAB_STATE', 'SipPeer.start() called twice');
    try {
      this.#transport = await this.#bind(this.#preferred.port);
    } catch (err) {
      if (codeOf(err) === 'EADDRNOTAVAIL') throw new LabError('GG_ERR_LAB_ADDRESS', loopbackHint(this.#preferred.address), { cause: err });
      if (this.#preferred.port === 0 || codeOf(err) !== 'EADDRINUSE') throw err;
      this.#transport = await this.#bind(0);
    }
    this.#address = this.#transport.address();
    return this.#address;
  }

  get address(): Endpoint {
    if (this.#address === undefined) throw new LabError('GG_ERR_LAB_STATE', 'the peer is not started');
    return this.#address;
  }

  stats(): PeerStats {
    return { ...this.#stats };
  }

  /** Sends SIP text (or bytes) as one datagram. A failure is counted, never thrown: the lab goes on. */
  send(to: Endpoint, message: string | Buffer): void {
    const transport = this.#transport;
    if (transport === undefined) return;
    const bytes = typeof message === 'string' ? Buffer.from(message, 'latin1') : message;
    this.#stats.sent++;
    transport.send({ transport: 'udp', address: to.address, port: to.port }, bytes).catch(() => {
      this.#stats.sendErrors++;
    });
  }

  async stop(): Promise<void> {
    const transport = this.#transport;
    this.#transport = undefined;
    await transport?.close();
  }

  async #bind(port: number): Promise<UdpTransport> {
    const transport = new UdpTransport({
      listen: [{ address: this.#preferred.address, port }],
      onMessage: ({ data, flow }) => {
        const msg = parseMessage(data);
        if (isSipError(msg)) {
          this.#stats.unparsable++;
          return;
        }
        this.#stats.received++;
        this.#onMessage({ msg, from: flow.remote });
      },
      onKeepAlive: () => {
        this.#stats.keepAlives++;
      },
      logger: this.#logger,
    });
    await transport.listen();
    return transport;
  }
}

function codeOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}
