/**
 * A signal of the fingerprint data compiled once into a predicate over one request's features: values
 * lower-cased ahead of time, method filters turned into a set. Every test is a plain string check over
 * a value of at most MAX_FIELD_LENGTH characters (no regular expressions).
 */
import { hasCountryCode, isInternationalDialString } from './dial-string.js';
import type { Rest, SignalSpec } from './fingerprint-schema.js';
import type { MessageFeatures } from './message-features.js';

type Test = (value: string, lower: string) => boolean;

/** Tests that compare lower-cased text. */
const TEXT_TESTS: ReadonlySet<string> = new Set(['equals', 'prefix', 'suffix', 'contains', 'hex', 'alnum']);

const VALUE = 0;
const ABSENT = 1;
const ORDER = 2;

/** A signal ready to run: its field read by slot, its test prepared. */
export class CompiledSignal {
  readonly id: string;
  readonly #slot: number;
  readonly #methods: ReadonlySet<string> | null;
  readonly #kind: number;
  readonly #test: Test;
  /** Whether the test compares text (and so needs the lower-cased value). */
  readonly #needsLower: boolean;
  readonly #order: readonly string[];

  constructor(spec: SignalSpec, slot: number) {
    this.id = spec.id;
    this.#slot = slot;
    this.#methods = spec.methods === undefined ? null : new Set(spec.methods.map((m) => m.toUpperCase()));
    this.#kind = spec.test === 'absent' ? ABSENT : spec.test === 'order' ? ORDER : VALUE;
    this.#order = spec.test === 'order' ? spec.value.map((name) => name.toLowerCase()) : [];
    this.#test = spec.test === 'absent' || spec.test === 'order' ? () => false : valueTest(spec);
    this.#needsLower = TEXT_TESTS.has(spec.test);
  }

  matches(features: MessageFeatures): boolean {
    if (this.#methods !== null && !this.#methods.has(features.method)) return false;
    if (this.#kind === ORDER) return startsWithNames(features.headerOrder(), this.#order);
    const value = features.at(this.#slot);
    if (this.#kind === ABSENT) return value === null;
    return value !== null && this.#test(value, this.#needsLower ? features.lowerAt(this.#slot)! : value);
  }
}

/**
 * Compiles one signal. `slotOf` gives the index under which the classifier's MessageFeatures reads
 * the signal's field (fields shared by several signals are read once).
 */
export function compileSignal(spec: SignalSpec, slotOf: (field: SignalSpec['field']) => number): CompiledSignal {
  return new CompiledSignal(spec, slotOf(spec.field));
}

function valueTest(spec: Exclude<SignalSpec, { test: 'absent' | 'order' }>): Test {
  switch (spec.test) {
    case 'equals': {
      const set = new Set(list(spec.value));
      return (_value, lower) => set.has(lower);
    }
    case 'prefix': {
      const prefixes = list(spec.value);
      const rest = spec.rest;
      return (_value, lower) => {
        for (const p of prefixes) if (lower.startsWith(p) && (rest === undefined || restIs(lower, p.length, rest))) return true;
        return false;
      };
    }
    case 'suffix': {
      const suffixes = list(spec.value);
      return (_value, lower) => {
        for (const s of suffixes) if (lower.endsWith(s)) return true;
        return false;
      };
    }
    case 'contains': {
      const parts = list(spec.value);
      return (_value, lower) => {
        for (const p of parts) if (lower.includes(p)) return true;
        return false;
      };
    }
    case 'true':
      return (value) => value === 'true';
    case 'digits':
      return (value) => inRange(value.length, spec.min, spec.max) && restIs(value, 0, 'digits');
    case 'hex':
      return (value, lower) => inRange(value.length, spec.min, spec.max) && restIs(lower, 0, 'hex');
    case 'alnum':
      return (value, lower) => inRange(value.length, spec.min, spec.max) && restIs(lower, 0, 'alnum');
    case 'hex-text':
      return isHexText;
    case 'international':
      return (value) => isInternationalDialString(value);
    case 'country-code': {
      const codes = [...spec.value];
      return (value) => hasCountryCode(value, codes);
    }
  }
}

function list(value: string | readonly string[]): string[] {
  return (typeof value === 'string' ? [value] : [...value]).map((v) => v.toLowerCase());
}

function inRange(length: number, min = 1, max = Number.MAX_SAFE_INTEGER): boolean {
  return length >= min && length <= max;
}

function startsWithNames(names: readonly string[], wanted: readonly string[]): boolean {
  if (names.length < wanted.length) return false;
  for (let i = 0; i < wanted.length; i++) if (names[i] !== wanted[i]) return false;
  return true;
}

/** Whether `lower[from..]` is non-empty and made only of the class (hex expects lower case). */
function restIs(lower: string, from: number, rest: Rest): boolean {
  if (from >= lower.length) return false;
  for (let i = from; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39;
    if (rest === 'digits' ? digit : rest === 'hex' ? digit || (c >= 0x61 && c <= 0x66) : digit || (c >= 0x61 && c <= 0x7a)) continue;
    return false;
  }
  return true;
}

/**
 * SIPVicious tags: `createTag(data)` is the hex of `<data>\x01<random decimal>` (data: the target
 * address and port in hex, the extension, or `user:password` for svcrack). So: an even number of hex
 * digits that decode to printable ASCII with exactly one 0x01 byte, not at either end.
 */
export function isHexText(value: string): boolean {
  if (value.length < 8 || value.length % 2 !== 0) return false;
  let separators = 0;
  for (let i = 0; i < value.length; i += 2) {
    const hi = hexDigit(value.charCodeAt(i));
    const lo = hexDigit(value.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return false;
    const byte = hi * 16 + lo;
    if (byte === 0x01) {
      if (i === 0 || i === value.length - 2) return false;
      separators++;
    } else if (byte < 0x20 || byte > 0x7e) {
      return false;
    }
  }
  return separators === 1;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}
