/**
 * Plain-language explanations of guard events, in English and Japanese (DESIGN.md §2 "Record and
 * explain"), e.g.
 *
 *   "Blocked a call from '100' sent straight to you from 198.51.100.66 by the SIPVicious scanner
 *   (User-Agent friendly-scanner). It did not come through your provider voip.example.test, so it could
 *   not be a real call. Your phone did not ring."
 *
 * or, with `mode: 'would'` (a capture analysis, `ghostguard classify`), what the guard would have done:
 * "ghostguard would have blocked a call from '100' … Your phone would not have rung."
 *
 * Pure and total: any input gives two non-empty, single-line sentences without control characters.
 * Every string that came from the packet is cleaned and capped first (people-text.ts), so an
 * explanation can never carry a line break, markup or a megabyte.
 */
import { explainEn } from './explain-en.js';
import { toFacts, type ExplainInput } from './explain-facts.js';
import { explainJa } from './explain-ja.js';

export type { ExplainInput, ExplainMode } from './explain-facts.js';

export interface Explanation {
  readonly en: string;
  readonly ja: string;
}

export function explain(input: ExplainInput): Explanation {
  const facts = toFacts(input);
  return { en: explainEn(facts), ja: explainJa(facts) };
}
