import { describe, expect, it } from 'vitest';
import { compileSignal, isHexText } from './compile-signal.js';
import type { Field, SignalSpec } from './fingerprint-schema.js';
import { MessageFeatures } from './message-features.js';
import { phoneInvite, request } from './test-kit.js';

function matches(spec: SignalSpec, msg = phoneInvite()): boolean {
  const fields: Field[] = [];
  const signal = compileSignal(spec, (field) => fields.push(field) - 1);
  return signal.matches(new MessageFeatures(msg, fields));
}

describe('SIPVicious tags (createTag: hex of "<data>\\x01<random>")', () => {
  it.each([
    ['63303030303232383133633401383836363138393631', 'svmap: target address and port, 0x01, random'],
    ['3130300131363538353336323831', "svwar: '100', 0x01, random"],
    ['3130300131', "short: '100', 0x01, '1'"],
    ['3130303a3130300133393535303731313839', "svcrack: '100:100', 0x01, random"],
  ])('%s is one (%s)', (tag) => {
    expect(isHexText(tag)).toBe(true);
  });

  it.each([
    ['2036104781', 'a decimal phone tag: no 0x01 byte'],
    ['70c00e8c', 'Metasploit'],
    ['b0ad03bef83ccefe', 'baresip'],
    ['01313030', '0x01 first'],
    ['31303001', '0x01 last'],
    ['313001300131', 'two separators'],
    ['3130300', 'odd length'],
    ['3130zz0131363538', 'not hex'],
  ])('%s is not (%s)', (tag) => {
    expect(isHexText(tag)).toBe(false);
  });
});

describe('compiled signals', () => {
  it('compare text ignoring ASCII case', () => {
    expect(matches({ id: 'x', field: 'user-agent', test: 'prefix', value: 'YEALINK sip', note: 'n' })).toBe(true);
    expect(matches({ id: 'x', field: 'user-agent', test: 'equals', value: ['a', 'yealink sip-t46u 108.86.0.45'], note: 'n' })).toBe(true);
    expect(matches({ id: 'x', field: 'user-agent', test: 'contains', value: 't46u', note: 'n' })).toBe(true);
    expect(matches({ id: 'x', field: 'user-agent', test: 'suffix', value: '.45', note: 'n' })).toBe(true);
  });

  it('check what follows a prefix', () => {
    const spec: SignalSpec = { id: 'x', field: 'via-branch', test: 'prefix', value: 'z9hG4bK-', rest: 'digits', note: 'n' };
    expect(matches(spec, phoneInvite({ Via: 'SIP/2.0/UDP 198.51.100.66:5060;branch=z9hG4bK-1024730581;rport' }))).toBe(true);
    expect(matches(spec, phoneInvite({ Via: 'SIP/2.0/UDP 192.0.2.22:5060;branch=z9hG4bK-524287-1---a1f3c9d2;rport' }))).toBe(false);
    expect(matches(spec, phoneInvite({ Via: 'SIP/2.0/UDP 192.0.2.22:5060;branch=z9hG4bK-;rport' }))).toBe(false);
  });

  it('apply only to the methods they name', () => {
    const spec: SignalSpec = { id: 'x', field: 'to-equals-from', test: 'true', methods: ['INVITE'], note: 'n' };
    const same = '"100" <sip:100@192.0.2.40>';
    expect(matches(spec, phoneInvite({ From: `${same};tag=1`, To: same }))).toBe(true);
    const register = request([
      'REGISTER sip:192.0.2.40 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.51:5060;branch=z9hG4bK1',
      `From: ${same};tag=1`,
      `To: ${same}`,
      'Call-ID: r1@192.0.2.51',
      'CSeq: 1 REGISTER',
      'Content-Length: 0',
    ]);
    expect(matches(spec, register)).toBe(false);
  });

  it('see a missing header as absent and never match a value against it', () => {
    const noUa = phoneInvite({ 'User-Agent': null });
    expect(matches({ id: 'x', field: 'user-agent', test: 'absent', note: 'n' }, noUa)).toBe(true);
    expect(matches({ id: 'x', field: 'user-agent', test: 'prefix', value: '', note: 'n' }, noUa)).toBe(false);
  });

  it('bound digit and hex runs by length', () => {
    const decimal = phoneInvite({ 'Call-ID': '471862937145308862251009' });
    expect(matches({ id: 'x', field: 'call-id', test: 'digits', min: 6, max: 40, note: 'n' }, decimal)).toBe(true);
    expect(matches({ id: 'x', field: 'call-id', test: 'digits', min: 6, max: 10, note: 'n' }, decimal)).toBe(false);
    expect(matches({ id: 'x', field: 'call-id', test: 'hex', min: 24, max: 24, note: 'n' }, decimal)).toBe(true);
    expect(matches({ id: 'x', field: 'call-id', test: 'alnum', min: 30, note: 'n' }, decimal)).toBe(false);
  });

  it('match a header order by its first names, compact forms as written', () => {
    const spec: SignalSpec = { id: 'x', field: 'header-order', test: 'order', value: ['Via', 'From', 'To'], note: 'n' };
    expect(matches(spec)).toBe(true);
    expect(matches({ ...spec, value: ['via', 'to'] })).toBe(false);
    const compact = request(['OPTIONS sip:100@192.0.2.40 SIP/2.0', 'v: SIP/2.0/UDP 198.51.100.66:5060;branch=z9hG4bK-1', 't: <sip:100@1.1.1.1>', 'f: <sip:100@1.1.1.1>;tag=1', 'i: 1', 'CSeq: 1 OPTIONS', 'l: 0']);
    expect(matches({ ...spec, value: ['v', 't', 'f', 'i', 'cseq'] }, compact)).toBe(true);
  });

  it('read dial strings from the Request-URI', () => {
    expect(matches({ id: 'x', field: 'request-user', test: 'international', note: 'n' }, phoneInvite({}, 'sip:00972595123456@192.0.2.40'))).toBe(true);
    expect(matches({ id: 'x', field: 'request-user', test: 'country-code', value: ['972'], note: 'n' }, phoneInvite({}, 'tel:+972595123456'))).toBe(true);
    expect(matches({ id: 'x', field: 'request-user', test: 'international', note: 'n' })).toBe(false);
  });
});
