import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explain, type ExplainInput } from './explain.js';
import { explainRequest } from './explain-request.js';
import { decideInbound } from './inbound-gate.js';
import { hasUnsafeChar } from './people-text.js';
import { ALL_REASON_CODES } from './reason-codes.js';
import { PROVIDER, PROVIDER_DOMAIN, SCANNER, corpusMessage, gateContext, wanFlow } from './test-kit.js';
import { classify } from '../defense/fingerprint/classify.js';
import { initialRequest, newDialog } from '../probe/probe-messages.js';
import { isSipError } from '../sip/errors.js';
import { parseMessage } from '../sip/parse.js';
import { SELF_TEST_FAMILY, scannerName, scannerNameJa } from './scanner-name.js';

const svmapEvent: ExplainInput = {
  reasons: ['not-from-provider', 'no-alias', 'scanner-fingerprint'],
  family: 'sipvicious',
  method: 'INVITE',
  fromDisplay: null,
  fromUser: '100',
  source: '198.51.100.66',
  providerDomain: 'voip.example.test',
  requestUser: '100',
  userAgent: 'friendly-scanner',
};

/** An explanation is a few sentences: generous, but a megabyte of input must not get through. */
const MAX_EXPLANATION = 700;

function expectSafe(text: string, source: string): void {
  expect(text.length).toBeGreaterThan(0);
  expect(text.length).toBeLessThan(MAX_EXPLANATION);
  expect(text).toContain(source);
  expect(hasUnsafeChar(text)).toBe(false);
}

describe('explain(): plain language for people, in English and Japanese', () => {
  it('tells the svmap story as DESIGN §2 does', () => {
    expect(explain(svmapEvent)).toEqual({
      en: "Blocked a call from '100' sent straight to you from 198.51.100.66 by the SIPVicious scanner (User-Agent friendly-scanner). It did not come through your provider voip.example.test, so it could not be a real call. Your phone did not ring.",
      ja: '198.51.100.66 から直接送られてきた「100」からの着信をブロックしました（SIPVicious スキャナー、User-Agent: friendly-scanner）。契約しているプロバイダー voip.example.test を経由していないため、本物の着信ではありません。電話機は鳴っていません。',
    });
  });

  it('explains the real svmap INVITE from the gate\'s verdict, naming display name and user', () => {
    const msg = corpusMessage('scanner-sipvicious-svmap-invite.sip');
    const verdict = decideInbound({ msg, flow: wanFlow(SCANNER) }, gateContext({}, { classify: () => ({ family: 'sipvicious', confidence: 1 }) }));
    const text = explainRequest({ verdict, msg, source: SCANNER, providerDomain: PROVIDER_DOMAIN, leg: 'wan' });
    expect(text.en).toContain("a call from 'sipvicious' (100) sent straight to you from 198.51.100.66 by the SIPVicious scanner");
    expect(text.ja).toContain('「sipvicious」（100）からの着信をブロックしました');
  });

  describe("ghostguard's own self-test (the probe)", () => {
    const probe = (method: 'INVITE' | 'OPTIONS') => {
      const msg = parseMessage(initialRequest(newDialog(method, '192.0.2.30', 5060, { transport: 'udp', address: SCANNER, port: 40000 })));
      if (isSipError(msg)) throw new Error(msg.code);
      const verdict = decideInbound({ msg, flow: wanFlow(SCANNER) }, gateContext({}, { classify }));
      return { verdict, text: explainRequest({ verdict, msg, source: SCANNER, providerDomain: PROVIDER_DOMAIN, leg: 'wan' }) };
    };

    it('has a people name in English and Japanese', () => {
      expect(scannerName(SELF_TEST_FAMILY)).toBe('ghostguard self-test');
      expect(scannerNameJa(SELF_TEST_FAMILY)).toBe('ghostguard の自己診断');
      expect(scannerNameJa('sipvicious')).toBe('SIPVicious');
    });

    it('is dropped like any stranger, labelled as the self-test, and explained as no attack', () => {
      const { verdict, text } = probe('INVITE');
      expect(verdict.action).toBe('drop');
      expect(verdict.family).toBe(SELF_TEST_FAMILY);
      expect(text.en).toContain("sent straight to you from 198.51.100.66 by the ghostguard self-test (User-Agent ghostguard-probe).");
      expect(text.en).toContain("This was ghostguard's own self-test (ghostguard probe, or \"Am I protected?\" on the dashboard), not an attack;");
      expect(text.en).toMatch(/Your phone did not ring\.$/);
      expect(text.en).not.toContain('SIPVicious');
      expect(text.ja).toContain('着信をブロックしました（ghostguard の自己診断、User-Agent: ghostguard-probe）。');
      expect(text.ja).toContain('これは ghostguard 自身の自己診断（ghostguard probe、またはダッシュボードの「守られていますか？」）で、攻撃ではありません。');
      expect(text.ja).not.toContain('スキャナー）');
      for (const t of [text.en, text.ja]) expectSafe(t, SCANNER);
    });

    it('explains its OPTIONS as the self-test too', () => {
      const { verdict, text } = probe('OPTIONS');
      expect(verdict.family).toBe(SELF_TEST_FAMILY);
      expect(text.en).toMatch(/^Someone at 198\.51\.100\.66 checked whether a phone answers here \(OPTIONS\), using the ghostguard self-test \(User-Agent ghostguard-probe\)\. /);
      expect(text.en).toContain("This was ghostguard's own self-test");
      expect(text.ja).toContain('問い合わせ（OPTIONS）がありました（ghostguard の自己診断、User-Agent: ghostguard-probe）。');
    });

    it('never calls it a known scanner, even with the fingerprint as the only reason', () => {
      const text = explain({ ...svmapEvent, family: SELF_TEST_FAMILY, userAgent: 'ghostguard-probe', reasons: ['scanner-fingerprint'] });
      expect(text.en).not.toContain('known SIP scanner');
      expect(text.ja).not.toContain('既知の SIP スキャナー');
      expect(text.en).toContain("This was ghostguard's own self-test");
      expect(text.ja).toContain('これは ghostguard 自身の自己診断');
    });

    it('adds nothing to the explanation of a real scanner', () => {
      expect(explain(svmapEvent).en).not.toContain('self-test');
      expect(explain(svmapEvent).ja).not.toContain('自己診断');
    });
  });

  it.each(ALL_REASON_CODES)('has a fitting sentence for %s in both languages, with the source address', (code) => {
    for (const source of ['198.51.100.66', '2001:db8::66']) {
      for (const leg of ['wan', 'lan'] as const) {
        const text = explain({ ...svmapEvent, reasons: [code], leg, source, fromDisplay: 'Alice' });
        expectSafe(text.en, source);
        expectSafe(text.ja, source);
      }
    }
  });

  it('gives every reason code its own "why" sentence in each language', () => {
    const why = (lang: 'en' | 'ja', code: string) => explain({ ...svmapEvent, reasons: [code], family: null })[lang];
    for (const lang of ['en', 'ja'] as const) {
      const texts = new Set(ALL_REASON_CODES.map((code) => why(lang, code)));
      expect(texts.size).toBe(ALL_REASON_CODES.length);
    }
  });

  it('describes an OPTIONS probe as a check whether a phone answers, and says nothing was answered', () => {
    const text = explain({ ...svmapEvent, method: 'OPTIONS', reasons: ['not-from-provider', 'no-alias'] });
    expect(text.en).toMatch(/^Someone at 198\.51\.100\.66 checked whether a phone answers here \(OPTIONS\), using the SIPVicious scanner/);
    expect(text.en).toContain('ghostguard did not answer');
    expect(text.ja).toContain('電話機が応答するかどうかを確かめる問い合わせ（OPTIONS）');
    expect(text.ja).not.toContain('鳴って');
  });

  it('describes REGISTER guessing and other methods without talking about ringing', () => {
    const register = explain({ ...svmapEvent, method: 'REGISTER', fromUser: '1001', family: null, reasons: ['not-from-provider'] });
    expect(register.en).toContain("an attempt to register as '1001' (REGISTER)");
    expect(register.en).toContain('Nothing reached your phones.');
    expect(register.ja).toContain('「1001」として登録しようとする試み（REGISTER）');
    const bye = explain({ ...svmapEvent, method: 'BYE', family: null, reasons: ['unknown-dialog'], source: PROVIDER });
    expect(bye.en).toContain(`a SIP BYE request from your provider voip.example.test (${PROVIDER})`);
    expect(bye.ja).toContain(`プロバイダー voip.example.test（${PROVIDER}）から届いた SIP BYE リクエストをブロックしました`);
  });

  it('says what was answered for a reject, and that the call went through for the rewrite fallback', () => {
    const refused = explain({ ...svmapEvent, action: 'reject', status: 404 });
    expect(refused.en).toContain('Refused a call');
    expect(refused.en).toContain('answered 404 Not Found');
    expect(refused.ja).toContain('404 Not Found を返しました');
    const accepted = explain({ ...svmapEvent, family: null, reasons: ['provider-rewrites-uri'], source: PROVIDER });
    expect(accepted.en).toMatch(/^Accepted a call/);
    expect(accepted.en).toContain('The call was passed on to your phone.');
    expect(accepted.ja).toContain('着信は電話機へ転送しました。');
  });

  it('talks about the phone side for LAN events', () => {
    const text = explain({ ...svmapEvent, family: null, reasons: ['open-relay'], leg: 'lan', source: '10.77.0.23', action: 'reject', status: 403 });
    expect(text.en).toContain('from 10.77.0.23 on the phone side');
    expect(text.en).toContain('The call was not placed.');
    expect(text.ja).toContain('電話機側の 10.77.0.23 から届いた');
  });

  it('explains an event whose message was never read (banned)', () => {
    const text = explain({ ...svmapEvent, method: null, fromUser: null, requestUser: null, userAgent: null, family: null, reasons: ['banned'] });
    expect(text.en).toBe('Blocked a message from 198.51.100.66. This address is banned for earlier attacks, so everything it sends is dropped unread. Nothing reached your phones.');
    expect(text.ja.startsWith('198.51.100.66 から届いたメッセージをブロックしました。')).toBe(true);
  });

  it('cleans and caps hostile display names, users, User-Agents and methods', () => {
    const hostile = `Evil\r\nX-Injected: 1<img src=x onerror=alert(1)>\u202e${'A'.repeat(1_000_000)}`;
    const text = explain({ ...svmapEvent, fromDisplay: hostile, fromUser: hostile, requestUser: hostile, userAgent: hostile, method: hostile, family: hostile });
    for (const t of [text.en, text.ja]) {
      expectSafe(t, '198.51.100.66');
      expect(t).not.toContain('<img');
      expect(t).toContain('Evil X-Injected: 1‹img');
      expect(t).toContain('…');
    }
  });

  it('falls back to a generic sentence for a reason it does not know (an event from a newer version)', () => {
    const text = explain({ ...svmapEvent, family: null, reasons: ['some-future-code'] });
    expect(text.en).toContain("It did not pass ghostguard's checks.");
    expect(text.ja).toContain('ghostguard のチェックを通過しませんでした。');
  });

  it('property: never throws, never emits control characters, stays bounded, for arbitrary strings', () => {
    const text = fc.option(fc.string({ unit: 'binary', maxLength: 300 }), { nil: null });
    const input = fc.record({
      reasons: fc.array(fc.oneof(fc.constantFrom(...ALL_REASON_CODES), fc.string({ maxLength: 20 })), { maxLength: 4 }),
      family: text,
      method: text,
      fromDisplay: text,
      fromUser: text,
      source: fc.constantFrom('198.51.100.66', '2001:db8::66', '10.77.0.23'),
      providerDomain: fc.constant('voip.example.test'),
      requestUser: text,
      userAgent: text,
      action: fc.constantFrom('relay' as const, 'drop' as const, 'reject' as const, undefined),
      status: fc.option(fc.constantFrom(400, 403, 404, 482, 483, 500), { nil: null }),
      leg: fc.constantFrom('wan' as const, 'lan' as const, undefined),
    });
    fc.assert(
      fc.property(input, (event) => {
        const out = explain(event);
        for (const t of [out.en, out.ja]) {
          if (t.length === 0 || t.length >= MAX_EXPLANATION || hasUnsafeChar(t) || !t.includes(event.source)) return false;
        }
        return true;
      }),
      { numRuns: 400 },
    );
  });

  it('property: latin1 byte strings (what the parser gives) decode and clean without throwing', () => {
    const bytes = fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1'));
    fc.assert(
      fc.property(bytes, (display) => {
        const out = explain({ ...svmapEvent, fromDisplay: display });
        return !hasUnsafeChar(out.en) && !hasUnsafeChar(out.ja);
      }),
      { numRuns: 300 },
    );
  });
});
