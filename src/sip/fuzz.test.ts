/**
 * Property-based fuzzing of the SIP message layer, the short run inside `npm test` (issue 2, item 5).
 * `npm run fuzz` runs the same property for a million cases and more; see bench/fuzz.ts.
 *
 * RFC 3261 §18.3 / §16.3 have a proxy discard malformed messages; it must never be brought down by one.
 * The properties (bench/fuzz/check-message.ts, check-values.ts): parseMessage, every accessor and every
 * value parser answer with a value or a typed SipError, never an exception; an unmodified message
 * serializes back to its raw bytes.
 */
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMessage } from '../../bench/fuzz/check-message.js';
import { checkValue, headerValues } from '../../bench/fuzz/check-values.js';
import { applyMutations, fuzzCaseArb } from '../../bench/fuzz/mutations.js';
import { pathologicalInputs } from '../../bench/fuzz/pathological.js';
import { fuzzProperty } from '../../bench/fuzz/property.js';
import { loadSeeds } from '../../bench/fuzz/seeds.js';

const seeds = loadSeeds();

/**
 * A hang guard, not a speed target: generous for a loaded, shared CI machine. Linearity is measured,
 * not asserted, by `npm run fuzz` (see BENCHMARKS.md).
 */
const HANG_GUARD_MS = 5_000;

describe('fuzzing the SIP parser: never a crash, never an exception other than the typed error', () => {
  it('loads the RFC 4475 / RFC 5118 torture messages and the bench corpus as seeds', () => {
    expect(seeds.filter((s) => s.name.startsWith('torture/')).length).toBeGreaterThanOrEqual(74);
    expect(seeds.filter((s) => s.name.startsWith('corpus/')).length).toBeGreaterThanOrEqual(25);
  });

  it('holds on every unmutated seed', () => {
    for (const s of seeds) {
      expect(() => checkMessage(s.bytes), s.name).not.toThrow();
    }
  });

  it('value parsers hold on every header value of every seed, whatever header it came from', () => {
    for (const s of seeds) {
      for (const v of headerValues(s.bytes, 1_000)) expect(() => checkValue(v), `${s.name}: ${v}`).not.toThrow();
    }
  });

  it('holds on 3,000 mutations of the seeds (byte flips, delimiters, truncation, duplicated lines, repetition)', () => {
    fc.assert(
      fc.property(fuzzCaseArb(seeds.length), (c) => {
        fuzzProperty(applyMutations(seeds[c.seed]!.bytes, c.mutations));
      }),
      { numRuns: 3_000 },
    );
  }, 60_000);

  describe(`answers pathological inputs within ${HANG_GUARD_MS} ms`, () => {
    for (const p of pathologicalInputs()) {
      it(p.name, () => {
        const start = performance.now();
        checkMessage(p.bytes, p.options);
        expect(performance.now() - start).toBeLessThan(HANG_GUARD_MS);
      }, 4 * HANG_GUARD_MS);
    }
  });
});
