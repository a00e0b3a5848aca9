/**
 * An INVITE flood: what a scanner does once it believes it found something — svmap's INVITE
 * (`sipvicious.ts`), a few hundred times in about a second, each with fresh branch, tag and Call-ID.
 * Bounded in count (`floodSize`, at most 1000) and in time (20 messages every 60 ms).
 */
import type { ScannerFamily } from './scanner-family.js';
import { svmapRequest } from './sipvicious.js';

export const flood: ScannerFamily = {
  id: 'flood',
  name: 'INVITE flood',
  summary: 'a few hundred INVITEs in about a second, each minute',
  port: 5060,
  firstMs: 7_500,
  everyMs: 60_000,
  burst(ctx) {
    const messages = Array.from({ length: ctx.floodSize }, () => svmapRequest('INVITE', ctx));
    return { what: `${messages.length} INVITEs in about a second`, messages, perTick: 20, gapMs: 60 };
  },
};
