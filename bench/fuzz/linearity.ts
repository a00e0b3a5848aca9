/**
 * Is the work linear in the input? For each pathological shape, time the whole property check (parse,
 * every accessor, validate, serialize) on messages of 1 KiB, 8 KiB and 64 KiB and compare the time per
 * byte. Linear work keeps the 64 KiB / 1 KiB ratio near 1 (below 1 when a fixed per-message cost
 * dominates the small input); quadratic work would make it about 64.
 */
import { performance } from 'node:perf_hooks';
import { checkMessage } from './check-message.js';
import { SHAPES, UNBOUNDED, shapedMessage, type Shape } from './pathological.js';

export const LINEARITY_SIZES = [1024, 8 * 1024, 64 * 1024] as const;

export interface LinearityRow {
  readonly shape: Shape;
  readonly bytes: number[];
  readonly nsPerByte: number[];
  /** ns/byte at the largest size divided by ns/byte at the smallest. */
  readonly ratio: number;
}

export function measureLinearity(budgetMsPerPoint = 150): LinearityRow[] {
  return SHAPES.map((shape) => {
    const bytes: number[] = [];
    const nsPerByte: number[] = [];
    for (const size of LINEARITY_SIZES) {
      const input = shapedMessage(shape, size);
      for (let i = 0; i < 3; i++) checkMessage(input, UNBOUNDED);
      let runs = 0;
      const start = performance.now();
      let elapsed = 0;
      do {
        checkMessage(input, UNBOUNDED);
        runs++;
        elapsed = performance.now() - start;
      } while (elapsed < budgetMsPerPoint || runs < 5);
      bytes.push(input.length);
      nsPerByte.push((elapsed * 1e6) / runs / input.length);
    }
    return { shape, bytes, nsPerByte, ratio: nsPerByte[nsPerByte.length - 1]! / nsPerByte[0]! };
  });
}

export function formatLinearity(rows: readonly LinearityRow[]): string {
  const head = ['shape', ...LINEARITY_SIZES.map((s) => `ns/byte @ ${s / 1024} KiB`), '64/1 ratio'];
  const body = rows.map((r) => [r.shape, ...r.nsPerByte.map((x) => x.toFixed(2)), r.ratio.toFixed(2)]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
