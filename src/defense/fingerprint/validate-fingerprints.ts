/**
 * Checks a fingerprint set before it is compiled: the built-in data (in a test) or a set read from a
 * JSON file. Every problem is reported with where it is (`families[3].signals[1]: unknown signal 'x'`),
 * so a person extending the data sees all mistakes at once.
 */
import { FINGERPRINT_FORMAT, FLAG_FIELDS, TEXT_FIELDS, type FingerprintSet } from './fingerprint-schema.js';

export type ValidationResult = { readonly ok: true; readonly set: FingerprintSet } | { readonly ok: false; readonly errors: readonly string[] };

const TESTS = new Set(['equals', 'prefix', 'suffix', 'contains', 'absent', 'true', 'digits', 'hex', 'alnum', 'hex-text', 'international', 'country-code', 'order']);
const STRING_VALUE_TESTS = new Set(['equals', 'prefix', 'suffix', 'contains']);
const LIST_VALUE_TESTS = new Set(['country-code', 'order']);
const RANGE_TESTS = new Set(['digits', 'hex', 'alnum']);
const RESTS = new Set(['digits', 'hex', 'alnum']);
const TEXT = new Set<string>(TEXT_FIELDS);
const FLAGS = new Set<string>(FLAG_FIELDS);
const FAMILY_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isTextList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every(isText);
}

export function validateFingerprints(input: unknown): ValidationResult {
  const errors: string[] = [];
  if (!isObj(input)) return { ok: false, errors: ['a fingerprint set must be an object'] };
  if (input['format'] !== FINGERPRINT_FORMAT) errors.push(`format: expected ${FINGERPRINT_FORMAT}, got ${JSON.stringify(input['format'])}`);
  if (!isText(input['version'])) errors.push('version: a non-empty string is required');
  const threshold = input['threshold'];
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) errors.push('threshold: a number in (0, 1] is required');

  const ids = new Set<string>();
  const signals = input['signals'];
  if (!Array.isArray(signals)) errors.push('signals: a list is required');
  else signals.forEach((signal, i) => checkSignal(signal, `signals[${i}]`, ids, errors));

  const families = input['families'];
  const seen = new Set<string>();
  if (!Array.isArray(families) || families.length === 0) errors.push('families: a non-empty list is required');
  else families.forEach((entry, i) => checkFamily(entry, `families[${i}]`, ids, seen, errors));

  return errors.length === 0 ? { ok: true, set: input as unknown as FingerprintSet } : { ok: false, errors };
}

function checkSignal(signal: unknown, at: string, ids: Set<string>, errors: string[]): void {
  if (!isObj(signal)) {
    errors.push(`${at}: an object is required`);
    return;
  }
  const { id, field, test, value } = signal;
  if (!isText(id)) errors.push(`${at}.id: a non-empty string is required`);
  else if (ids.has(id)) errors.push(`${at}.id: '${id}' is used twice`);
  else ids.add(id);
  if (!isText(signal['note'])) errors.push(`${at}.note: say what the signal means and where the fact comes from`);
  const known = isText(field) && (TEXT.has(field) || FLAGS.has(field) || field === 'header-order' || (field.startsWith('header:') && field.length > 7));
  if (!known) errors.push(`${at}.field: unknown field ${JSON.stringify(field)}`);
  if (!isText(test) || !TESTS.has(test)) {
    errors.push(`${at}.test: unknown test ${JSON.stringify(test)}`);
    return;
  }
  if (known && FLAGS.has(field) !== (test === 'true')) errors.push(`${at}: the test 'true' goes with flag fields (${[...FLAGS].join(', ')}) and only there`);
  if (known && (field === 'header-order') !== (test === 'order')) errors.push(`${at}: the test 'order' goes with the field 'header-order' and only there`);
  if (STRING_VALUE_TESTS.has(test) && !isText(value) && !isTextList(value)) errors.push(`${at}.value: a string or a list of strings is required`);
  if (LIST_VALUE_TESTS.has(test) && !isTextList(value)) errors.push(`${at}.value: a list of strings is required`);
  if (RANGE_TESTS.has(test)) checkRange(signal, at, errors);
  if (signal['rest'] !== undefined && (test !== 'prefix' || !RESTS.has(String(signal['rest'])))) {
    errors.push(`${at}.rest: only for 'prefix', one of ${[...RESTS].join(', ')}`);
  }
  const methods = signal['methods'];
  if (methods !== undefined && !isTextList(methods)) errors.push(`${at}.methods: a list of method names is required`);
}

function checkRange(signal: Obj, at: string, errors: string[]): void {
  const min = signal['min'] ?? 1;
  const max = signal['max'] ?? Number.MAX_SAFE_INTEGER;
  if (typeof min !== 'number' || typeof max !== 'number' || !Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) {
    errors.push(`${at}: min and max must be whole numbers with 1 <= min <= max`);
  }
}

function checkFamily(entry: unknown, at: string, ids: ReadonlySet<string>, seen: Set<string>, errors: string[]): void {
  if (!isObj(entry)) {
    errors.push(`${at}: an object is required`);
    return;
  }
  const { family, variant } = entry;
  if (!isText(family) || !FAMILY_ID.test(family)) errors.push(`${at}.family: a lower-case kebab-case id is required`);
  if (!isText(variant) || !FAMILY_ID.test(variant)) errors.push(`${at}.variant: a lower-case kebab-case id is required`);
  const key = `${String(family)}/${String(variant)}`;
  if (seen.has(key)) errors.push(`${at}: ${key} is listed twice`);
  seen.add(key);
  if (!isText(entry['description'])) errors.push(`${at}.description: say what the entry recognizes`);
  if (!isText(entry['source'])) errors.push(`${at}.source: say where the facts come from`);
  const requires = entry['requires'];
  if (requires !== undefined) {
    if (!isTextList(requires)) errors.push(`${at}.requires: a list of signal ids is required`);
    else for (const id of requires) if (!ids.has(id)) errors.push(`${at}.requires: unknown signal '${id}'`);
  }
  const list = entry['signals'];
  if (!Array.isArray(list) || list.length === 0) {
    errors.push(`${at}.signals: a non-empty list is required`);
    return;
  }
  let positive = 0;
  list.forEach((item, i) => {
    const where = `${at}.signals[${i}]`;
    if (!isObj(item)) {
      errors.push(`${where}: an object is required`);
      return;
    }
    const id = item['signal'];
    const weight = item['weight'];
    if (!isText(id) || !ids.has(id)) errors.push(`${where}: unknown signal ${JSON.stringify(id)}`);
    if (typeof weight !== 'number' || !(weight > -1 && weight <= 1) || weight === 0) errors.push(`${where}.weight: a number in (-1, 0) or (0, 1] is required`);
    else if (weight > 0) positive++;
  });
  if (positive === 0) errors.push(`${at}.signals: at least one signal with a positive weight is required`);
}
