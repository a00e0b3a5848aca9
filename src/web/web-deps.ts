/** What the web server reads and drives: the running guard, its store, the bans, the demo lab (if any). */
import type { BanControl } from '../defense/bans/ban-control.js';
import type { LabListener } from '../lab/lab-event.js';
import type { LabTally } from '../lab/lab-tally.js';
import type { Guard } from '../proxy/guard.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../transport/logger.js';
import type { Clock } from '../util/clock.js';
import type { CountListener, EventListener } from './event-tap.js';
import type { ProbeFunction } from './self-test.js';

/** The parts of the Guard the server uses. */
export type GuardView = Pick<Guard, 'config' | 'stats' | 'status' | 'listening' | 'providerHealth' | 'trustedProviders' | 'bans' | 'defenseStatus'>;

/** The parts of the DemoLab the server uses (demo only). */
export interface LabView {
  tally(): LabTally;
  subscribe(listener: LabListener): () => void;
}

export interface WebDeps {
  readonly guard: GuardView;
  /** The guard's store (events, bindings). */
  readonly store: Store;
  /** Every event the guard records, live (see `tapEvents`). */
  readonly events: { subscribe(listener: EventListener): () => void; subscribeCounted(listener: CountListener): () => void };
  readonly bans: BanControl;
  readonly lab?: LabView | null;
  /** The probe for `POST /api/selftest` (src/probe); null: the self-test answers 503. */
  readonly probe?: ProbeFunction | null;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly version: string;
  /** The dashboard's files (default: src/web/public next to this module). */
  readonly publicDir?: URL;
  /** Per-port wait of the self-test's probe (default 2000 ms). */
  readonly selfTestTimeoutMs?: number;
}
