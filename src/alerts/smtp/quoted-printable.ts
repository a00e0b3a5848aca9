/**
 * Quoted-printable (RFC 2045 §6.7) for UTF-8 text bodies: 7-bit safe for any server, readable where it
 * is ASCII, lines at most 76 characters (soft line breaks `=` at the end), CRLF line ends.
 */

const MAX_LINE = 76;

function encodeLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const last = i === bytes.length - 1;
    // Rule 3: a space or tab at the end of a line is encoded, so that transports cannot strip it.
    const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
    const piece = literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (current.length + piece.length > MAX_LINE - 1) {
      out.push(`${current}=`);
      current = '';
    }
    current += piece;
  }
  out.push(current);
  return out.join('\r\n');
}

export function encodeQuotedPrintable(text: string): string {
  return text.split(/\r?\n/).map(encodeLine).join('\r\n');
}

export function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(c.charCodeAt(0) & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
