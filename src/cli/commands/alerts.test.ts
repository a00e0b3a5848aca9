import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeHeaderText } from '../../alerts/smtp/encoded-word.js';
import { startSmtpSink, type SmtpSink } from '../../alerts/test-kit/smtp-sink.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../alerts/test-kit/webhook-receiver.js';
import { memoryIo } from '../io.js';
import { runCli } from '../run-cli.js';

let dir: string;
let hook: WebhookReceiver;
let sink: SmtpSink;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gg-alerts-'));
  hook = await startWebhookReceiver();
  sink = await startSmtpSink({ users: { guard: 'sink-password' } });
});
afterEach(async () => {
  await hook.close();
  await sink.close();
  rmSync(dir, { recursive: true, force: true });
});

function configFile(alerts: string): string {
  const file = join(dir, 'ghostguard.yaml');
  writeFileSync(file, `provider:\n  domain: voip.example.test\nlan:\n  listen: 10.77.0.1\nstore: ":memory:"\nalerts:\n${alerts}`);
  return file;
}

const channels = (webhookUrl: string, port: number): string => `  webhooks:
    - url: ${webhookUrl}
      lang: en
  email:
    smtp: { host: 127.0.0.1, port: ${port}, starttls: false, user: guard, password_env: GG_TEST_SMTP, from: guard@example.test }
    to: [alice@example.test]
    lang: ja
`;

describe('ghostguard alerts test', () => {
  it('sends a test alert to every channel and says each got through', async () => {
    const io = memoryIo({ GG_TEST_SMTP: 'sink-password' }, dir);
    const code = await runCli(['alerts', 'test', '--config', configFile(channels(hook.url, sink.port)), '--timeout', '2'], io);
    const out = io.stdout.join('');
    expect(out).toContain('Sending a test alert to 2 channels...');
    expect(out).toMatch(/ok {6}webhook http:\/\/127\.0\.0\.1:\d+\/…: answered 200/);
    expect(out).toMatch(/ok {6}email to alice@example\.test via 127\.0\.0\.1:\d+: accepted for alice@example\.test: 250 2\.0\.0 Ok: queued as TEST1/);
    expect(code).toBe(0);
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ kind: 'test', title: { en: 'Test alert: this channel works' } });
    const mail = sink.mails[0]!;
    expect(mail.user).toBe('guard');
    const subject = /^Subject: (.*(?:\r\n .*)*)/m.exec(mail.data)![1]!;
    expect(decodeHeaderText(subject)).toBe('ghostguard: テスト通知：この通知先は正常に届いています');
  });

  it('names the channel that failed and why, and exits 1', async () => {
    hook.statuses.push(404);
    const io = memoryIo({ GG_TEST_SMTP: 'wrong' }, dir);
    const code = await runCli(['alerts', 'test', '--config', configFile(channels(hook.url, sink.port)), '--timeout', '2'], io);
    const out = io.stdout.join('');
    expect(out).toMatch(/FAILED {2}webhook http:\/\/127\.0\.0\.1:\d+\/…: the server answered 404 Not Found/);
    expect(out).toMatch(/FAILED {2}email to alice@example\.test via 127\.0\.0\.1:\d+: AUTH: "AUTH PLAIN" was refused: the server answered 535/);
    expect(out).toContain('2 of 2 channels did not get the test alert.');
    expect(code).toBe(1);
  });

  it('says so when the password variable is not set, or no channel is configured', async () => {
    const io = memoryIo({}, dir);
    expect(await runCli(['alerts', 'test', '--config', configFile(channels(hook.url, sink.port))], io)).toBe(1);
    expect(io.stderr.join('')).toContain('alerts.email.smtp.password_env: the environment variable GG_TEST_SMTP is not set');
    const none = memoryIo({}, dir);
    expect(await runCli(['alerts', 'test', '--config', configFile('  digest: { at: "08:00" }\n')], none)).toBe(1);
    expect(none.stderr.join('')).toContain('no alert channels are configured');
    expect(hook.received).toHaveLength(0);
  });

  it('refuses unknown subcommands and a missing --config', async () => {
    const io = memoryIo({}, dir);
    expect(await runCli(['alerts', 'send'], io)).toBe(2);
    expect(await runCli(['alerts', 'test'], io)).toBe(2);
    expect(io.stderr.join('')).toContain('the only subcommand is "test"');
    expect(io.stderr.join('')).toContain('--config FILE is required');
  });
});
