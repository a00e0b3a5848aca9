/**
 * The guard on real sockets (loopback only): a phone registering over TCP on the LAN leg, the
 * provider's registrar answering over UDP on the WAN leg, then a provider call delivered to the
 * phone over the TCP connection it registered on (RFC 3261 §18.2.2 / RFC 5626 flow reuse).
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config.js';
import { isSipError } from '../sip/errors.js';
import { parseMessage } from '../sip/parse.js';
import { openStore } from '../store/open-store.js';
import { systemClock } from '../util/clock.js';
import { Guard } from './guard.js';
import { RecordingLogger, loopbackRegistrar, providerInvite } from './test-kit.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function waitFor<T>(what: string, attempt: () => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      const value = attempt();
      if (value !== undefined) resolve(value);
      else if (Date.now() - started > 3000) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

const TLS_DIR = join(import.meta.dirname, '../../test/fixtures/tls');

describe('Guard on loopback sockets (UDP, TCP and TLS)', () => {
  it.each(['tcp', 'tls'] as const)('registers a phone over %s on the LAN leg and delivers a provider call on that connection', async (kind) => {
    // The provider's registrar: answers every REGISTER 200 with its Contact and Via received/rport.
    const provider = await loopbackRegistrar();
    cleanups.push(() => provider.close());
    const providerPort = provider.socket.address().port;

    const lanPort = 30_000 + Math.floor(Math.random() * 20_000);
    const lanTls = kind === 'tls' ? `\n  tls:\n    cert: ${join(TLS_DIR, 'cert.pem')}\n    key: ${join(TLS_DIR, 'key.pem')}` : '';
    const result = parseConfig(
      `provider:\n  domain: voip.example.test\n  registrar: 127.0.0.1:${providerPort}\nwan:\n  listen: 127.0.0.1:0\n  transports: [udp, tcp]\nlan:\n  listen: 127.0.0.1:${lanPort}\n  transports: [udp, ${kind}]${lanTls}\nstore: ":memory:"\n`,
      'sockets.yaml',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const store = openStore(':memory:', { clock: systemClock });
    cleanups.push(() => store.close());
    const guard = new Guard(result.config, { store, providers: provider.providers, logger: new RecordingLogger() });
    await guard.start();
    cleanups.push(() => guard.stop());
    expect(guard.listening().map((l) => `${l.leg} ${l.transport}`).sort()).toEqual([`lan ${kind}`, 'lan udp', 'wan tcp', 'wan udp']);

    // The phone, over TCP, or over TLS to the LAN port + 1 (a softphone across the internet).
    const phone: Socket =
      kind === 'tcp' ? connect(lanPort, '127.0.0.1') : tlsConnect({ port: lanPort + 1, host: '127.0.0.1', rejectUnauthorized: false });
    cleanups.push(() => phone.destroy());
    await new Promise<void>((done) => phone.once(kind === 'tcp' ? 'connect' : 'secureConnect', () => done()));
    const VIA = kind.toUpperCase();
    let received = '';
    phone.on('data', (chunk) => (received += chunk.toString('latin1')));
    const contact = `sip:alice@127.0.0.1:${phone.localPort};transport=${kind}`;
    phone.write(
      [
        'REGISTER sip:voip.example.test SIP/2.0',
        `Via: SIP/2.0/${VIA} 127.0.0.1:${phone.localPort};branch=z9hG4bKtcpreg`,
        'Max-Forwards: 70',
        'From: <sip:alice@voip.example.test>;tag=a',
        'To: <sip:alice@voip.example.test>',
        'Call-ID: tcp-reg',
        'CSeq: 1 REGISTER',
        `Contact: <${contact}>`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    await waitFor('200 to REGISTER', () => (received.includes('SIP/2.0 200') ? true : undefined));
    expect(received).toContain(`Contact: <${contact}>;expires=600`);
    expect(provider.alias()).toMatch(/^sip:[a-z2-7]{24}@127\.0\.0\.1:\d+;transport=udp$/);

    // A provider call to the alias arrives at the phone on its TCP connection.
    received = '';
    provider.socket.send(Buffer.from(providerInvite(provider.alias()).replace(/203\.0\.113\.10/g, '127.0.0.1'), 'latin1'), provider.guardWanPort(), '127.0.0.1');
    const invite = await waitFor('INVITE at the phone', () => (received.includes('INVITE sip:') ? received : undefined));
    expect(invite.startsWith(`INVITE ${contact} SIP/2.0`)).toBe(true);
    const lanSipPort = kind === 'tcp' ? lanPort : lanPort + 1;
    expect(invite).toContain(`Record-Route: <sip:127.0.0.1:${lanSipPort};transport=${kind};lr>`);
    const parsed = parseMessage(Buffer.from(invite, 'latin1'), { framing: 'stream' });
    if (isSipError(parsed)) throw new Error(parsed.message);
    expect(parsed.getAll('Via')[0]).toContain(`SIP/2.0/${VIA} 127.0.0.1:${lanSipPort}`);
  });
});
