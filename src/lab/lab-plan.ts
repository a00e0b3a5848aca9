/** What runs where in the lab, once it started (JSON-safe: for the intro and a dashboard). */
import type { Endpoint } from '../transport/flow.js';
import type { ScannerId } from './scanners/scanner-id.js';

export interface LabPlan {
  readonly seed: number;
  readonly domain: string;
  readonly provider: Endpoint;
  readonly guard: { readonly wan: Endpoint; readonly lan: Endpoint };
  readonly phone: { readonly aor: string; readonly address: Endpoint };
  readonly scanners: ReadonlyArray<{ readonly id: ScannerId; readonly name: string; readonly summary: string; readonly address: Endpoint }>;
}
