import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineWeights } from './score.js';

const positive = fc.double({ min: 0.01, max: 1, noNaN: true });
const negative = fc.double({ min: -0.99, max: -0.01, noNaN: true });

describe('combining signal weights (noisy-OR with counter-evidence)', () => {
  it('one signal gives its own weight; none gives 0', () => {
    expect(combineWeights([0.95])).toBe(0.95);
    expect(combineWeights([])).toBe(0);
    expect(combineWeights([-0.5])).toBe(0);
  });

  it('independent evidence adds up: 1 − (1 − a)(1 − b)', () => {
    expect(combineWeights([0.5, 0.5])).toBe(0.75);
    expect(combineWeights([0.35, 0.3, 0.15])).toBe(0.613);
  });

  it('counter-evidence scales the result down', () => {
    expect(combineWeights([0.6, -0.5])).toBe(0.3);
  });

  it('stays within 0..1 and never falls when a positive signal is added', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(positive, negative), { maxLength: 12 }), positive, (weights, extra) => {
        const before = combineWeights(weights);
        const after = combineWeights([...weights, extra]);
        expect(before).toBeGreaterThanOrEqual(0);
        expect(after).toBeLessThanOrEqual(1);
        expect(after).toBeGreaterThanOrEqual(before);
      }),
      { numRuns: 300 },
    );
  });
});
