/**
 * Reads typed values out of a parsed YAML document and records a located {@link ConfigError} for every
 * value that is not what it should be. Each reader method returns `undefined` both for "absent" and for
 * "wrong" (the error is already recorded), so that the caller falls back to a default and carries on:
 * one pass reports every error in the file.
 */
import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { ConfigError } from './config-error.js';
import { suggestKey } from './suggest-key.js';

/** A value in the document: its key path and its node (null when the key is absent or has no value). */
export interface Entry {
  readonly path: string;
  readonly node: Node | null;
  /** Where to point when the value itself is missing: the key, or the enclosing section. */
  readonly near: Node | null;
}

function childPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function describeNode(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}...` : v}"`;
    return String(v);
  }
  if (isAlias(node)) return `an alias (*${node.source}); write the value out instead`;
  return 'something else';
}

export class ConfigReader {
  readonly errors: ConfigError[] = [];

  /**
   * @param knownKeys for each section path ("" for the top level), the keys it accepts; used to report
   *   unknown keys with a suggestion, also across sections ("listen" at the top is `wan.listen`?).
   */
  constructor(
    private readonly lines: LineCounter,
    private readonly source: string,
    private readonly knownKeys: ReadonlyMap<string, readonly string[]>,
  ) {}

  error(path: string, node: Node | null, message: string): void {
    const offset = node?.range?.[0];
    const at = offset === undefined ? undefined : this.lines.linePos(offset);
    this.errors.push({
      code: 'GG_ERR_CONFIG',
      path,
      ...(at ? { line: at.line, column: at.col } : {}),
      message,
      source: this.source,
    });
  }

  /** The root of a document as an entry. */
  root(node: Node | null): Entry {
    return { path: '', node: this.present(node), near: node };
  }

  /**
   * The keys of a mapping. Absent: an empty map (every key takes its default). Not a mapping: an error
   * and null. Unknown keys are reported with a "did you mean" suggestion.
   */
  section(entry: Entry): Map<string, Entry> | null {
    const result = new Map<string, Entry>();
    if (entry.node === null) return result;
    const known = this.knownKeys.get(entry.path) ?? [];
    if (!isMap(entry.node)) {
      this.error(entry.path, entry.node, `expected a mapping with the keys ${known.join(', ')}; found ${describeNode(entry.node)}`);
      return null;
    }
    for (const pair of entry.node.items) {
      const keyNode = pair.key as Node | null;
      if (!isScalar(keyNode) || typeof keyNode.value !== 'string') {
        this.error(entry.path, keyNode ?? entry.node, 'keys must be plain names');
        continue;
      }
      const key = keyNode.value;
      const path = childPath(entry.path, key);
      if (!known.includes(key)) {
        this.error(path, keyNode, this.unknownKeyMessage(entry.path, key, known));
        continue;
      }
      result.set(key, { path, node: this.present(pair.value as Node | null), near: keyNode });
    }
    return result;
  }

  /** The entry of `key` in a section read by {@link section}, absent or not. */
  child(section: Map<string, Entry>, parent: Entry, key: string): Entry {
    return section.get(key) ?? { path: childPath(parent.path, key), node: null, near: parent.near };
  }

  missing(entry: Entry, message: string): void {
    this.error(entry.path, entry.near, message);
  }

  /** A string scalar. Numbers and booleans are refused (quote them), so that `0123` never becomes 123. */
  text(entry: Entry): string | undefined {
    const node = entry.node;
    if (node === null) return undefined;
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    const hint = isScalar(node) ? ' (put it in quotes)' : '';
    this.error(entry.path, node, `expected text; found ${describeNode(node)}${hint}`);
    return undefined;
  }

  /** An integer within [min, max]. */
  int(entry: Entry, min: number, max: number): number | undefined {
    const node = entry.node;
    if (node === null) return undefined;
    if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) {
      if (node.value >= min && node.value <= max) return node.value;
      this.error(entry.path, node, `${node.value} is out of range (${min}..${max})`);
      return undefined;
    }
    this.error(entry.path, node, `expected a whole number (${min}..${max}); found ${describeNode(node)}`);
    return undefined;
  }

  /** One of a few words; a number is compared by its text (so `unknown: 403` works unquoted). */
  choice<T extends string>(entry: Entry, options: readonly T[]): T | undefined {
    const node = entry.node;
    if (node === null) return undefined;
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
      const word = String(node.value);
      const found = options.find((o) => o === word.toLowerCase());
      if (found !== undefined) return found;
    }
    this.error(entry.path, node, `expected one of ${options.join(', ')}; found ${describeNode(node)}`);
    return undefined;
  }

  /** A list; a single scalar counts as a list of one. Items are entries with paths like `a.b[2]`. */
  list(entry: Entry): Entry[] | undefined {
    const node = entry.node;
    if (node === null) return undefined;
    if (isScalar(node)) return [entry];
    if (!isSeq(node)) {
      this.error(entry.path, node, `expected a list; found ${describeNode(node)}`);
      return undefined;
    }
    return node.items.map((item, i) => ({
      path: `${entry.path}[${i}]`,
      node: this.present(item as Node | null),
      near: (item as Node | null) ?? node,
    }));
  }

  /** Null for an absent or empty value (`key:` alone means "use the default"). */
  private present(node: Node | null): Node | null {
    if (node === null || node === undefined) return null;
    if (isScalar(node) && node.value === null) return null;
    return node;
  }

  private unknownKeyMessage(sectionPath: string, key: string, known: readonly string[]): string {
    const local = suggestKey(key, known);
    if (local !== null) return `unknown key "${key}" (did you mean "${local}"?)`;
    const elsewhere: string[] = [];
    for (const [otherSection, keys] of this.knownKeys) {
      if (otherSection === sectionPath) continue;
      const other = suggestKey(key, keys);
      if (other !== null && other.toLowerCase() === key.toLowerCase()) elsewhere.push(`"${childPath(otherSection, other)}"`);
    }
    if (elsewhere.length > 0) {
      const options = elsewhere.length === 1 ? elsewhere[0] : `${elsewhere.slice(0, -1).join(', ')} or ${elsewhere.at(-1)}`;
      return `unknown key "${key}" here (did you mean ${options}?)`;
    }
    const where = sectionPath ? ` in ${sectionPath}` : '';
    return `unknown key "${key}"${where}; known keys: ${known.join(', ')}`;
  }
}
