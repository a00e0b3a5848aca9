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

/** Milliseconds taken by `fn(input)`, best of three runs (to ride out a busy machine). */
export function timeIt<T>(fn: (s: string) => T, input: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    fn(input);
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
