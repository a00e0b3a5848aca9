import { describe, expect, it } from 'vitest';
import { RefusalCounter } from './refusal-counter.js';
import { SourceTable } from './source-table.js';

describe('RefusalCounter', () => {
  it('reports a source once, at the threshold-th refusal of its window, and starts over in the next window', () => {
    const counter = new RefusalCounter(new SourceTable(1024, 10), 5, 60_000);
    const reports: number[] = [];
    for (let i = 1; i <= 12; i++) if (counter.refused('198.51.100.66', 1_000 + i * 1_000)) reports.push(i);
    expect(reports).toEqual([5]);
    expect(counter.count('198.51.100.66')).toBe(12);
    // The window began at the source's second refusal (3 s; the doorkeeper only remembered the first,
    // source-table.ts): 60 s later a new window, five more refusals report again.
    for (let i = 1; i <= 5; i++) if (counter.refused('198.51.100.66', 63_000 + i)) reports.push(100 + i);
    expect(reports).toEqual([5, 105]);
    expect(counter.count('198.51.100.67')).toBe(0);
  });

  it('reports a first refusal at once when the threshold is 1 (the doorkeeper does not delay it)', () => {
    const counter = new RefusalCounter(new SourceTable(1024, 10), 1, 60_000);
    expect(counter.refused('198.51.100.66', 1_000)).toBe(true);
  });
});
