/**
 * Reads a blocklist of scanner addresses, in the forms APIBAN and its kin publish:
 * - text: one address or CIDR block per line; `#` starts a comment (whole line or after the entry);
 *   blank lines are skipped;
 * - JSON: an array of strings, or an object with an `ipaddress` array (APIBAN's answer), e.g.
 *   `{"ipaddress": ["198.51.100.66", ...], "ID": "..."}`.
 *
 * Bounded: at most `maxEntries` entries are taken (the rest are counted as `overLimit`), and the caller
 * bounds the bytes (see `read-blocklist.ts`). A bad line is skipped and counted; the first few are kept
 * with their line number and a short, escaped excerpt, to be reported. Entries come out canonical
 * (`formatCidr`) and without duplicates.
 */
import { formatCidr, parseCidr } from '../../config/cidr.js';

export interface BlocklistProblem {
  /** 1-based line (text), or 1-based index in the array (JSON). */
  readonly line: number;
  readonly excerpt: string;
  readonly message: string;
}

export interface ParsedBlocklist {
  readonly format: 'text' | 'json';
  /** Canonical addresses and blocks, without duplicates, in list order. */
  readonly entries: readonly string[];
  /** Bad entries skipped. */
  readonly invalid: number;
  /** The first few of them. */
  readonly problems: readonly BlocklistProblem[];
  /** Entries past `maxEntries`, not taken. */
  readonly overLimit: number;
}

export interface ParseBlocklistOptions {
  /** Default 100,000. */
  readonly maxEntries?: number;
  /** Problems kept for the report; default 5. */
  readonly maxProblems?: number;
}

export type ParseBlocklistResult = ({ readonly ok: true } & ParsedBlocklist) | { readonly ok: false; readonly error: string };

export const DEFAULT_MAX_ENTRIES = 100_000;
const EXCERPT_CHARS = 40;

/** A short, printable excerpt of untrusted text. */
export function excerpt(text: string): string {
  const cut = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
  return JSON.stringify(cut).slice(1, -1);
}

class Collector {
  readonly entries: string[] = [];
  readonly problems: BlocklistProblem[] = [];
  private readonly seen = new Set<string>();
  invalid = 0;
  overLimit = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxProblems: number,
  ) {}

  take(text: string, line: number): void {
    const cidr = parseCidr(text);
    if (typeof cidr === 'string') {
      this.invalid++;
      if (this.problems.length < this.maxProblems) this.problems.push({ line, excerpt: excerpt(text), message: cidr });
      return;
    }
    const key = formatCidr(cidr);
    if (this.seen.has(key)) return;
    if (this.entries.length >= this.maxEntries) {
      this.overLimit++;
      return;
    }
    this.seen.add(key);
    this.entries.push(key);
  }
}

export function parseBlocklist(text: string, options: ParseBlocklistOptions = {}): ParseBlocklistResult {
  const collector = new Collector(options.maxEntries ?? DEFAULT_MAX_ENTRIES, options.maxProblems ?? 5);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = body.trimStart()[0];
  if (first === '[' || first === '{') {
    const error = parseJson(body, collector);
    if (error !== null) return { ok: false, error };
  } else {
    parseText(body, collector);
  }
  const { entries, invalid, problems, overLimit } = collector;
  return { ok: true, format: first === '[' || first === '{' ? 'json' : 'text', entries, invalid, problems, overLimit };
}

function parseText(text: string, collector: Collector): void {
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    let content = text.slice(start, end);
    const hash = content.indexOf('#');
    if (hash >= 0) content = content.slice(0, hash);
    content = content.trim();
    if (content.length > 0) collector.take(content, line);
    start = end + 1;
  }
}

function parseJson(text: string, collector: Collector): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
  const list = Array.isArray(value) ? value : (value as { ipaddress?: unknown }).ipaddress;
  if (!Array.isArray(list)) return 'JSON blocklist must be an array of addresses or an object with an "ipaddress" array';
  list.forEach((item, i) => {
    if (typeof item === 'string') collector.take(item.trim(), i + 1);
    else collector.take(JSON.stringify(item) ?? String(item), i + 1);
  });
  return null;
}
