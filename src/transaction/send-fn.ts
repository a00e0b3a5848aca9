/**
 * The transport seam of the transaction layer: one function that hands a message to the transport
 * (STYLE: like SIP.js, the boundary is a single `send()`). The layer never touches sockets.
 *
 * A send may fail synchronously (throw) or asynchronously (a rejected promise, as
 * `Transport.send()` does). Either way the transaction learns of it: RFC 3261 §17.1.4 and §17.2.4,
 * "the client transaction SHOULD inform the TU that a transport failure has occurred, and the client
 * transaction SHOULD transition directly to the "Terminated" state" (likewise the server transaction).
 */
import type { SipMessage } from '../sip/message.js';
import type { Flow } from '../transport/flow.js';
import type { SendTarget } from '../transport/transport.js';

export type SendFn = (message: SipMessage, target: SendTarget) => void | Promise<void>;

/**
 * RFC 3261 §17.1.1.2: "If an unreliable transport is being used, the client transaction MUST start
 * timer A"; TCP and TLS are reliable, UDP is not. The in-memory `loop` transport behaves like a
 * datagram network, so it counts as unreliable.
 */
export function isReliableTarget(target: SendTarget | Flow): boolean {
  return target.transport === 'tcp' || target.transport === 'tls';
}

/**
 * Calls `send` and reports a failure, synchronous or not, to `onError` — at most once per call, and
 * never by throwing into the caller.
 */
export function sendSafely(
  send: SendFn,
  message: SipMessage,
  target: SendTarget,
  onError: (error: unknown) => void,
): void {
  let pending: void | Promise<void>;
  try {
    pending = send(message, target);
  } catch (error) {
    onError(error);
    return;
  }
  if (pending !== undefined && typeof pending.then === 'function') pending.then(undefined, onError);
}
