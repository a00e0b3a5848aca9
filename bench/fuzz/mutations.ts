/**
 * Byte-level mutations of a SIP message, aimed at what breaks SIP parsers: the delimiters of RFC 3261
 * §25 (CR, LF, NUL, quotes, angle brackets, commas, semicolons, colons, escapes), cut messages,
 * duplicated header lines, and huge repetitions of a slice.
 *
 * A fuzz case is a seed index plus a short list of mutations. Positions are plain numbers taken modulo
 * the current length, so any list applies to any message and fast-check can shrink it.
 */
import fc from 'fast-check';

export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly byte: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete'; readonly at: number; readonly len: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'dupLine'; readonly line: number; readonly times: number }
  | { readonly kind: 'dropLine'; readonly line: number }
  | { readonly kind: 'swapLines'; readonly a: number; readonly b: number }
  | { readonly kind: 'bareLf'; readonly line: number }
  | { readonly kind: 'repeat'; readonly at: number; readonly len: number; readonly times: number };

export interface FuzzCase {
  readonly seed: number;
  readonly mutations: readonly Mutation[];
}

/** No mutated message grows beyond this (the parser's default limit is 65,535 bytes: some go past it). */
export const MAX_MUTATED_SIZE = 256 * 1024;

/** Delimiters and line breaks, alone and in the combinations that trip parsers. */
const SPECIALS = [
  '\r', '\n', '\r\n', '\0', '"', '<', '>', ',', ';', ':', '=', '@', '?', '&', '%', '\\', ' ', '\t',
  '[', ']', '/', '\r\n ', '\r\n\t', '\r\n\r\n', ';;', '<<', '>>', '""', '%0', '%00', ':::', '\xff', '\x80',
  'sip:', 'SIP/2.0', ';tag=', ';branch=', ';rport', ';received=', '[::1]', 'Content-Length: 99999\r\n',
  'l: -1\r\n', 'Via: ,\r\n', 'Contact: *\r\n', 'CSeq: 4294967296 INVITE\r\n', 'Max-Forwards: 999\r\n',
];
const SPECIAL_CHARS = '\r\n\0"<>,;:=@?&%\\ \t[]/';

const insertText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...SPECIAL_CHARS), minLength: 1, maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 8 }) },
);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.nat(255) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: insertText }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('dupLine' as const),
      line: fc.nat(),
      times: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 200, max: 2000 }) }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropLine' as const), line: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bareLf' as const), line: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('repeat' as const),
      at: fc.nat(),
      len: fc.integer({ min: 1, max: 16 }),
      times: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 2, max: 64 }) }, { weight: 1, arbitrary: fc.integer({ min: 500, max: 8_000 }) }),
    }),
  },
);

export function fuzzCaseArb(seedCount: number): fc.Arbitrary<FuzzCase> {
  return fc.record({
    seed: fc.nat(seedCount - 1),
    mutations: fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
  });
}

export function applyMutations(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
  // One copy up front: the seed stays intact and byte edits can then be made in place.
  let b: Buffer = Buffer.from(bytes);
  for (const m of mutations) b = applyOne(b, m);
  return b;
}

function applyOne(b: Buffer, m: Mutation): Buffer {
  switch (m.kind) {
    case 'flip': {
      if (b.length === 0) return b;
      const at = m.at % b.length;
      b[at] = b[at]! ^ (1 << m.bit);
      return b;
    }
    case 'set': {
      if (b.length === 0) return b;
      b[m.at % b.length] = m.byte;
      return b;
    }
    case 'insert': {
      const at = m.at % (b.length + 1);
      return Buffer.concat([b.subarray(0, at), Buffer.from(m.text, 'latin1'), b.subarray(at)]);
    }
    case 'delete': {
      const at = m.at % (b.length + 1);
      return Buffer.concat([b.subarray(0, at), b.subarray(at + m.len)]);
    }
    case 'truncate':
      return b.subarray(0, m.at % (b.length + 1));
    case 'dupLine': {
      const lines = splitLines(b);
      const line = lines[m.line % lines.length]!;
      const times = Math.min(m.times, Math.floor(MAX_MUTATED_SIZE / Math.max(1, line.length)));
      const at = line.byteOffset - b.byteOffset + line.length;
      return Buffer.concat([b.subarray(0, at), ...Array<Buffer>(times).fill(line), b.subarray(at)]);
    }
    case 'dropLine': {
      const lines = splitLines(b);
      lines.splice(m.line % lines.length, 1);
      return Buffer.concat(lines);
    }
    case 'swapLines': {
      const lines = splitLines(b);
      const i = m.a % lines.length;
      const j = m.b % lines.length;
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return Buffer.concat(lines);
    }
    case 'bareLf': {
      const lines = splitLines(b);
      const i = m.line % lines.length;
      const line = lines[i]!;
      if (line.length >= 2 && line[line.length - 2] === 13 && line[line.length - 1] === 10) {
        lines[i] = Buffer.concat([line.subarray(0, line.length - 2), Buffer.from('\n')]);
      }
      return Buffer.concat(lines);
    }
    case 'repeat': {
      if (b.length === 0) return b;
      const at = m.at % b.length;
      const slice = b.subarray(at, at + m.len);
      const times = Math.min(m.times, Math.floor(MAX_MUTATED_SIZE / slice.length));
      return Buffer.concat([b.subarray(0, at), Buffer.alloc(slice.length * times, slice), b.subarray(at)]);
    }
  }
}

/** Lines of `b`, each with its own line end (LF or CRLF); at least one (possibly empty) line. */
function splitLines(b: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 10) {
      lines.push(b.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < b.length || lines.length === 0) lines.push(b.subarray(start));
  return lines;
}

/** A short, readable description of a case, for counterexample reports. */
export function describeCase(seedName: string, c: FuzzCase): string {
  return `${seedName} + ${JSON.stringify(c.mutations)}`;
}
