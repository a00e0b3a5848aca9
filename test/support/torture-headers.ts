/**
 * Test support: header values read straight out of the RFC 4475 / RFC 5118 torture messages, so
 * that value-parser tests run on the real bytes rather than on copies typed by hand.
 *
 * This is a deliberately naive reader for trusted fixtures (not the product's parser): the header
 * section ends at the first empty line; a line break followed by SP or HTAB is a fold and stays in
 * the value, exactly as it is on the wire.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../fixtures/sip-torture/', import.meta.url));

/** The fixture's bytes as a latin1 byte string, e.g. `tortureText('rfc4475/wsinv.dat')`. */
export function tortureText(file: string): string {
  return readFileSync(ROOT + file).toString('latin1');
}

/** The start line of the fixture. */
export function tortureStartLine(file: string): string {
  const text = tortureText(file);
  return text.slice(0, text.search(/\r?\n/));
}

/**
 * The values (everything after the colon, folds and surrounding white space kept) of every header
 * whose name, trimmed and compared case-insensitively, is one of `names`, in message order.
 */
export function tortureHeaders(file: string, ...names: string[]): string[] {
  const text = tortureText(file);
  const blank = text.search(/\r?\n\r?\n/);
  const head = blank === -1 ? text : text.slice(0, blank);
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const lines = head.split(/\r?\n(?![ \t])/).slice(1);
  const values: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    if (wanted.has(line.slice(0, colon).trim().toLowerCase())) values.push(line.slice(colon + 1));
  }
  return values;
}

/** The single value of a header that the fixture carries exactly once (throws otherwise). */
export function tortureHeader(file: string, ...names: string[]): string {
  const values = tortureHeaders(file, ...names);
  if (values.length !== 1) throw new Error(`${file}: expected one ${names.join('/')} header, found ${values.length}`);
  return values[0]!;
}
