/**
 * The dashboard next to a running guard, as the commands start it: the live event tap, the bans
 * (`guard.bans`, the defense layer's), the real probe for the self-test, the version; listening on `listen` or, when
 * `tries` > 1, on one of the next ports if it is taken.
 */
import type { Store } from '../store/store.js';
import type { Logger } from '../transport/logger.js';
import type { Clock } from '../util/clock.js';
import { probe } from '../probe/probe.js';
import { listenWithFallback } from './listen-with-fallback.js';
import type { EventTap } from './event-tap.js';
import { packageVersion } from './version.js';
import type { GuardView, LabView } from './web-deps.js';
import { WebServer, type WebListen } from './web-server.js';

export interface DashboardStart {
  readonly guard: GuardView;
  /** The tapped store given to the guard (`tapEvents`). */
  readonly tap: EventTap;
  readonly lab?: LabView;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly listen: WebListen;
  readonly token: string | null;
  /** Ports to try, from listen.port up (default 1: that port only). */
  readonly tries?: number;
}

export async function startDashboard(o: DashboardStart): Promise<{ server: WebServer; url: string }> {
  const store: Store = o.tap.store;
  const server = new WebServer({
    guard: o.guard,
    store,
    events: o.tap,
    bans: o.guard.bans,
    lab: o.lab ?? null,
    probe,
    clock: o.clock,
    logger: o.logger,
    version: packageVersion(),
  });
  const url = await listenWithFallback(server, o.listen, o.token, o.tries ?? 1);
  return { server, url };
}
