/**
 * Test helpers for the fingerprints: requests from lines, and the fixture folders with their manifests
 * (test/fixtures/scanners, test/fixtures/phones). Used by tests only.
 */
import { readFileSync } from 'node:fs';
import { isSipError } from '../../sip/errors.js';
import type { SipMessage } from '../../sip/message.js';
import { parseMessage } from '../../sip/parse.js';

export const SCANNER_FIXTURES = new URL('../../../test/fixtures/scanners/', import.meta.url);
export const PHONE_FIXTURES = new URL('../../../test/fixtures/phones/', import.meta.url);

export interface ScannerFixture {
  readonly file: string;
  readonly family: string;
  readonly variant: string;
  readonly origin: 'captured' | 'bench-corpus' | 'derived' | 'composed';
  readonly note: string;
}

export interface PhoneFixture {
  readonly file: string;
  readonly vendor: string;
  readonly origin: 'captured' | 'bench-corpus' | 'composed';
  readonly note: string;
}

export function manifest<T>(folder: URL): T[] {
  return (JSON.parse(readFileSync(new URL('manifest.json', folder), 'utf8')) as { fixtures: T[] }).fixtures;
}

export function fixtureMessage(folder: URL, file: string): SipMessage {
  const msg = parseMessage(readFileSync(new URL(file, folder)));
  if (isSipError(msg)) throw new Error(`fixture ${file} does not parse: ${msg.code} ${msg.message}`);
  return msg;
}

/** A request from lines (CRLF line ends and the empty line added), parsed. */
export function request(lines: readonly string[], body = ''): SipMessage {
  const text = `${lines.join('\r\n')}\r\n\r\n${body}`;
  const msg = parseMessage(Buffer.from(text, 'latin1'));
  if (isSipError(msg)) throw new Error(`test message does not parse: ${msg.code} ${msg.message}`);
  return msg;
}

/** A plain phone INVITE to vary per test: each test changes or adds the lines it is about. */
export function phoneInvite(overrides: Readonly<Record<string, string | null>> = {}, requestUri = 'sip:0312345678@voip.example.test'): SipMessage {
  const headers: Array<[string, string]> = [
    ['Via', 'SIP/2.0/UDP 192.0.2.51:5062;branch=z9hG4bKa8c1e3f5'],
    ['From', '"Taro" <sip:05012345678@voip.example.test>;tag=2036104781'],
    ['To', '<sip:0312345678@voip.example.test>'],
    ['Call-ID', '0_2918371562@192.0.2.51'],
    ['CSeq', '1 INVITE'],
    ['Contact', '<sip:05012345678@192.0.2.51:5062>'],
    ['Max-Forwards', '70'],
    ['User-Agent', 'Yealink SIP-T46U 108.86.0.45'],
    ['Content-Length', '0'],
  ];
  const lines = [`INVITE ${requestUri} SIP/2.0`];
  for (const [name, value] of headers) {
    const override = overrides[name];
    if (override === null) continue;
    lines.push(`${name}: ${override ?? value}`);
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (value !== null && !headers.some(([known]) => known === name)) lines.splice(lines.length - 1, 0, `${name}: ${value}`);
  }
  return request(lines);
}
