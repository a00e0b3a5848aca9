/**
 * Errors of the local side of sending (no route, connection refused, closed transport). These are
 * not attacker bytes: `send()` rejects with a TransportError so that the transaction layer can act on
 * it (RFC 3261 §8.1.3.1: a transport failure is treated as a 503). Received bytes never throw.
 */
export type TransportErrorCode =
  | 'TRANSPORT_NOT_LISTENING'
  | 'TRANSPORT_CLOSED'
  | 'TRANSPORT_WRONG_KIND'
  | 'TRANSPORT_NO_ROUTE'
  | 'TRANSPORT_CONNECT_FAILED'
  | 'TRANSPORT_SEND_FAILED';

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportError';
  }
}
