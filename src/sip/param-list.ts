/**
 * The `Params` that the value parsers return: a read-only map of parameters in wire order.
 *
 * A header or URI carries one to three parameters almost always (`tag`, `branch`, `rport`, `lr`,
 * `transport`). For that, a `Map` costs more than the parse itself: a hash table allocated per value
 * and every name hashed on insertion. Here the first two parameters live in fields of the object
 * itself and the others in one array, found by a linear scan (names compare by pointer when they
 * are the constant strings `lowerName` returns for the common parameters). Past `INDEX_AFTER`
 * parameters (attacker input: `;a;b;c;...`), a `Map` index is built so that the duplicate check
 * and lookups stay O(1) each and a long list stays linear.
 *
 * Implements `ReadonlyMap` (get, has, size, iteration in wire order, entries, keys, values, forEach):
 * code that reads `Params` cannot tell the difference. The fields are truly private (`#`), so that,
 * as for a `Map`, `JSON.stringify` shows none of them.
 */

/** How many parameters are searched linearly before a Map index is built. */
const INDEX_AFTER = 8;

export class ParamList implements ReadonlyMap<string, string | null> {
  #size = 0;
  #name0 = '';
  #value0: string | null = null;
  #name1 = '';
  #value1: string | null = null;
  /** The third parameter on: name2, value2, name3, value3, ... */
  #rest: Array<string | null> | null = null;
  /** name → position (0-based), once there are more than INDEX_AFTER parameters. */
  #index: Map<string, number> | null = null;
  /** Whether a value was written as a quoted-string (see `hasQuotedValue`). */
  #quoted = false;
  /** The shared empty list refuses additions. */
  #frozen = false;

  get size(): number {
    return this.#size;
  }

  get(name: string): string | null | undefined {
    const n = this.find(name);
    return n < 0 ? undefined : this.valueAt(n);
  }

  has(name: string): boolean {
    return this.find(name) >= 0;
  }

  /**
   * Appends a parameter (for the parsers, while the list is being built). Returns false, adding
   * nothing, when the name is already present.
   */
  add(name: string, value: string | null): boolean {
    if (this.#frozen) throw new TypeError('the empty parameter list is immutable');
    if (this.find(name) >= 0) return false;
    const n = this.#size;
    if (n === 0) {
      this.#name0 = name;
      this.#value0 = value;
    } else if (n === 1) {
      this.#name1 = name;
      this.#value1 = value;
    } else {
      if (this.#rest === null) this.#rest = [name, value];
      else this.#rest.push(name, value);
      if (this.#index !== null) {
        this.#index.set(name, n);
      } else if (n === INDEX_AFTER) {
        const index = new Map<string, number>();
        for (let k = 0; k <= n; k++) index.set(this.nameAt(k), k);
        this.#index = index;
      }
    }
    this.#size = n + 1;
    return true;
  }

  /** Name of the `n`th parameter in wire order (0-based, n < size), for the parsers' single pass. */
  nameAt(n: number): string {
    if (n === 0) return this.#name0;
    if (n === 1) return this.#name1;
    return this.#rest![2 * (n - 2)]!;
  }

  /** Value of the `n`th parameter in wire order (0-based, n < size). */
  valueAt(n: number): string | null {
    if (n === 0) return this.#value0;
    if (n === 1) return this.#value1;
    return this.#rest![2 * (n - 2) + 1]!;
  }

  /** Records that a value was written as a quoted-string (for the parsers). */
  noteQuotedValue(): void {
    this.#quoted = true;
  }

  /** Whether some value was written as a quoted-string (then unquoted): the only way a value may hold non-token characters. */
  get hasQuotedValue(): boolean {
    return this.#quoted;
  }

  forEach(callback: (value: string | null, key: string, map: ReadonlyMap<string, string | null>) => void, thisArg?: unknown): void {
    for (let n = 0; n < this.#size; n++) callback.call(thisArg, this.valueAt(n), this.nameAt(n), this);
  }

  entries(): MapIterator<[string, string | null]> {
    const pairs: Array<[string, string | null]> = [];
    for (let n = 0; n < this.#size; n++) pairs.push([this.nameAt(n), this.valueAt(n)]);
    return pairs[Symbol.iterator]();
  }

  keys(): MapIterator<string> {
    const keys: string[] = [];
    for (let n = 0; n < this.#size; n++) keys.push(this.nameAt(n));
    return keys[Symbol.iterator]();
  }

  values(): MapIterator<string | null> {
    const values: Array<string | null> = [];
    for (let n = 0; n < this.#size; n++) values.push(this.valueAt(n));
    return values[Symbol.iterator]();
  }

  [Symbol.iterator](): MapIterator<[string, string | null]> {
    return this.entries();
  }

  /** Position of `name`, or -1. */
  private find(name: string): number {
    if (this.#index !== null) return this.#index.get(name) ?? -1;
    const size = this.#size;
    if (size === 0) return -1;
    if (this.#name0 === name) return 0;
    if (size === 1) return -1;
    if (this.#name1 === name) return 1;
    const rest = this.#rest;
    if (rest !== null) {
      for (let i = 0; i < rest.length; i += 2) {
        if (rest[i] === name) return 2 + (i >> 1);
      }
    }
    return -1;
  }

  /** A list that refuses additions: the shared value for "no parameters". */
  static frozenEmpty(): ParamList {
    const list = new ParamList();
    list.#frozen = true;
    Object.freeze(list);
    return list;
  }
}
