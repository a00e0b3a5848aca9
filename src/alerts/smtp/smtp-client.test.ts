import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpSink, type SinkOptions, type SmtpSink } from '../test-kit/smtp-sink.js';
import { decodeHeaderText } from './encoded-word.js';
import { buildMessage } from './mail-message.js';
import { decodeQuotedPrintable } from './quoted-printable.js';
import { sendMail, type SmtpOptions } from './smtp-client.js';

// Test-only self-signed certificate for localhost and 127.0.0.1 (see test/fixtures/tls/README.md).
const CERT = readFileSync(fileURLToPath(new URL('../../../test/fixtures/tls/cert.pem', import.meta.url)));
const KEY = readFileSync(fileURLToPath(new URL('../../../test/fixtures/tls/key.pem', import.meta.url)));

let sink: SmtpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

async function sinkWith(options: SinkOptions): Promise<SmtpSink> {
  sink = await startSmtpSink(options);
  return sink;
}

function client(port: number, extra: Partial<SmtpOptions> = {}): SmtpOptions {
  return { host: '127.0.0.1', port, starttls: false, implicitTls: false, user: null, password: null, timeoutMs: 2000, clientName: 'guard.test', ...extra };
}

const envelope = { from: 'guard@example.test', to: ['alice@example.test', 'bob@example.test'] };

function headers(data: string): Map<string, string> {
  const head = data.slice(0, data.indexOf('\r\n\r\n')).replace(/\r\n[ \t]/g, ' ');
  return new Map(head.split('\r\n').map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
}

function body(data: string): string {
  return decodeQuotedPrintable(data.slice(data.indexOf('\r\n\r\n') + 4));
}

describe('SMTP client (RFC 5321) against a local sink', () => {
  it('delivers to several recipients with STARTTLS and AUTH PLAIN; Japanese Subject survives RFC 2047', async () => {
    const s = await sinkWith({ users: { guard: 'p@ss wörd' }, tls: { cert: CERT, key: KEY } });
    const subject = 'ghostguard: 12 件のスキャナーを遮断しました — 12 scanners banned in the last 5 minutes';
    const text = '12 件のスキャナーを遮断しました。\n.hidden line starts with a dot\n.\nend';
    const message = buildMessage({ ...envelope, subject, body: text, date: Date.UTC(2026, 10, 28, 1, 2, 3) });
    const result = await sendMail(client(s.port, { starttls: true, user: 'guard', password: 'p@ss wörd', tls: { ca: CERT } }), envelope, message);
    expect(result.accepted).toEqual(envelope.to);
    expect(s.mails).toHaveLength(1);
    const mail = s.mails[0]!;
    expect(mail).toMatchObject({ from: 'guard@example.test', to: envelope.to, user: 'guard', secure: true });
    const h = headers(mail.data);
    expect(h.get('subject')).toMatch(/^=\?UTF-8\?B\?/);
    expect(decodeHeaderText(h.get('subject')!)).toBe(subject);
    expect(h.get('date')).toBe('Sat, 28 Nov 2026 01:02:03 +0000');
    expect(h.get('message-id')).toMatch(/^<[^<>@]+@example\.test>$/);
    expect(h.get('content-type')).toBe('text/plain; charset=UTF-8');
    // Dot-stuffing: the lines that start with "." (and the lone ".") arrive intact after unstuffing.
    expect(body(mail.data)).toBe(`${text.replace(/\n/g, '\r\n')}\r\n`);
    // Every raw line of the message is at most 78 characters (RFC 5322 §2.1.1).
    for (const line of mail.data.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
    expect(s.commands).toContain('STARTTLS');
    expect(s.commands.at(-1)).toBe('QUIT');
  });

  it('speaks TLS from the first byte on port 465 style servers', async () => {
    const s = await sinkWith({ users: { u: 'secret' }, implicitTls: { cert: CERT, key: KEY } });
    await sendMail(client(s.port, { implicitTls: true, user: 'u', password: 'secret', tls: { ca: CERT } }), envelope, 'Subject: x\r\n\r\ny\r\n');
    expect(s.mails[0]).toMatchObject({ user: 'u', secure: true });
  });

  it('says which logins the server offers when it has neither PLAIN nor LOGIN', async () => {
    const s = await sinkWith({ users: { u: 'secret' }, mechanisms: ['CRAM-MD5', 'XOAUTH2'] });
    await expect(sendMail(client(s.port, { user: 'u', password: 'secret', allowPlainAuth: true }), envelope, 'x')).rejects.toThrow(
      'AUTH: the server offers no login this client speaks (PLAIN or LOGIN); it offers: CRAM-MD5 XOAUTH2',
    );
  });

  it('gives up on a reply line that never ends (bounded memory)', async () => {
    const server = createServer((socket) => socket.write('220-' + 'x'.repeat(10_000)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      await expect(sendMail(client(port), envelope, 'x')).rejects.toThrow(/greeting: the server sent an over-long reply/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('falls back to HELO when the server does not know EHLO (RFC 5321 §3.2)', async () => {
    const s = await sinkWith({ failAt: { verb: 'EHLO', reply: '502 5.5.2 Command not recognized' } });
    await sendMail(client(s.port), envelope, 'Subject: x\r\n\r\ny\r\n');
    expect(s.commands.slice(0, 2)).toEqual(['EHLO guard.test', 'HELO guard.test']);
    expect(s.mails).toHaveLength(1);
  });

  it('uses AUTH LOGIN when the server offers only LOGIN', async () => {
    const s = await sinkWith({ users: { u: 'secret' }, mechanisms: ['LOGIN'] });
    await sendMail(client(s.port, { user: 'u', password: 'secret', allowPlainAuth: true }), envelope, buildMessage({ ...envelope, subject: 'x', body: 'y', date: 0 }));
    expect(s.mails[0]!.user).toBe('u');
    expect(s.commands).toContain('AUTH LOGIN');
  });

  it('reports a refused login with the server reply', async () => {
    const s = await sinkWith({ users: { u: 'secret' } });
    const sent = sendMail(client(s.port, { user: 'u', password: 'wrong', allowPlainAuth: true }), envelope, 'Subject: x\r\n\r\ny\r\n');
    await expect(sent).rejects.toThrow(/AUTH: "AUTH PLAIN" was refused: the server answered 535 5\.7\.8 Authentication credentials invalid/);
    expect(s.mails).toHaveLength(0);
  });

  it('refuses to send a password in clear text', async () => {
    const s = await sinkWith({ users: { u: 'secret' } });
    await expect(sendMail(client(s.port, { user: 'u', password: 'secret' }), envelope, 'x')).rejects.toThrow(/unencrypted/);
    expect(s.commands.some((c) => c.startsWith('AUTH'))).toBe(false);
  });

  it('fails clearly when STARTTLS is required but not offered', async () => {
    const s = await sinkWith({});
    await expect(sendMail(client(s.port, { starttls: true }), envelope, 'x')).rejects.toThrow(/does not offer STARTTLS/);
  });

  it('rejects a certificate it cannot verify', async () => {
    const s = await sinkWith({ tls: { cert: CERT, key: KEY } });
    await expect(sendMail(client(s.port, { starttls: true }), envelope, 'x')).rejects.toThrow(/STARTTLS: TLS failed/);
  });

  it('delivers to the recipients that remain when one is refused, and says which was refused', async () => {
    const s = await sinkWith({ refuseRecipients: ['bob@example.test'] });
    const result = await sendMail(client(s.port), envelope, 'Subject: x\r\n\r\ny\r\n');
    expect(result.accepted).toEqual(['alice@example.test']);
    expect(result.refused).toEqual([{ address: 'bob@example.test', reply: '550 5.1.1 No such user here' }]);
    expect(s.mails[0]!.to).toEqual(['alice@example.test']);
  });

  it('reports an error reply at MAIL FROM', async () => {
    const s = await sinkWith({ failAt: { verb: 'MAIL', reply: '451 4.3.0 Mail server temporarily rejected message' } });
    await expect(sendMail(client(s.port), envelope, 'x')).rejects.toThrow(/MAIL FROM: .* 451 4\.3\.0 Mail server temporarily rejected message/);
  });

  it('times out when the server never greets', async () => {
    const s = await sinkWith({ silent: true });
    const started = Date.now();
    await expect(sendMail(client(s.port, { timeoutMs: 300 }), envelope, 'x')).rejects.toThrow(/greeting: no answer within/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out when the server stops answering after DATA', async () => {
    const s = await sinkWith({ hangAt: 'DATA' });
    await expect(sendMail(client(s.port, { timeoutMs: 300 }), envelope, 'x')).rejects.toThrow(/DATA: no answer within/);
  });

  it('reports a connection refused', async () => {
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const port = (free.address() as { port: number }).port;
    await new Promise<void>((r) => free.close(() => r()));
    await expect(sendMail(client(port), envelope, 'x')).rejects.toThrow(/connect: cannot connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  it('refuses a reply that is not SMTP', async () => {
    const server = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      await expect(sendMail(client(port), envelope, 'x')).rejects.toThrow(/greeting: the server's reply is not SMTP/);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
