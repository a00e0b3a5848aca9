/**
 * The hooks of a transport made safe to call from socket event handlers: a hook that throws is
 * logged, never allowed to escape into the event loop (a socket event must never crash the process).
 */
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import type { DropReport, KeepAliveReport, Received, TransportHooks } from './transport.js';

export interface SafeHooks {
  readonly logger: Logger;
  readonly now: () => number;
  message(message: Received): void;
  drop(report: DropReport): void;
  keepAlive(report: KeepAliveReport): void;
}

export function safeHooks(hooks: TransportHooks): SafeHooks {
  const logger = hooks.logger ?? silentLogger;
  const guard = <T>(name: string, fn: ((value: T) => void) | undefined) => {
    if (fn === undefined) return (): void => {};
    return (value: T): void => {
      try {
        fn(value);
      } catch (err) {
        logger.error(`transport ${name} hook threw`, { error: String(err) });
      }
    };
  };
  const onDrop = guard<DropReport>('onDrop', hooks.onDrop);
  return {
    logger,
    now: hooks.now ?? Date.now,
    message: guard<Received>('onMessage', hooks.onMessage),
    drop: (report) => {
      logger.debug('transport drop', {
        reason: report.reason,
        flow: report.flow.id,
        detail: report.detail,
        excerpt: report.excerpt,
      });
      onDrop(report);
    },
    keepAlive: guard<KeepAliveReport>('onKeepAlive', hooks.onKeepAlive),
  };
}
