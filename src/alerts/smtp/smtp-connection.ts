/**
 * One SMTP connection as a sequence of replies (RFC 5321 §4.2): reads multi-line replies
 * (`250-...` lines, then `250 ...`), bounded in size, each awaited with a timeout, and writes command
 * lines. Can be upgraded to TLS in place (STARTTLS, RFC 3207). Every failure is an {@link SmtpError}
 * that names the step and, when there is one, the server's reply.
 */
import { formatDuration } from '../format-duration.js';
import type { Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

export interface SmtpReply {
  readonly code: number;
  /** The text of each line, without the code. */
  readonly lines: readonly string[];
}

export class SmtpError extends Error {
  readonly step: string;
  readonly reply: SmtpReply | null;
  constructor(step: string, message: string, reply: SmtpReply | null = null) {
    super(reply ? `${step}: ${message}: the server answered ${formatReply(reply)}` : `${step}: ${message}`);
    this.name = 'SmtpError';
    this.step = step;
    this.reply = reply;
  }
}

/** "535 5.7.8 Authentication failed" (first two lines, shortened). */
export function formatReply(reply: SmtpReply): string {
  const text = reply.lines.slice(0, 2).join(' / ').replace(/[^\x20-\x7e]/g, '?');
  return `${reply.code} ${text.length > 200 ? `${text.slice(0, 200)}...` : text}`.trim();
}

/** A reply line longer than this is not SMTP (RFC 5321 §4.5.3.1.5: 512 octets); allow some slack. */
const MAX_LINE = 4096;
/** At most this many lines in one reply (EHLO lists a few dozen). */
const MAX_LINES = 100;

export class SmtpConnection {
  #socket: Socket;
  #buffer = '';
  #lines: string[] = [];
  #failure: Error | null = null;
  #wake: (() => void) | null = null;
  readonly #timeoutMs: number;

  constructor(socket: Socket, timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
    this.#socket = socket;
    this.#attach(socket);
  }

  #attach(socket: Socket): void {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.#data(chunk));
    socket.on('error', (err) => this.#fail(err));
    socket.on('close', () => this.#fail(new Error('the server closed the connection')));
  }

  #data(chunk: string): void {
    this.#buffer += chunk;
    let nl: number;
    while ((nl = this.#buffer.indexOf('\n')) >= 0) {
      this.#lines.push(this.#buffer.slice(0, nl).replace(/\r$/, ''));
      this.#buffer = this.#buffer.slice(nl + 1);
    }
    if (this.#buffer.length > MAX_LINE || this.#lines.length > MAX_LINES) {
      this.#fail(new Error('the server sent an over-long reply'));
      this.#socket.destroy();
    }
    this.#notify();
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  /** The next complete reply; `step` names what it answers, for errors. */
  async read(step: string): Promise<SmtpReply> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      const reply = this.#takeReply(step);
      if (reply !== null) return reply;
      if (this.#failure !== null) throw new SmtpError(step, this.#failure.message);
      const left = deadline - Date.now();
      if (left <= 0) throw new SmtpError(step, `no answer within ${formatDuration(this.#timeoutMs)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  #takeReply(step: string): SmtpReply | null {
    const last = this.#lines.findIndex((line) => line.length < 4 || line[3] !== '-');
    if (last < 0) return null;
    const raw = this.#lines.splice(0, last + 1);
    const code = Number(raw[0]!.slice(0, 3));
    if (!/^[2-5]\d\d$/.test(raw[0]!.slice(0, 3)) || raw.some((l) => l.slice(0, 3) !== raw[0]!.slice(0, 3))) {
      throw new SmtpError(step, `the server's reply is not SMTP ("${raw[0]!.slice(0, 40).replace(/[^\x20-\x7e]/g, '?')}")`);
    }
    return { code, lines: raw.map((l) => l.slice(4)) };
  }

  /** Sends raw text (a command line with CRLF, or the DATA payload). */
  async write(step: string, text: string, encoding: BufferEncoding = 'latin1'): Promise<void> {
    if (this.#failure !== null) throw new SmtpError(step, this.#failure.message);
    await new Promise<void>((resolve, reject) => {
      this.#socket.write(text, encoding, (err) => (err ? reject(new SmtpError(step, err.message)) : resolve()));
    });
  }

  /** Sends a command and reads its reply; throws unless the code is one of `expect`. */
  async command(step: string, line: string, expect: readonly number[], shown: string = line): Promise<SmtpReply> {
    await this.write(step, `${line}\r\n`);
    const reply = await this.read(step);
    if (!expect.includes(reply.code)) throw new SmtpError(step, `"${shown}" was refused`, reply);
    return reply;
  }

  /** STARTTLS: wraps the socket in TLS (after the server's 220) and verifies the certificate. */
  async upgrade(options: ConnectionOptions): Promise<void> {
    const plain = this.#socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    const secure: TLSSocket = tlsConnect({ ...options, socket: plain });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SmtpError('STARTTLS', `no TLS handshake within ${formatDuration(this.#timeoutMs)}`)), this.#timeoutMs);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        resolve();
      });
      secure.once('error', (err) => {
        clearTimeout(timer);
        reject(new SmtpError('STARTTLS', `TLS failed: ${err.message}`));
      });
    });
    this.#socket = secure;
    this.#buffer = '';
    this.#lines = [];
    this.#attach(secure);
  }

  close(): void {
    this.#socket.destroy();
  }
}
