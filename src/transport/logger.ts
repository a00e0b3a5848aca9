/**
 * The logging seam (DESIGN §3, STYLE principle 6): the transport never writes to the console; it is
 * handed a Logger. `fields` carry structured context (flow, reason, counts); attacker bytes only ever
 * appear in them as a short escaped excerpt (see `excerpt.ts`).
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

function ignore(): void {}

/** A Logger that discards everything: the default when none is injected. */
export const silentLogger: Logger = Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore });
