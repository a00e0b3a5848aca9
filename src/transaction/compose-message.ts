/**
 * Builds a new SipMessage from a start line and header values taken from other messages (the ACK,
 * CANCEL and 100 Trying that the transaction layer makes itself). The values are byte strings, as
 * the parser hands them out; the text is re-parsed so that the result is an ordinary SipMessage.
 */
import { SipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { parseMessage } from '../sip/parse.js';

export type HeaderLine = readonly [name: string, value: string];

export function composeMessage(startLine: string, headers: readonly HeaderLine[]): SipMessage | SipError {
  if (startLine.includes('\r') || startLine.includes('\n')) {
    return new SipError('SIP_BAD_START_LINE', 'the start line holds a line break', 0);
  }
  let text = startLine + '\r\n';
  for (const [name, value] of headers) {
    if (value.includes('\r') || value.includes('\n')) {
      return new SipError('SIP_BAD_HEADER_VALUE', `a ${name} value holds a line break`, 0);
    }
    text += `${name}: ${value}\r\n`;
  }
  text += 'Content-Length: 0\r\n\r\n';
  return parseMessage(Buffer.from(text, 'latin1'));
}
