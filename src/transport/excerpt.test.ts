import { describe, expect, it } from 'vitest';
import { excerpt } from './excerpt.js';

describe('excerpt', () => {
  it('escapes line ends, tabs, backslashes and non-printable bytes', () => {
    expect(excerpt(Buffer.from('INVITE sip:x\r\n\tA\\B\x00\xff', 'latin1'))).toBe('INVITE sip:x\\r\\n\\tA\\\\B\\x00\\xff');
  });

  it('cuts long input and marks the cut', () => {
    expect(excerpt(Buffer.from('abcdefghij'), 4)).toBe('abcd…');
    expect(excerpt(Buffer.from('x'.repeat(1000)))).toHaveLength(49);
  });

  it('is empty for no bytes', () => {
    expect(excerpt(new Uint8Array(0))).toBe('');
  });
});
