/**
 * The simulated provider: one SIP endpoint (its own loopback address) that is both the registrar
 * (`sim-registrar.ts`) and the proxy that delivers calls (`sim-caller.ts`), as a real provider's edge
 * is. Everything it receives comes from the guard's WAN leg: REGISTERs go to the registrar,
 * responses and the phone's BYEs to the calls.
 */
import type { SipMessage } from '../sip/message.js';
import type { Logger } from '../transport/logger.js';
import type { Clock } from '../util/clock.js';
import type { LabRandom } from './lab-random.js';
import type { LabTimers } from './lab-timers.js';
import type { LabTiming } from './lab-timing.js';
import { SimCaller, type CallerHooks } from './sim-caller.js';
import { SimRegistrar, type RegistrarAccount } from './sim-registrar.js';
import { SipPeer, type Incoming } from './sip-peer.js';
import { response } from './sip-text.js';
import type { Endpoint } from '../transport/flow.js';

export interface ProviderOptions {
  readonly listen: Endpoint;
  readonly domain: string;
  readonly account: RegistrarAccount;
  readonly timing: LabTiming;
  readonly timers: LabTimers;
  readonly clock: Clock;
  readonly random: LabRandom;
  readonly hooks: CallerHooks;
  readonly logger?: Logger;
}

export interface ProviderStats {
  /** Requests other than REGISTER and the calls' BYEs (none expected). */
  readonly otherRequests: number;
}

export class SimProvider {
  readonly peer: SipPeer;
  readonly registrar: SimRegistrar;
  readonly caller: SimCaller;
  readonly aor: string;
  #otherRequests = 0;

  constructor(o: ProviderOptions) {
    this.aor = `sip:${o.account.user}@${o.domain}`;
    this.peer = new SipPeer(o.listen, (incoming) => this.#receive(incoming), o.logger);
    this.registrar = new SimRegistrar({ domain: o.domain, accounts: [o.account], clock: o.clock, random: o.random });
    this.caller = new SimCaller({
      peer: this.peer,
      domain: o.domain,
      aor: this.aor,
      contacts: () => this.registrar.contacts(this.aor),
      timing: o.timing,
      timers: o.timers,
      clock: o.clock,
      random: o.random,
      hooks: o.hooks,
    });
  }

  start(): Promise<Endpoint> {
    return this.peer.start();
  }

  stop(): Promise<void> {
    return this.peer.stop();
  }

  stats(): ProviderStats {
    return { otherRequests: this.#otherRequests };
  }

  #receive({ msg, from }: Incoming): void {
    const reply = (text: string): void => this.peer.send(from, text);
    if (!msg.isRequest) return this.caller.response(msg);
    if (msg.method === 'REGISTER') return this.registrar.handle(msg, from, reply);
    if (msg.method === 'BYE' && this.caller.bye(msg, reply)) return;
    if (msg.method === 'ACK') return;
    this.#otherRequests++;
    reply(refusal(msg));
  }
}

function refusal(msg: SipMessage): string {
  return msg.method === 'BYE'
    ? response(msg, 481, 'Call/Transaction Does Not Exist')
    : response(msg, 405, 'Method Not Allowed', { headers: [['Allow', 'INVITE, ACK, CANCEL, BYE, REGISTER']] });
}
