/**
 * A short, escaped, printable excerpt of attacker bytes for reports and logs (STYLE principle 4: log
 * at most a short, escaped excerpt). Printable ASCII is kept except backslash; CR, LF and HT become
 * `\r`, `\n`, `\t`; every other byte becomes `\xNN`. Longer input is cut and ends with `…`.
 */
export const DEFAULT_EXCERPT_BYTES = 48;

export function excerpt(bytes: Uint8Array, maxBytes: number = DEFAULT_EXCERPT_BYTES): string {
  const n = Math.min(bytes.length, maxBytes);
  let out = '';
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 13) out += '\\r';
    else if (b === 10) out += '\\n';
    else if (b === 9) out += '\\t';
    else if (b === 92) out += '\\\\';
    else if (b >= 32 && b < 127) out += String.fromCharCode(b);
    else out += '\\x' + (b < 16 ? '0' : '') + b.toString(16);
  }
  return bytes.length > n ? out + '…' : out;
}
