/**
 * Starts the alerts of a running guard from its config: builds the channels (the SMTP password from
 * the environment the CLI hands in), subscribes to the guard's provider health and bans, schedules the
 * digest over the event store. Returns null (after logging why) when there is nothing to start or the
 * channels cannot be built; the guard runs on either way.
 *
 * The digest reads the guard's event store: the one passed in, else a second connection to the same
 * SQLite file (WAL mode lets it read while the guard writes, as `ghostguard events` does). An
 * in-memory store cannot be shared that way: then the digest is off unless the store is passed in.
 */
import type { Config } from '../config/config.js';
import type { BanChange } from '../defense/bans/ban-control.js';
import type { ProviderHealthChange } from '../proxy/provider-health-types.js';
import type { EventStore } from '../store/event-store.js';
import type { Logger } from '../transport/logger.js';
import { MEMORY_STORE, openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { systemClock, type Clock } from '../util/clock.js';
import { AlertsService } from './alerts-service.js';
import { channelsFromConfig } from './channels-from-config.js';
import { systemTimeZone } from './local-time.js';

/** The parts of the Guard the alerts use. */
export interface AlertingGuard {
  onProviderHealth(listener: (change: ProviderHealthChange) => void): () => void;
  readonly bans: { subscribe(listener: (change: BanChange) => void): () => void };
  /** `delivered`: provider calls (dialog-initial INVITEs from the WAN leg) relayed to a phone (GuardStats). */
  stats(): { readonly delivered: number };
}

export interface StartAlertsOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  /** The guard's event store (the one it records into), for the digest; without it, no digest. */
  readonly events?: EventStore;
  readonly clock?: Clock;
}

export interface AlertsHandle {
  readonly service: AlertsService;
  /** Sends what is pending (a little grace), stops, closes the reader store if one was opened. */
  stop(): Promise<void>;
}

export function startAlerts(config: Config, guard: AlertingGuard, options: StartAlertsOptions): AlertsHandle | null {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const built = channelsFromConfig(config.alerts, { env: options.env });
  if (!built.ok) {
    logger.error(`alerts are off: ${built.error}`);
    return null;
  }
  if (built.channels.length === 0) return null;
  const service = new AlertsService({
    config: config.alerts,
    channels: built.channels,
    timeZone: config.alerts.timezone ?? systemTimeZone(),
    clock,
    logger,
  });
  let reader: Store | undefined;
  let events = options.events;
  if (events === undefined && config.alerts.digest !== null) {
    if (config.store === MEMORY_STORE) {
      logger.warn('the daily digest is off: the event store is in memory');
    } else {
      try {
        reader = openStore(config.store, { clock, events: { flushIntervalMs: 0 } });
        events = reader.events;
      } catch (err) {
        logger.warn('the daily digest is off: the event store cannot be read', { error: (err as Error).message });
      }
    }
  }
  service.start({
    onProviderHealth: (listener) => guard.onProviderHealth(listener),
    bans: guard.bans,
    ...(events ? { events } : {}),
    // Only new calls count: not the provider's OPTIONS keep-alives nor in-call requests (which relay.calls.inbound also counts).
    callsReached: () => guard.stats().delivered,
  });
  logger.info(`alerts go to: ${built.channels.map((c) => c.name).join('; ')}`);
  return {
    service,
    async stop() {
      await service.stop();
      reader?.close();
    },
  };
}
