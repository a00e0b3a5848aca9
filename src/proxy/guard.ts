/**
 * The Guard (DESIGN §2): transports on both legs, the transaction layer, the gates, the registration
 * and call relays, the store, the provider's addresses and the event record, tied together.
 *
 * `start()` opens the store (unless one is given), resolves the provider, binds the LAN leg and the
 * WAN leg (port 0: a random high port chosen once and kept, `wan-port.ts`), and logs where it
 * listens, the WAN port and the provider addresses it trusts; then it starts the WAN reader
 * processes (`wan.readers`, `wan-readers/`) that read the WAN UDP socket beside it. `stop()` ends
 * them, closes everything and flushes the store (and closes it when the guard opened it).
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Config, TransportName } from '../config/config.js';
import type { Classification, RateState } from '../policy/gate-context.js';
import type { SipMessage } from '../sip/message.js';
import { eventOptionsFromConfig } from '../store/event-options-from-config.js';
import type { Leg } from '../store/guard-event.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { TransactionLayer, type TransactionStats } from '../transaction/transaction-layer.js';
import type { TimerConfig } from '../transaction/timer-config.js';
import { formatEndpoint, type Flow } from '../transport/flow.js';
import { silentLogger, type Logger } from '../transport/logger.js';
import { TransportError } from '../transport/transport-error.js';
import type { Transport } from '../transport/transport.js';
import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
import { providerAddressesFromConfig } from './provider/provider-addresses-from-config.js';
import { systemDnsResolver } from './provider/system-dns-resolver.js';
import { CallRelay, type CallRelayStats } from './call-relay.js';
import { DialogTable, type DialogTableOptions, type DialogTableStats } from './dialog-table.js';
import { newBranchPrefix } from './forwarding.js';
import { GuardAddresses, type HostAndPort } from './guard-addresses.js';
import { bindingsByUser, lanGateContext, wanGateContext } from './guard-gate.js';
import { GuardStats, type GuardStatsSnapshot } from './guard-stats.js';
import { LegTransports } from './leg-transports.js';
import { MessagePipeline } from './message-pipeline.js';
import { isSharedTransport, readerCount, WanReaders, type WanReadersStats } from './wan-readers/wan-readers.js';
import { initialPublic, PUBLIC_ADDRESS_SETTING } from './public-address.js';
import { NatKeepAlive, STREAM_KEEP_ALIVE, UDP_KEEP_ALIVE } from './nat-keep-alive.js';
import type { ProviderAddressBook, ProviderTarget } from './provider-book.js';
import type { ProxyContext } from './proxy-context.js';
import { RegistrationRelay, type RegistrationRelayOptions, type RegistrationStats } from './registration-relay.js';
import { RequestUriWatch } from './request-uri-watch.js';
import { tagOf } from './message-facts.js';
import { ProviderHealthTracker } from './provider-health.js';
import type { ProviderHealth, ProviderHealthChange } from './provider-health-types.js';
import { SETTING_KEYS } from '../store/settings-store.js';
import { socketTransports, type TransportFactory } from './transport-factory.js';
import { classify as classifyScanner } from '../defense/fingerprint/classify.js';
import { chooseWanPort } from './wan-port.js';
import type { BanControl } from '../defense/bans/ban-control.js';
import type { Defense } from '../defense/defense.js';
import { defenseFor, reportingSink, withBans } from './guard-defense.js';
import { KernelAndLists, wanOffloadPorts, type KernelAndListsStatus } from '../defense/nftables/kernel-and-lists.js';

export { PUBLIC_ADDRESS_SETTING };

/** One relay's added delay: from the first byte's arrival on one leg to the hand-off on the other. */
export interface LatencySample {
  readonly method: string;
  readonly from: Leg;
  readonly to: Leg;
  readonly ms: number;
}

export interface GuardOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** An open store; the guard then flushes it on stop() but leaves it open. Default: opens `config.store`. */
  readonly store?: Store;
  readonly transports?: TransportFactory;
  /** Default: RFC 3263 lookups through the system's DNS (`provider/`). */
  readonly providers?: ProviderAddressBook;
  /** NAT keep-alive interval (default 25 s). */
  readonly keepAliveMs?: number;
  /** Housekeeping (expired bindings and dialogs) interval, default 30 s. */
  readonly housekeepingMs?: number;
  readonly timers?: Partial<TimerConfig>;
  readonly timerCMs?: number;
  readonly registration?: RegistrationRelayOptions;
  readonly dialogs?: Omit<DialogTableOptions, 'clock'>;
  /** The public address to assume before one is learned, when wan.listen is a wildcard. */
  readonly publicGuess?: string;
  /** The defense layer (default: built from `config.defense`, `guard-defense.ts`). */
  readonly defense?: Defense;
  /** Defense layer hooks that replace the defense's own (tests). */
  readonly isBanned?: (address: string) => boolean;
  readonly rate?: (address: string) => RateState;
  /** Names the scanner behind a refused request (default: the built-in fingerprints of src/defense). */
  readonly classify?: (msg: SipMessage) => Classification | null;
  /** Called for each request relayed from one leg to the other (the benchmark's hook). */
  readonly onRelayLatency?: (sample: LatencySample) => void;
  /** High-resolution time in ms for latency samples (default performance.now). */
  readonly hrtime?: () => number;
  /** Random WAN port picker (tests). */
  readonly randomPort?: () => number;
}

export interface RelayStats {
  readonly transactions: TransactionStats;
  readonly registrations: RegistrationStats;
  readonly calls: CallRelayStats;
  readonly dialogs: DialogTableStats;
}

export interface GuardStatus {
  readonly wanPort: number;
  readonly lan: string;
  readonly publicAddress: HostAndPort;
  readonly providerRewritesUri: boolean;
  readonly bindings: number;
  readonly dialogs: number;
}

interface Running {
  readonly store: Store;
  readonly ownsStore: boolean;
  readonly providers: ProviderAddressBook;
  readonly transports: LegTransports;
  readonly addresses: GuardAddresses;
  readonly transactions: TransactionLayer;
  readonly dialogs: DialogTable;
  readonly registrations: RegistrationRelay;
  readonly calls: CallRelay;
  readonly watch: RequestUriWatch;
  readonly keepAlive: NatKeepAlive;
  readonly pipeline: MessagePipeline;
  readonly defense: Defense;
  housekeeping: TimerHandle | undefined;
}

export class Guard {
  readonly config: Config;
  readonly #options: GuardOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #stats = new GuardStats();
  readonly #hrtime: () => number;
  #running: Running | undefined;
  /** The nftables offload and the blocklists (`defense.nftables`, `defense.blocklists`). */
  #kernelAndLists: KernelAndLists | undefined;
  /** Processes reading the WAN UDP sockets beside the guard (`wan.readers`). */
  #readers: WanReaders | undefined;
  #state: 'new' | 'starting' | 'running' | 'stopped' = 'new';
  /** The message being handled (synchronously), for latency samples. */
  #current: { leg: Leg; method: string; t0: number } | undefined;

  constructor(config: Config, options: GuardOptions = {}) {
    this.config = config;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#hrtime = options.hrtime ?? (() => performance.now());
  }

  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error('Guard.start() may be called once');
    this.#state = 'starting';
    const { config } = this;
    const clock = this.#clock;
    const logger = this.#logger;
    const ownsStore = this.#options.store === undefined;
    const store = this.#options.store ?? openStore(config.store, { clock, events: eventOptionsFromConfig(config.events) });
    const transports = new LegTransports();
    try {
      const providers =
        this.#options.providers ?? providerAddressesFromConfig(config, { resolver: systemDnsResolver(), clock, logger });
      await providers.start?.();
      await this.#bind(transports, 'lan', config.lan.transports, config.lan.listen.address, config.lan.listen.port);
      const wanPort = await chooseWanPort({
        configured: config.wan.listen.port,
        settings: store.settings,
        logger,
        bind: (port) => this.#bind(transports, 'wan', config.wan.transports, config.wan.listen.address, port),
        ...(this.#options.randomPort ? { random: this.#options.randomPort } : {}),
      });
      this.#running = this.#assemble(store, ownsStore, providers, transports, wanPort);
      const { defense, addresses } = this.#running;
      this.#kernelAndLists = new KernelAndLists({
        nftables: config.defense.nftables,
        blocklists: config.defense.blocklists.map((b) => ({ source: b.source, everyMs: b.everySeconds * 1000 })),
        bans: defense.bans,
        isDryRun: (address) => defense.bans.isDryRun(address),
        ports: wanOffloadPorts(config.wan.transports, wanPort, addresses.wanTlsPort),
        clock,
        logger,
      });
      await this.#kernelAndLists.start();
      await this.#startReaders(this.#running);
    } catch (err) {
      await this.#readers?.stop();
      await transports.closeAll();
      if (ownsStore) store.close();
      this.#state = 'stopped';
      throw err;
    }
    this.#state = 'running';
    this.#startTimers(this.#running);
    this.#logStart(this.#running);
  }

  async stop(): Promise<void> {
    const running = this.#running;
    this.#state = 'stopped';
    this.#running = undefined;
    if (running === undefined) return;
    running.keepAlive.stop();
    running.housekeeping?.cancel();
    running.transactions.close();
    running.providers.stop?.();
    await this.#readers?.stop();
    await running.transports.closeAll();
    await this.#kernelAndLists?.stop();
    running.defense.stop();
    running.store.events.flush();
    if (running.ownsStore) running.store.close();
    this.#logger.info('guard stopped');
  }

  /** Counters for the dashboard and metrics; `readers`: the WAN reader processes (null when the guard reads alone). */
  stats(): GuardStatsSnapshot & { relay: RelayStats | null; readers: WanReadersStats | null } {
    const r = this.#running;
    const relay =
      r === undefined
        ? null
        : { transactions: r.transactions.stats(), registrations: r.registrations.stats(), calls: r.calls.stats(), dialogs: r.dialogs.stats() };
    return { ...this.#stats.snapshot(), relay, readers: this.#readers?.stats() ?? null };
  }

  /** The nftables offload (null when `defense.nftables` is off) and each blocklist followed: for the dashboard and API. */
  defenseStatus(): KernelAndListsStatus {
    return this.#kernelAndLists?.status() ?? { nftables: null, blocklists: [] };
  }

  /** The ban table (after start): list, add, remove, subscribe (`defense/bans/ban-control.ts`). */
  get bans(): BanControl {
    return this.#mustRun().defense.bans;
  }

  status(): GuardStatus {
    const r = this.#mustRun();
    return {
      wanPort: r.addresses.wan.port,
      lan: formatEndpoint(r.addresses.lan),
      publicAddress: r.addresses.public,
      providerRewritesUri: r.watch.rewrites,
      bindings: r.store.bindings.size(),
      dialogs: r.dialogs.size,
    };
  }

  /** Where each leg listens (after start). */
  listening(): Array<{ leg: Leg; transport: string; address: string }> {
    return (this.#running?.transports.entries() ?? []).flatMap(({ leg, transport }) =>
      transport.addresses().map((e) => ({ leg, transport: transport.kind, address: formatEndpoint(e) })),
    );
  }

  #mustRun(): Running {
    if (this.#running === undefined) throw new Error('the guard is not running');
    return this.#running;
  }

  /** Binds one leg's transports on `port`; false (everything of this attempt closed) when a bind fails. */
  async #bind(transports: LegTransports, leg: Leg, kinds: readonly TransportName[], address: string, port: number): Promise<boolean> {
    const factory = this.#options.transports ?? socketTransports;
    const opened: Transport[] = [];
    try {
      for (const kind of kinds) {
        const tls = kind === 'tls' ? (leg === 'wan' ? this.config.wan.tls : this.config.lan.tls) : null;
        const listenPort = kind === 'tls' ? (tls?.port ?? port + 1) : port;
        const transport = factory({
          leg,
          kind,
          listen: { address, port: listenPort },
          tls,
          hooks: {
            onMessage: (received) => this.#receive(leg, received),
            onDrop: (report) => this.#running?.pipeline.transportDrop(leg, report),
            logger: this.#logger,
            now: () => this.#clock.now(),
          },
        });
        if (transport === null) continue;
        await transport.listen();
        opened.push(transport);
      }
    } catch (err) {
      await Promise.allSettled(opened.map((t) => t.close()));
      if (leg === 'lan') throw err;
      this.#logger.debug('WAN port not available', { port, error: String(err) });
      return false;
    }
    for (const transport of opened) transports.add(leg, transport);
    return true;
  }

  #assemble(store: Store, ownsStore: boolean, providers: ProviderAddressBook, transports: LegTransports, wanPort: number): Running {
    const { config } = this;
    const clock = this.#clock;
    const logger = this.#logger;
    const tlsPort = config.wan.transports.includes('tls') ? (config.wan.tls?.port ?? wanPort + 1) : null;
    const addresses = new GuardAddresses({
      lan: { address: config.lan.listen.address, port: config.lan.listen.port },
      wan: { address: config.wan.listen.address, port: wanPort },
      wanTlsPort: tlsPort,
      lanTlsPort: config.lan.tls === null ? null : (config.lan.tls.port ?? config.lan.listen.port + 1),
      configuredPublic: config.wan.public === null ? null : { host: config.wan.public.host, port: config.wan.public.port },
      initialPublic: initialPublic(store.settings, config.wan.listen.address, wanPort, this.#options.publicGuess),
    });
    const transactions = new TransactionLayer({
      send: (message, target) => this.#send(message, target as Flow),
      clock,
      tryingDelay: false,
      ...(this.#options.timers ? { timers: this.#options.timers } : {}),
    });
    const branchPrefix = newBranchPrefix();
    const ctx: ProxyContext = {
      clock,
      logger,
      transactions,
      addresses,
      providers,
      bindings: store.bindings,
      transports,
      branchPrefix,
      providerTarget: () => providerTarget(providers, config.wan.transports),
      sendStateless: (message, flow) => {
        this.#send(message, flow).catch((err: unknown) => logger.debug('stateless send failed', { error: String(err) }));
      },
      publicAddressLearned: (at) => store.settings.set(PUBLIC_ADDRESS_SETTING, formatEndpoint({ address: at.host, port: at.port })),
    };
    const dialogs = new DialogTable({ clock, ...this.#options.dialogs });
    const liveBindings = () => store.bindings.all().filter((b) => b.expiresAt > clock.now());
    const defense = this.#options.defense ?? defenseFor(config, { clock, logger, store, providers, bindings: liveBindings });
    defense.start();
    const registrations = new RegistrationRelay(ctx, { watch: defense.passwords, ...this.#options.registration, onReport: (report) => this.#health.take(report) });
    const calls = new CallRelay(ctx, dialogs, registrations, this.#options.timerCMs === undefined ? {} : { timerCMs: this.#options.timerCMs });
    const watch = new RequestUriWatch(store.settings, logger, config.provider.domain);
    const gateDeps = {
      config,
      addresses,
      providers,
      registrations,
      bindings: liveBindings,
      dialogs,
      watch,
      branchPrefix,
      rate: this.#options.rate ?? defense.rate,
      classify: this.#options.classify ?? classifyScanner,
    };
    const isBanned = this.#options.isBanned ?? defense.isBanned;
    const pipeline = new MessagePipeline({
      ctx,
      providerDomain: config.provider.domain,
      registrations,
      calls,
      wanGate: wanGateContext(gateDeps),
      lanGate: withBans(lanGateContext(gateDeps), isBanned),
      watch,
      events: reportingSink(store.events, defense),
      stats: this.#stats,
      isBanned,
      bindingsByUser: (user) => bindingsByUser(liveBindings(), user),
    });
    const keepAlive = new NatKeepAlive({
      clock,
      ...(this.#options.keepAliveMs ? { intervalMs: this.#options.keepAliveMs } : {}),
      needed: () => store.bindings.all().some((b) => b.expiresAt > clock.now()),
      send: () => this.#sendKeepAlive(ctx),
    });
    return { store, ownsStore, providers, transports, addresses, transactions, dialogs, registrations, calls, watch, keepAlive, pipeline, defense, housekeeping: undefined };
  }

  /**
   * `wan.readers`: reader processes for the WAN UDP socket, when they can stand in for the guard's
   * decision (a stranger's request is always dropped only with `policy.unknown: drop`) and the
   * provider book can tell them the provider's addresses.
   */
  async #startReaders(running: Running): Promise<void> {
    const { config } = this;
    const count = readerCount(config.wan.readers, availableParallelism());
    const udp = running.transports.pick('wan', 'udp');
    const trustedEntries = running.providers.trustedEntries?.bind(running.providers);
    if (count === 0 || udp === undefined || udp.kind !== 'udp' || !isSharedTransport(udp) || trustedEntries === undefined) return;
    if (config.policy.unknown !== 'drop') {
      this.#logger.info('WAN reader processes are off: policy.unknown answers strangers, which only the guard can do');
      return;
    }
    const stats = this.#stats;
    const pipeline = running.pipeline;
    const guarded =
      <A extends unknown[]>(apply: (...args: A) => void) =>
      (...args: A): void => {
        try {
          apply(...args);
        } catch (err) {
          stats.proxy('internal-error');
          this.#logger.error('error while applying a WAN reader tally', { error: String(err) });
        }
      };
    this.#readers = new WanReaders({
      count,
      transport: udp,
      trustedEntries,
      // Together the readers hand over about as many new sources a second as may open event rows.
      handOverPerSecond: Math.max(20, Math.ceil(config.events.newSourcesPerSecond / count)),
      sampleWindowMs: config.events.aggregateWindowSeconds * 1000,
      logger: this.#logger,
      now: () => this.#clock.now(),
      sink: {
        strangerRequests: guarded((...args) => pipeline.strangerRequests(...args)),
        unnamedRequests: guarded((...args) => pipeline.unnamedRequests(...args)),
        count: (what, n) => stats.proxy(what, n),
      },
    });
    const reading = await this.#readers.start();
    if (!reading) this.#logger.info('the guard reads its WAN UDP socket itself (no reader process could start)');
  }

  #startTimers(running: Running): void {
    running.keepAlive.start();
    const every = this.#options.housekeepingMs ?? 30_000;
    const tick = (): void => {
      if (this.#running !== running) return;
      const expired = running.registrations.purgeExpired();
      for (const b of expired) this.#logger.info('binding expired', { aor: b.aor });
      running.dialogs.sweep();
      running.defense.housekeeping();
      running.housekeeping = this.#clock.setTimeout(tick, every);
    };
    running.housekeeping = this.#clock.setTimeout(tick, every);
  }

  #logStart(running: Running): void {
    for (const l of this.listening()) this.#logger.info(`listening on the ${l.leg.toUpperCase()} leg: ${l.transport} ${l.address}`, { ...l });
    this.#logger.info(`WAN port ${running.addresses.wan.port}`, { port: running.addresses.wan.port, public: running.addresses.describe() });
    this.#logger.info(`trusted provider addresses: ${running.providers.describe().join(', ') || '(none yet)'}`, {
      provider: this.config.provider.domain,
    });
    const bindings = running.store.bindings.size();
    if (bindings > 0) this.#logger.info(`${bindings} binding(s) kept from before the restart`, { bindings });
  }

  #receive(leg: Leg, received: Parameters<MessagePipeline['receive']>[1]): void {
    const running = this.#running;
    if (running === undefined) {
      this.#stats.proxy('received-while-not-running');
      return;
    }
    this.#current = { leg, method: '', t0: this.#hrtime() };
    try {
      running.pipeline.receive(leg, received);
    } catch (err) {
      // A bug, never attacker input: counted and logged, the guard goes on.
      this.#stats.proxy('internal-error');
      this.#logger.error('error while handling a message', { leg, error: String(err) });
    } finally {
      this.#current = undefined;
    }
  }

  /** The one way out: finds the transport of the flow, measures relay latency, sends. */
  #send(message: SipMessage, flow: Flow): Promise<void> {
    const entry = this.#running?.transports.find(flow);
    if (entry === undefined) return Promise.reject(new TransportError('TRANSPORT_NO_ROUTE', `no transport for ${flow.id}`));
    const current = this.#current;
    if (current !== undefined && current.leg !== entry.leg && message.isRequest) {
      const sample = { method: message.method, from: current.leg, to: entry.leg, ms: this.#hrtime() - current.t0 };
      this.#stats.relayed({ ...sample, initial: tagOf(message.to()) === null });
      this.#options.onRelayLatency?.(sample);
    }
    return entry.transport.send(flow, message.serialize());
  }

  #sendKeepAlive(ctx: ProxyContext): void {
    const target = ctx.providerTarget();
    if (target === undefined) return;
    const flow = ctx.transports.flowTo('wan', target.transport, target);
    const entry = flow === undefined ? undefined : ctx.transports.find(flow);
    if (flow === undefined || entry === undefined) return;
    const bytes = flow.transport === 'tcp' || flow.transport === 'tls' ? STREAM_KEEP_ALIVE : UDP_KEEP_ALIVE;
    entry.transport.send(flow, bytes).catch((err: unknown) => this.#logger.debug('keep-alive not sent', { error: String(err) }));
  }

  // ---- Provider health (issue 4; provider-health-types.ts) ----
  readonly #health = new ProviderHealthTracker(undefined, (error) => this.#logger.error('a provider health listener failed', { error: String(error) }));

  /** Is the provider answering, are the accounts registered, does it keep the alias in the Request-URI? */
  providerHealth(): ProviderHealth {
    const kept = this.#running?.store.settings.get(SETTING_KEYS.providerKeepsRequestUri);
    return this.#health.snapshot(kept === 'yes' ? true : kept === 'no' ? false : null);
  }

  /** Told when an account loses its registration at the provider, and when it is restored; returns the unsubscribe function. */
  onProviderHealth(listener: (change: ProviderHealthChange) => void): () => void {
    return this.#health.subscribe(listener);
  }

  /** The provider addresses and blocks the guard trusts now, one line each (empty before start). */
  trustedProviders(): string[] {
    return this.#running?.providers.describe() ?? [];
  }
}

/** The first target on a WAN transport we listen on. */
function providerTarget(providers: ProviderAddressBook, transports: readonly TransportName[]): ProviderTarget | undefined {
  return providers.targets().find((t) => transports.includes(t.transport));
}
