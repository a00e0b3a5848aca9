/**
 * Sends one message over SMTP (RFC 5321): connect (plain, or implicit TLS on port 465), read the 220
 * greeting, EHLO, STARTTLS (RFC 3207) and EHLO again, AUTH PLAIN or LOGIN (RFC 4954/4616), MAIL FROM,
 * RCPT TO for each recipient, DATA with dot-stuffing, QUIT. Every step has a timeout; every failure
 * names the step and quotes the server's reply. The password never travels unencrypted unless the
 * caller says so (`allowPlainAuth`, for tests on loopback).
 */
import { formatDuration } from '../format-duration.js';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { hostname } from 'node:os';
import { dotStuff } from './mail-message.js';
import { SmtpConnection, SmtpError, type SmtpReply } from './smtp-connection.js';

export interface SmtpOptions {
  readonly host: string;
  readonly port: number;
  /** Upgrade with STARTTLS (required when true: a server that does not offer it is an error). */
  readonly starttls: boolean;
  /** TLS from the first byte (port 465, RFC 8314). */
  readonly implicitTls: boolean;
  readonly user: string | null;
  readonly password: string | null;
  /** Timeout of each step (connect, each reply), ms. Default 30 s. */
  readonly timeoutMs?: number;
  /** Extra TLS options (a test CA). */
  readonly tls?: ConnectionOptions;
  /** Allow AUTH over an unencrypted connection (tests on loopback only). */
  readonly allowPlainAuth?: boolean;
  /** The name given in EHLO; default this machine's host name. */
  readonly clientName?: string;
}

export interface Envelope {
  readonly from: string;
  readonly to: readonly string[];
}

export interface SmtpResult {
  /** Recipients the server accepted. */
  readonly accepted: string[];
  /** Recipients it refused, with its reply. */
  readonly refused: Array<{ address: string; reply: string }>;
  /** The server's answer to the end of DATA (often a queue id). */
  readonly reply: string;
}

const DEFAULT_TIMEOUT = 30_000;

function ehloName(name: string | undefined): string {
  const n = (name ?? hostname()).replace(/[^A-Za-z0-9.-]/g, '');
  return n.length > 0 ? n : 'ghostguard';
}

/** SNI only for names (RFC 6066 §3: literal IP addresses are not permitted). */
function serverName(host: string): { servername?: string } {
  return isIP(host) === 0 ? { servername: host } : {};
}

async function open(options: SmtpOptions, timeoutMs: number): Promise<Socket> {
  const socket: Socket = options.implicitTls
    ? tlsConnect({ host: options.host, port: options.port, ...serverName(options.host), ...options.tls })
    : netConnect({ host: options.host, port: options.port });
  const ready = options.implicitTls ? 'secureConnect' : 'connect';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SmtpError('connect', `no connection to ${options.host}:${options.port} within ${formatDuration(timeoutMs)}`));
    }, timeoutMs);
    socket.once(ready, () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new SmtpError('connect', `cannot connect to ${options.host}:${options.port}: ${err.message}`));
    });
  });
  return socket;
}

/** The EHLO keywords (RFC 5321 §4.1.1.1), upper-cased, with their parameters. */
function extensions(reply: SmtpReply): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of reply.lines.slice(1)) {
    const [word, ...params] = line.trim().split(/\s+/);
    if (word) map.set(word.toUpperCase(), params.map((p) => p.toUpperCase()));
  }
  return map;
}

/** EHLO, falling back to HELO (no extensions) for a server that does not know EHLO (RFC 5321 §3.2). */
async function hello(conn: SmtpConnection, name: string): Promise<Map<string, string[]>> {
  await conn.write('EHLO', `EHLO ${name}\r\n`);
  const reply = await conn.read('EHLO');
  if (reply.code === 250) return extensions(reply);
  if (![500, 502, 504].includes(reply.code)) throw new SmtpError('EHLO', `"EHLO ${name}" was refused`, reply);
  await conn.command('HELO', `HELO ${name}`, [250]);
  return new Map();
}

async function authenticate(conn: SmtpConnection, ext: Map<string, string[]>, user: string, password: string): Promise<void> {
  const mechanisms = ext.get('AUTH') ?? [];
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  if (mechanisms.includes('PLAIN')) {
    // RFC 4616: message = [authzid] NUL authcid NUL passwd.
    await conn.command('AUTH', `AUTH PLAIN ${b64(`\0${user}\0${password}`)}`, [235], 'AUTH PLAIN');
  } else if (mechanisms.includes('LOGIN')) {
    await conn.command('AUTH', 'AUTH LOGIN', [334]);
    await conn.command('AUTH', b64(user), [334], 'the user name');
    await conn.command('AUTH', b64(password), [235], 'the password');
  } else {
    throw new SmtpError('AUTH', `the server offers no login this client speaks (PLAIN or LOGIN); it offers: ${mechanisms.join(' ') || 'none'}`);
  }
}

/** `signal` ends the conversation at once (the connection is closed; the promise rejects). */
export async function sendMail(options: SmtpOptions, envelope: Envelope, message: string, signal?: AbortSignal): Promise<SmtpResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT;
  if (signal?.aborted) throw new SmtpError('connect', 'aborted');
  const conn = new SmtpConnection(await open(options, timeoutMs), timeoutMs);
  const abort = (): void => conn.close();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const greeting = await conn.read('greeting');
    if (greeting.code !== 220) throw new SmtpError('greeting', 'the server does not accept mail now', greeting);
    const name = ehloName(options.clientName);
    let ext = await hello(conn, name);
    let secure = options.implicitTls;
    if (options.starttls && !secure) {
      if (!ext.has('STARTTLS')) throw new SmtpError('STARTTLS', 'the server does not offer STARTTLS (set starttls: false only for a server on this machine or network)');
      await conn.command('STARTTLS', 'STARTTLS', [220]);
      await conn.upgrade({ host: options.host, ...serverName(options.host), ...options.tls });
      secure = true;
      ext = await hello(conn, name);
    }
    if (options.user !== null) {
      if (!secure && !options.allowPlainAuth) throw new SmtpError('AUTH', 'refusing to send the password over an unencrypted connection (enable starttls)');
      await authenticate(conn, ext, options.user, options.password ?? '');
    }
    await conn.command('MAIL FROM', `MAIL FROM:<${envelope.from}>`, [250]);
    const accepted: string[] = [];
    const refused: SmtpResult['refused'] = [];
    for (const to of envelope.to) {
      await conn.write('RCPT TO', `RCPT TO:<${to}>\r\n`);
      const reply = await conn.read('RCPT TO');
      if (reply.code === 250 || reply.code === 251) accepted.push(to);
      else refused.push({ address: to, reply: `${reply.code} ${reply.lines[0] ?? ''}`.trim() });
    }
    if (accepted.length === 0) {
      throw new SmtpError('RCPT TO', `every recipient was refused (${refused.map((r) => `${r.address}: ${r.reply}`).join('; ')})`);
    }
    await conn.command('DATA', 'DATA', [354]);
    await conn.write('DATA', dotStuff(message));
    const done = await conn.read('end of DATA');
    if (done.code !== 250) throw new SmtpError('end of DATA', 'the message was refused', done);
    await conn.write('QUIT', 'QUIT\r\n').catch(() => undefined);
    await conn.read('QUIT').catch(() => undefined);
    return { accepted, refused, reply: `${done.code} ${done.lines[0] ?? ''}`.trim() };
  } finally {
    signal?.removeEventListener('abort', abort);
    conn.close();
  }
}
