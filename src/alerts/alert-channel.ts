/**
 * The channel seam: one attempt to deliver one alert somewhere (a webhook, an email). Retries, the
 * queue and quiet hours are not the channel's business ({@link DeliveryQueue}, {@link AlertRouter}).
 */
import type { Alert } from './alert.js';

export interface AlertChannel {
  /** Where it goes, for logs and `ghostguard alerts test`, e.g. "webhook https://hooks.example/…". */
  readonly name: string;
  /**
   * Resolves when the far end accepted the alert, with what it said (e.g. "250 2.0.0 queued; refused
   * bob@example.test: 550 no such user"); rejects with an Error that says why not. `signal` aborts
   * the attempt (the guard stops).
   */
  deliver(alert: Alert, signal?: AbortSignal): Promise<string>;
}
