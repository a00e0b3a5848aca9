/**
 * The demo lab (DESIGN §3 `lab`, issue 4 item 1): the REAL guard on real UDP sockets, with a
 * simulated provider, phone and scanners around it, each on its own loopback address — no root, no
 * config file, no network (even the guard's DNS lookup of the provider is answered in-process).
 *
 * ```
 *  provider 127.0.0.2:5060 ──┐
 *   (registrar, callers)     ├─► WAN 127.0.0.3:<random>  GUARD  LAN 127.0.0.4:5060 ◄── phone 127.0.0.5:5062
 *  scanners 127.0.0.10–17 ───┘   only the provider's calls to the phone's alias pass
 * ```
 *
 * For a dashboard: `guard` (stats, status), `store` (events with reasons and explanations, bindings,
 * bans), `subscribe()` (every lab happening, live; `history()` for the recent past) and `tally()`.
 * Everything `start()` opens — sockets, timers, the store it opened itself — `stop()` closes.
 */
import type { Classification } from '../policy/gate-context.js';
import { Guard } from '../proxy/guard.js';
import { providerAddressesFromConfig } from '../proxy/provider/provider-addresses-from-config.js';
import type { SipMessage } from '../sip/message.js';
import type { GuardEvent } from '../store/guard-event.js';
import { MEMORY_STORE, openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { silentLogger, type Logger } from '../transport/logger.js';
import { systemClock, type Clock } from '../util/clock.js';
import { freeUdpPort } from './free-udp-port.js';
import { labAddresses, type LabAddresses } from './lab-addresses.js';
import { labConfig } from './lab-config.js';
import { LabError } from './lab-error.js';
import type { LabEvent, LabListener } from './lab-event.js';
import type { LabPlan } from './lab-plan.js';
import { LabEventBus } from './lab-event-bus.js';
import { LabRandom } from './lab-random.js';
import { LabTallyKeeper, type LabTally } from './lab-tally.js';
import { LabTimers } from './lab-timers.js';
import { labTiming, type LabTiming } from './lab-timing.js';
import { LabZone } from './lab-zone.js';
import { SCANNER_FAMILIES } from './scanners/families.js';
import { SCANNER_IDS, type ScannerId } from './scanners/scanner-id.js';
import { SimPhone, type PhoneStats } from './sim-phone.js';
import { SimProvider } from './sim-provider.js';
import { SimScanner } from './sim-scanner.js';
import { SipPeer } from './sip-peer.js';
import { watchedStore } from './watched-store.js';

export type { LabPlan };

export interface DemoLabOptions {
  /** An open store, which the caller closes (so it can still read it after `stop()`). Default: a private in-memory store, closed by `stop()`. */
  readonly store?: Store;
  readonly clock?: Clock;
  /** The guard's logger (and the lab's, for its own faults). */
  readonly logger?: Logger;
  /** Seed of the lab's randomness (scanner values, callers' jitter). Default: a random one. */
  readonly seed?: number;
  readonly timing?: Partial<LabTiming>;
  /** Divides every interval of the lab (1: the real pace; tests use 4–5). */
  readonly speed?: number;
  readonly addresses?: LabAddresses;
  /** Scanner families to run (default: all). */
  readonly scanners?: readonly ScannerId[];
  /** The defense layer's scanner classifier, to label events with their family (default: none). */
  readonly classify?: (msg: SipMessage) => Classification | null;
  /** Lab events kept for `history()` (default 500). */
  readonly historySize?: number;
  readonly onListenerError?: (error: unknown, event: LabEvent) => void;
}

export type LabState = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

interface Running {
  readonly store: Store;
  readonly ownsStore: boolean;
  guard: Guard | undefined;
  provider: SimProvider | undefined;
  phone: SimPhone | undefined;
  phonePeer: SipPeer | undefined;
  readonly scanners: SimScanner[];
  plan: LabPlan | undefined;
}

export class DemoLab {
  readonly #o: DemoLabOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #addresses: LabAddresses;
  readonly #timing: LabTiming;
  readonly #random: LabRandom;
  readonly #timers: LabTimers;
  readonly #bus: LabEventBus;
  readonly #tally = new LabTallyKeeper();
  /** Source address → scanner, to tell which scanner a blocked request came from. */
  readonly #scannerAt = new Map<string, ScannerId>();
  #state: LabState = 'new';
  #running: Running | undefined;
  /** Settles when a `start()` in progress has finished (started or cleaned up). */
  #starting: Promise<void> = Promise.resolve();
  /** Settles when everything is closed. */
  #stopping: Promise<void> = Promise.resolve();

  constructor(options: DemoLabOptions = {}) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#addresses = options.addresses ?? labAddresses();
    this.#timing = labTiming(options.timing, options.speed);
    this.#random = new LabRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31));
    this.#timers = new LabTimers(this.#clock);
    this.#bus = new LabEventBus({
      ...(options.historySize === undefined ? {} : { historySize: options.historySize }),
      onListenerError: options.onListenerError ?? ((error) => this.#logger.error('a lab listener threw', { error: String(error) })),
    });
    this.#bus.subscribe(this.#tally.take);
  }

  get state(): LabState {
    return this.#state;
  }

  get seed(): number {
    return this.#random.seed;
  }

  /** The real guard (after `start()`). */
  get guard(): Guard {
    const guard = this.#running?.guard;
    if (guard === undefined) throw new LabError('GG_ERR_LAB_STATE', 'the lab is not running');
    return guard;
  }

  /** The guard's store: events (with reasons and explanations), bindings, bans. */
  get store(): Store {
    const running = this.#running;
    if (running === undefined) throw new LabError('GG_ERR_LAB_STATE', 'the lab is not running');
    return running.store;
  }

  plan(): LabPlan {
    const plan = this.#running?.plan;
    if (plan === undefined) throw new LabError('GG_ERR_LAB_STATE', 'the lab is not running');
    return plan;
  }

  /** Every lab happening from now on; returns the unsubscribe function. */
  subscribe(listener: LabListener): () => void {
    return this.#bus.subscribe(listener);
  }

  /** The most recent lab events, oldest first. */
  history(): readonly LabEvent[] {
    return this.#bus.history();
  }

  tally(): LabTally {
    return this.#tally.snapshot();
  }

  /** The phone's own count of what reached it (rings, and requests that were not calls). */
  phoneStats(): PhoneStats {
    const phone = this.#running?.phone;
    if (phone === undefined) throw new LabError('GG_ERR_LAB_STATE', 'the lab is not running');
    return phone.stats();
  }

  /** Timers of the lab's own peers not yet fired (0 after `stop()`). */
  get pendingTimers(): number {
    return this.#timers.pending;
  }

  async start(): Promise<LabPlan> {
    if (this.#state !== 'new') throw new LabError('GG_ERR_LAB_STATE', 'DemoLab.start() may be called once');
    this.#state = 'starting';
    const ownsStore = this.#o.store === undefined;
    const store = this.#o.store ?? openStore(MEMORY_STORE, { clock: this.#clock });
    const running: Running = { store, ownsStore, guard: undefined, provider: undefined, phone: undefined, phonePeer: undefined, scanners: [], plan: undefined };
    this.#running = running;
    const starting = this.#startAll(running);
    this.#starting = starting.then(
      () => undefined,
      () => undefined,
    );
    try {
      running.plan = await starting;
    } catch (error) {
      await this.#shutdown(running);
      throw error;
    }
    this.#state = 'running';
    this.#bus.emit({ kind: 'lab-started', at: this.#clock.now(), plan: running.plan });
    return running.plan;
  }

  /** Stops and closes everything `start()` opened (waiting for a start in progress first). Idempotent. */
  async stop(): Promise<void> {
    if (this.#state === 'starting') await this.#starting;
    const running = this.#running;
    if (this.#state === 'new') this.#state = 'stopped';
    if (this.#state !== 'running' || running === undefined) return this.#stopping;
    this.#stopping = this.#shutdown(running).then(() => {
      this.#bus.emit({ kind: 'lab-stopped', at: this.#clock.now(), tally: this.tally() });
    });
    return this.#stopping;
  }

  async #shutdown(running: Running): Promise<void> {
    this.#state = 'stopping';
    this.#timers.cancelAll();
    const results = await Promise.allSettled([
      running.guard?.stop(),
      running.provider?.stop(),
      running.phonePeer?.stop(),
      ...running.scanners.map((s) => s.stop()),
    ]);
    if (running.ownsStore) running.store.close();
    else running.store.events.flush();
    for (const r of results) if (r.status === 'rejected') this.#logger.warn('a part of the lab did not stop cleanly', { error: String(r.reason) });
    this.#state = 'stopped';
  }

  async #startAll(running: Running): Promise<LabPlan> {
    const a = this.#addresses;
    const timing = this.#timing;
    const clock = this.#clock;
    const random = this.#random;
    const timers = this.#timers;
    const emit = (event: LabEvent): void => this.#bus.emit(event);
    const at = (): number => clock.now();
    const account = { user: a.phoneUser, password: random.hex(12) };

    // The provider first: the guard's config names its address and port.
    const provider = new SimProvider({
      listen: a.provider,
      domain: a.domain,
      account,
      timing,
      timers,
      clock,
      random,
      logger: this.#logger,
      hooks: {
        placed: (callId, caller, number, plan) => emit({ kind: 'call-placed', at: at(), callId, caller, number, plan }),
        skipped: (why) => emit({ kind: 'call-skipped', at: at(), why }),
        answered: (callId) => emit({ kind: 'call-answered', at: at(), callId }),
        cancelled: (callId) => emit({ kind: 'call-cancelled', at: at(), callId }),
        ended: (callId, by, talkMs) => emit({ kind: 'call-ended', at: at(), callId, by, talkMs }),
        failed: (callId, status, why) => emit({ kind: 'call-failed', at: at(), callId, status, why }),
      },
    });
    running.provider = provider;
    const providerAt = await provider.start();

    const lan = { address: a.guardLan.address, port: await freeUdpPort(a.guardLan.address, a.guardLan.port) };
    const config = labConfig({ domain: a.domain, provider: providerAt, wanAddress: a.guardWan, lan, phoneAddress: a.phone.address, store: MEMORY_STORE });
    const guard = new Guard(config, {
      clock,
      logger: this.#logger,
      store: watchedStore(running.store, (event) => this.#blocked(event)),
      providers: providerAddressesFromConfig(config, { resolver: new LabZone(a.domain, providerAt.address), clock, logger: this.#logger }),
      ...(this.#o.classify === undefined ? {} : { classify: this.#o.classify }),
    });
    running.guard = guard;
    await guard.start();
    const wan = { address: a.guardWan, port: guard.status().wanPort };

    let phone: SimPhone | undefined;
    const phonePeer = new SipPeer(a.phone, (incoming) => phone?.receive(incoming), this.#logger);
    running.phonePeer = phonePeer;
    const phoneAt = await phonePeer.start();
    phone = new SimPhone({
      peer: phonePeer,
      user: account.user,
      password: account.password,
      domain: a.domain,
      proxy: lan,
      timing,
      timers,
      random,
      hooks: {
        registered: (expires, refresh) => {
          emit({ kind: 'phone-registered', at: at(), expires, alias: provider.registrar.contacts(provider.aor).at(-1) ?? null, refresh });
          provider.caller.start();
        },
        registrationFailed: (status, why) => emit({ kind: 'phone-registration-failed', at: at(), status, why }),
        rang: (callId, caller) =>
          emit({ kind: 'phone-rang', at: at(), callId, caller, from: provider.caller.placed(callId) ? 'provider' : 'ghost' }),
      },
    });
    running.phone = phone;

    const ids = this.#o.scanners ?? SCANNER_IDS;
    for (const id of ids) {
      const scanner = new SimScanner({
        family: SCANNER_FAMILIES[id],
        address: a.scanners[id],
        target: wan,
        scale: timing.scannerScale,
        floodSize: timing.floodSize,
        timers,
        random,
        logger: this.#logger,
        hooks: {
          burst: (scannerId, what, messages) => emit({ kind: 'scanner-burst', at: at(), scanner: scannerId, what, messages }),
          sent: (scannerId, method, requestUri) => emit({ kind: 'scanner-sent', at: at(), scanner: scannerId, method, requestUri }),
          answered: (scannerId, status) => emit({ kind: 'scanner-answered', at: at(), scanner: scannerId, status }),
        },
      });
      running.scanners.push(scanner);
      this.#scannerAt.set(a.scanners[id], id);
    }
    // Bind every scanner before any of them starts its schedule.
    const scannerAt = await Promise.all(running.scanners.map((s) => s.start()));
    phone.start();
    running.scanners.forEach((s) => s.schedule());

    return {
      seed: random.seed,
      domain: a.domain,
      provider: providerAt,
      guard: { wan, lan },
      phone: { aor: phone.aor, address: phoneAt },
      scanners: running.scanners.map((s, i) => ({ id: s.family.id, name: s.family.name, summary: s.family.summary, address: scannerAt[i]! })),
    };
  }

  #blocked(event: GuardEvent): void {
    const { raw: _raw, ...plain } = event;
    this.#bus.emit({ kind: 'guard-blocked', at: event.time, scanner: this.#scannerAt.get(event.flow.remoteAddress) ?? null, event: plain });
  }
}
