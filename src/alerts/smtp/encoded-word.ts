/**
 * RFC 2047 encoded-words for header text that is not plain ASCII (a Japanese Subject):
 * `=?UTF-8?B?<base64>?=`. Each encoded-word is at most 75 characters (§2) and must hold whole
 * characters (§5: "each 'encoded-word' MUST represent an integral number of characters"), so the
 * text is split on code-point boundaries; the words are folded onto continuation lines (CRLF SP).
 */

const MAX_WORD = 75;
const PREFIX = '=?UTF-8?B?';
const SUFFIX = '?=';
/** Bytes whose base64 fits in a word of `room` characters (whole base64 groups): 45 for 75. */
function bytesFor(room: number): number {
  return Math.max(3, Math.floor((Math.min(room, MAX_WORD) - PREFIX.length - SUFFIX.length) / 4) * 3);
}

/** Printable ASCII only (no controls): such text goes into the header as it is. */
function isPlain(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/**
 * The encoded-words of `text`, each ≤ 75 characters; the first ≤ `firstRoom` (what is left of the
 * first header line, so that it stays within 78 characters, RFC 5322 §2.1.1).
 */
export function encodedWords(text: string, firstRoom = MAX_WORD): string[] {
  const words: string[] = [];
  let chunk: Buffer[] = [];
  let size = 0;
  const flush = (): void => {
    if (size === 0) return;
    words.push(`${PREFIX}${Buffer.concat(chunk).toString('base64')}${SUFFIX}`);
    chunk = [];
    size = 0;
  };
  for (const ch of text) {
    const bytes = Buffer.from(ch, 'utf8');
    if (size + bytes.length > bytesFor(words.length === 0 ? firstRoom : MAX_WORD - 1)) flush();
    chunk.push(bytes);
    size += bytes.length;
  }
  flush();
  return words;
}

/**
 * A header value ready to follow `Name: `: ASCII as is, anything else as encoded-words folded with
 * CRLF SP (whitespace between adjacent encoded-words is ignored by readers, RFC 2047 §6.2).
 * CR and LF never survive: a value cannot inject a header.
 */
export function headerText(text: string, nameLength = 0): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  return isPlain(clean) ? clean : encodedWords(clean, 78 - nameLength - 2).join('\r\n ');
}

/** Decodes the B and Q encoded-words of a header value (for tests and the SMTP sink). */
export function decodeHeaderText(value: string): string {
  const unfolded = value.replace(/\r\n[ \t]/g, ' ');
  const joined = unfolded.replace(/(\?=)\s+(=\?)/g, '$1$2');
  return joined.replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, data: string) => {
    if (enc.toUpperCase() === 'B') return Buffer.from(data, 'base64').toString('utf8');
    const bytes = data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  });
}
