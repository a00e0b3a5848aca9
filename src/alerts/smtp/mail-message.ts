/**
 * An RFC 5322 message for a plain-text alert: From, To, Subject (RFC 2047 when not ASCII), Date,
 * Message-ID, MIME-Version and a UTF-8 quoted-printable body, with CRLF line ends. And the
 * transparency of RFC 5321 §4.5.2 for the DATA phase (dot-stuffing).
 */
import { randomBytes } from 'node:crypto';
import { headerText } from './encoded-word.js';
import { encodeQuotedPrintable } from './quoted-printable.js';

export interface MailContent {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly body: string;
  /** ms since the epoch. */
  readonly date: number;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 §3.3 date-time in UTC: "Sat, 28 Nov 2026 01:02:03 +0000". */
export function rfc5322Date(at: number): string {
  const d = new Date(at);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** The domain part of an address, for the Message-ID (RFC 5322 §3.6.4: globally unique). */
function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? 'ghostguard.invalid' : address.slice(at + 1);
}

export function buildMessage(mail: MailContent): string {
  const id = `<${mail.date.toString(36)}.${randomBytes(9).toString('hex')}@${domainOf(mail.from)}>`;
  const headers = [
    `From: ${mail.from}`,
    `To: ${mail.to.join(',\r\n ')}`,
    `Subject: ${headerText(mail.subject, 'Subject'.length)}`,
    `Date: ${rfc5322Date(mail.date)}`,
    `Message-ID: ${id}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: quoted-printable',
    'Auto-Submitted: auto-generated',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${encodeQuotedPrintable(mail.body)}\r\n`;
}

/**
 * RFC 5321 §4.5.2: "Before sending a line of mail text, the SMTP client checks the first character of
 * the line. If it is a period, one additional period is inserted at the beginning of the line."
 * Returns the DATA payload including the terminating `CRLF.CRLF`.
 */
export function dotStuff(message: string): string {
  const body = message.endsWith('\r\n') ? message : `${message}\r\n`;
  return `${body.replace(/^\./gm, '..')}.\r\n`;
}
