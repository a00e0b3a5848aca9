/**
 * What `probe()` (src/probe/probe.ts) reports: per port, whether a ghost call would ring there.
 * RANG: an INVITE like a scanner's got a 18x or a 2xx (a ghost call would ring);
 * ANSWERED: something answered (any response to the INVITE or the OPTIONS) and so reveals a SIP device;
 * SILENT: nothing answered at all (what a guarded address does).
 */
export type PortVerdict = 'RANG' | 'ANSWERED' | 'SILENT';

export interface ProbeTarget {
  /** An IP literal or a host name. */
  readonly host: string;
  readonly ports: readonly number[];
  readonly transport: 'udp' | 'tcp';
}

export interface ProbeExchange {
  /** Status of the final (or last provisional) response, null when nothing answered. */
  readonly status: number | null;
  readonly reason: string | null;
  /** User-Agent or Server header of the answer. */
  readonly agent: string | null;
  /** The last provisional (1xx) status seen, e.g. 180 even when the final was the 487 after our CANCEL. */
  readonly provisional?: number | null;
}

export interface PortReport {
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
  readonly verdict: PortVerdict;
  readonly invite: ProbeExchange;
  readonly options: ProbeExchange;
  /** One sentence for people, e.g. "a scanner's INVITE made it ring (180 Ringing from baresip)". */
  readonly detail: string;
  /**
   * What the probe sent to leave nothing ringing, in order, and whether each got its answer: CANCEL of
   * a ringing INVITE (then ACK of the 487), ACK + BYE of a 2xx, ACK of any other final.
   */
  readonly cleanup?: readonly { readonly method: 'CANCEL' | 'ACK' | 'BYE'; readonly answered: boolean | null }[];
}

export interface ProbeReport {
  readonly host: string;
  /** The address the host resolved to. */
  readonly address: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly results: readonly PortReport[];
}

export interface ProbeOptions {
  /** How long to wait for answers per port (default 2000 ms). */
  readonly timeoutMs?: number;
  /** Pause between ports (default 100 ms): the probe is for the user's own devices, never a flood. */
  readonly paceMs?: number;
  readonly signal?: AbortSignal;
  readonly onPort?: (report: PortReport) => void;
  /** Local address to send from (default: any). */
  readonly localAddress?: string;
}
