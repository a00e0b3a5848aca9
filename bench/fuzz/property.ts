/**
 * One fuzz case: the message property on the bytes, then the value-parser property on the first header
 * values found in them (bench/fuzz/check-message.ts, bench/fuzz/check-values.ts).
 */
import { checkMessage } from './check-message.js';
import { checkValue, headerValues } from './check-values.js';

export const VALUES_PER_CASE = 8;

export function fuzzProperty(bytes: Buffer): void {
  checkMessage(bytes);
  for (const value of headerValues(bytes, VALUES_PER_CASE)) checkValue(value);
}
