/**
 * The fuzzing property for the value parsers, fed directly with header values (mutated or not) so that
 * each sees text meant for another: a Via handed to the URI parser, a Contact list to the CSeq parser.
 * Each returns its value or a `SipError` whose offset lies inside the text, and never throws.
 */
import { parseCSeq } from '../../src/sip/cseq.js';
import { parseDigest } from '../../src/sip/digest.js';
import { SipError } from '../../src/sip/errors.js';
import { parseNameAddr } from '../../src/sip/name-addr.js';
import { parseParams } from '../../src/sip/params.js';
import { splitHeaderValues } from '../../src/sip/split-values.js';
import { unescapePercent, utf8Text } from '../../src/sip/text.js';
import { parseUri } from '../../src/sip/uri.js';
import { parseVia } from '../../src/sip/via.js';
import { PropertyViolation } from './check-message.js';

const VALUE_PARSERS: ReadonlyArray<readonly [string, (text: string) => unknown]> = [
  ['parseUri', parseUri],
  ['parseNameAddr', parseNameAddr],
  ['parseVia', parseVia],
  ['parseCSeq', parseCSeq],
  ['parseDigest', parseDigest],
  ['parseParams', (t) => parseParams(t, 0)],
  ['splitHeaderValues', splitHeaderValues],
  ['utf8Text', utf8Text],
  ['unescapePercent', unescapePercent],
];

export function checkValue(text: string): void {
  for (const [name, parse] of VALUE_PARSERS) {
    let value: unknown;
    try {
      value = parse(text);
    } catch (e) {
      const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      throw new PropertyViolation(`${name}(${JSON.stringify(text.slice(0, 80))}${text.length > 80 ? '...' : ''}) threw: ${what}`, { cause: e });
    }
    if (value === undefined) throw new PropertyViolation(`${name} returned undefined`);
    if (value instanceof SipError && (!Number.isInteger(value.offset) || value.offset < 0 || value.offset > text.length)) {
      throw new PropertyViolation(`${name}: ${value.code} offset ${value.offset} is outside the text (0..${text.length})`);
    }
  }
}

/**
 * Up to `max` header values of a (possibly broken) message, taken the naive way: the text after the
 * first colon of each line after the first, up to the line end. Good enough to feed value parsers.
 */
export function headerValues(bytes: Buffer, max: number): string[] {
  const text = bytes.toString('latin1');
  const values: string[] = [];
  let lineStart = text.indexOf('\n') + 1;
  while (lineStart > 0 && lineStart < text.length && values.length < max) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const colon = text.indexOf(':', lineStart);
    if (colon >= 0 && colon < lineEnd) values.push(text.slice(colon + 1, lineEnd).replace(/^[ \t]+|[\r]$/g, ''));
    lineStart = lineEnd + 1;
  }
  return values;
}
