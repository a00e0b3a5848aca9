/**
 * Attacker-controlled text made safe to put into a sentence for people (explanations, dashboard, CLI).
 *
 * Display names, user parts and User-Agent values come from whoever sent the packet. Before one is
 * inserted into an explanation it is bounded, decoded and cleaned, so that an explanation can never carry
 * a line break, a terminal escape, a right-to-left override that reorders the sentence, an HTML tag, or a
 * megabyte:
 *
 * - at most {@link MAX_INPUT} input characters are looked at (bounded work whatever the input size);
 * - a byte string (every char ≤ U+00FF, as the parser gives them) is decoded as UTF-8 (`utf8Text`);
 *   text that already holds wider characters is taken as text;
 * - control characters (C0, DEL, C1), line and paragraph separators, bidirectional formatting and
 *   zero-width characters, and lone surrogates are removed; white space runs become one space; `<` and
 *   `>` become `‹` and `›`;
 * - the result is capped at `max` code points, the last being `…` when something was cut.
 */
import { utf8Text } from '../sip/text.js';

/** Default cap for names in sentences. */
export const MAX_PEOPLE_TEXT = 40;
/** Input characters examined at most. */
export const MAX_INPUT = 1024;

const ELLIPSIS = '…';

export function peopleText(text: string | null | undefined, max: number = MAX_PEOPLE_TEXT): string {
  if (text === null || text === undefined || text.length === 0 || max <= 0) return '';
  const bounded = text.length > MAX_INPUT ? text.slice(0, MAX_INPUT) : text;
  const decoded = isByteString(bounded) ? utf8Text(bounded) : bounded;

  const points: string[] = [];
  let pendingSpace = false;
  let cut = false;
  for (let i = 0; i < decoded.length; i++) {
    let cp = decoded.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const low = decoded.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      } else {
        continue; // lone high surrogate
      }
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      continue; // lone low surrogate
    }
    if (isSpace(cp)) {
      pendingSpace = points.length > 0;
      continue;
    }
    if (isInvisible(cp)) continue;
    if (points.length >= max) {
      cut = true;
      break;
    }
    if (pendingSpace) {
      points.push(' ');
      pendingSpace = false;
      if (points.length >= max) {
        cut = true;
        break;
      }
    }
    points.push(cp === 0x3c ? '‹' : cp === 0x3e ? '›' : String.fromCodePoint(cp));
  }
  if (!cut && text.length > MAX_INPUT) cut = true;
  if (cut) {
    while (points.length >= max) points.pop();
    while (points.length > 0 && points[points.length - 1] === ' ') points.pop();
    points.push(ELLIPSIS);
  }
  return points.join('');
}

function isByteString(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

/** White space, including the control characters that break lines: each run becomes one space. */
function isSpace(cp: number): boolean {
  return (
    cp === 0x20 ||
    (cp >= 0x09 && cp <= 0x0d) ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** Control, bidirectional-formatting and zero-width characters, and noncharacters: removed. */
function isInvisible(cp: number): boolean {
  return (
    cp <= 0x1f ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0x061c ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0xfeff ||
    (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp & 0xfffe) === 0xfffe ||
    (cp >= 0xfdd0 && cp <= 0xfdef) ||
    (cp >= 0xe0000 && cp <= 0xe007f)
  );
}

/** Whether a string holds a character `peopleText` would have removed (for tests and assertions). */
export function hasUnsafeChar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) continue;
    if (c >= 0xd800 && c <= 0xdfff) {
      const cp = text.codePointAt(i)!;
      if (cp < 0x10000) return true; // lone surrogate
      if (isInvisible(cp)) return true;
      i++;
      continue;
    }
    if (isSpace(c) || isInvisible(c) || c === 0x3c || c === 0x3e) return true;
  }
  return false;
}
