import { afterEach, describe, expect, it } from 'vitest';
import { EmailChannel } from './email-channel.js';
import { decodeHeaderText } from './smtp/encoded-word.js';
import { decodeQuotedPrintable } from './smtp/quoted-printable.js';
import { sampleAlert } from './test-kit/sample-alert.js';
import { startSmtpSink, type SmtpSink } from './test-kit/smtp-sink.js';

let sink: SmtpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

function channel(port: number, lang: 'en' | 'ja' | 'both', to = ['alice@example.test']): EmailChannel {
  return new EmailChannel({
    smtp: { host: '127.0.0.1', port, starttls: false, implicitTls: false, user: null, password: null, timeoutMs: 2000 },
    from: 'guard@example.test',
    to,
    lang,
  });
}

describe('email channel', () => {
  it('mails the alert in both languages: Subject "ja / en", UTF-8 body, footer', async () => {
    sink = await startSmtpSink();
    await channel(sink.port, 'both').deliver(sampleAlert());
    const data = sink.mails[0]!.data;
    const head = data.slice(0, data.indexOf('\r\n\r\n'));
    const subject = /^Subject: (.*(?:\r\n .*)*)/m.exec(head)![1]!;
    expect(decodeHeaderText(subject)).toBe('ghostguard: 直近5分で 12 件のスキャナーを遮断しました / 12 scanners banned in the last 5 minutes');
    const body = decodeQuotedPrintable(data.slice(data.indexOf('\r\n\r\n') + 4));
    expect(body).toContain('12 件を遮断：198.51.100.66（sipvicious）。\r\n\r\n----\r\n\r\n12 scanners banned: 198.51.100.66 (sipvicious).');
    expect(body).toContain('Sent by ghostguard');
    expect(head).toMatch(/^Date: Sat, 28 Nov 2026 01:00:00 \+0000$/m);
  });

  it('keeps an English-only Subject as plain ASCII and notes refused recipients', async () => {
    sink = await startSmtpSink({ refuseRecipients: ['bob@example.test'] });
    const note = await channel(sink.port, 'en', ['alice@example.test', 'bob@example.test']).deliver(sampleAlert());
    expect(note).toBe('accepted for alice@example.test: 250 2.0.0 Ok: queued as TEST1; refused bob@example.test: 550 5.1.1 No such user here');
    expect(sink.mails[0]!.data).toMatch(/^Subject: ghostguard: 12 scanners banned in the last 5 minutes$/m);
  });
});
