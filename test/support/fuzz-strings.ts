/**
 * Test support: fast-check arbitraries for value-parser property tests.
 *
 * `anyBytes` is any byte string; `sipish` draws from the characters that steer SIP value grammars
 * (separators, quotes, brackets, escapes, white space, a few letters and digits), so that random
 * inputs reach deep parser states; `mutationsOf` applies a few random edits to real values.
 */
import fc from 'fast-check';

const SIP_CHARS = [...'sipSIPtelabcxyz019:@[]<>;=,"\\ \t\r\n%.?&-_/+*!~\'()$#`{}|^\x00\x7f\xe9\xff'];

export const anyBytes = fc.string({ unit: 'binary', maxLength: 300 }).map((s) =>
  // Keep it a byte string (what the parser produces): one char per byte.
  Buffer.from(s, 'utf8').toString('latin1'),
);

export const sipish = fc.string({ unit: fc.constantFrom(...SIP_CHARS), maxLength: 120 });

type Edit = { at: number; kind: 0 | 1 | 2; ch: string };

/** A real value with up to four random single-character insertions, deletions or replacements. */
export function mutationsOf(seeds: readonly string[]): fc.Arbitrary<string> {
  const edit: fc.Arbitrary<Edit> = fc.record({
    at: fc.nat(),
    kind: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
    ch: fc.constantFrom(...SIP_CHARS),
  });
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { maxLength: 4 })).map(([seed, edits]) => {
    let s = seed;
    for (const e of edits) {
      const at = s.length === 0 ? 0 : e.at % (s.length + 1);
      if (e.kind === 0) s = s.slice(0, at) + e.ch + s.slice(at);
      else if (e.kind === 1) s = s.slice(0, at) + s.slice(at + 1);
      else s = s.slice(0, at) + e.ch + s.slice(at + 1);
    }
    return s;
  });
}

/** The size of the biggest adversarial input of the linear-time tests. */
export const LINEAR_N = 400_000;

/**
 * `count` parameters with distinct names (`;p0=v;p1=v...` or flags `;p0;p1...`), joined by `sep`:
 * a long list that a parser must walk to the end (a repeated name would stop it at the second).
 */
export function distinctParams(count: number, value: string | null, sep = ';', lead = ';'): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(value === null ? `p${i}` : `p${i}=${value}`);
  return lead + parts.join(sep);
}

/** Milliseconds taken by `fn(input)`, best of `runs` runs (to ride out a busy machine). */
export function timeIt<T>(fn: (s: string) => T, input: string, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn(input);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/**
 * Checks that `fn` takes time linear in the input size. Inputs of size n/4 and n (LINEAR_N) are
 * timed alternately, five times each, keeping the best time of each size (a busy machine only ever
 * makes a run slower). Quadrupling the input may at most multiply the time by 10: a quadratic parser
 * multiplies it by 16, even one whose inner loop is a native `indexOf`. A run that finishes within
 * 100 ms at full size passes outright: its small-size time is too short to compare, and an
 * allocation-heavy linear run can meet a GC pause (a quadratic one takes seconds at this size).
 */
export function linearity<T>(fn: (s: string) => T, build: (n: number) => string): { small: number; big: number; ok: boolean } {
  const smallInput = build(LINEAR_N / 4);
  const bigInput = build(LINEAR_N);
  fn(smallInput); // warm-up: compile before timing
  let small = Infinity;
  let big = Infinity;
  for (let i = 0; i < 5; i++) {
    small = Math.min(small, timeIt(fn, smallInput, 1));
    big = Math.min(big, timeIt(fn, bigInput, 1));
    if (big < 100) break;
  }
  return { small, big, ok: big < 100 || big / Math.max(small, 0.01) <= 10 };
}
