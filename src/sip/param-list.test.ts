import { describe, expect, it } from 'vitest';
import { SipError } from './errors.js';
import { ParamList } from './param-list.js';
import { EMPTY_PARAMS, parseParams } from './params.js';

function listOf(...pairs: Array<[string, string | null]>): ParamList {
  const list = new ParamList();
  for (const [name, value] of pairs) expect(list.add(name, value)).toBe(true);
  return list;
}

describe('ParamList: the Params (ReadonlyMap) the value parsers return', () => {
  it('reads like a Map, in wire order, whatever the number of parameters', () => {
    for (let n = 0; n <= 20; n++) {
      const pairs: Array<[string, string | null]> = [];
      for (let k = 0; k < n; k++) pairs.push([`p${k}`, k % 3 === 0 ? null : `v${k}`]);
      const list = listOf(...pairs);
      const map = new Map(pairs);
      expect(list.size).toBe(map.size);
      expect([...list]).toEqual([...map]);
      expect([...list.entries()]).toEqual([...map.entries()]);
      expect([...list.keys()]).toEqual([...map.keys()]);
      expect([...list.values()]).toEqual([...map.values()]);
      for (let k = 0; k < n; k++) {
        expect(list.get(`p${k}`)).toBe(map.get(`p${k}`));
        expect(list.has(`p${k}`)).toBe(true);
        expect(list.nameAt(k)).toBe(`p${k}`);
        expect(list.valueAt(k)).toBe(map.get(`p${k}`));
      }
      expect(list.get(`p${n}`)).toBeUndefined();
      expect(list.has(`p${n}`)).toBe(false);
      const seen: Array<[string, string | null]> = [];
      const self = { tag: 'this' };
      list.forEach(function (this: unknown, value, key, whole) {
        expect(this).toBe(self);
        expect(whole).toBe(list);
        seen.push([key, value]);
      }, self);
      expect(seen).toEqual(pairs);
      expect(new Map(list)).toEqual(map);
      expect(Object.fromEntries(list)).toEqual(Object.fromEntries(map));
    }
  });

  it('refuses a name already present, before and after it builds its index', () => {
    for (const n of [1, 2, 3, 8, 9, 30]) {
      const list = new ParamList();
      for (let k = 0; k < n; k++) list.add(`p${k}`, String(k));
      for (let k = 0; k < n; k++) expect(list.add(`p${k}`, 'again')).toBe(false);
      expect(list.size).toBe(n);
      expect(list.get(`p${n - 1}`)).toBe(String(n - 1));
    }
  });

  it('tells whether a value was quoted (the Via branch check needs it)', () => {
    const branch = parseParams(';branch="z9hG4bK 1"', 0);
    const plain = parseParams(';branch=z9hG4bK1', 0);
    if (branch instanceof SipError || plain instanceof SipError) throw new Error('parse failed');
    expect((branch.params as ParamList).hasQuotedValue).toBe(true);
    expect((plain.params as ParamList).hasQuotedValue).toBe(false);
  });

  it('keeps the shared empty list empty and shows no internals in JSON, like a Map', () => {
    expect(() => (EMPTY_PARAMS as ParamList).add('x', null)).toThrow(TypeError);
    expect(EMPTY_PARAMS.size).toBe(0);
    expect(JSON.stringify(listOf(['tag', '1']))).toBe(JSON.stringify(new Map([['tag', '1']])));
  });
});
