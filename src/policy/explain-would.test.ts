/**
 * The `would` mode of explanations (capture analysis, `ghostguard classify`): for every reason code and
 * every kind of request, action, leg and origin, no sentence may say the guard did something, and each
 * must say what it would have done. The live-tense markers are taken from the live texts, and the test
 * checks that the live texts really carry them, so the list cannot silently go stale.
 */
import { describe, expect, it } from 'vitest';
import { explain, type ExplainInput, type Explanation } from './explain.js';
import { explainRequest } from './explain-request.js';
import { decideInbound } from './inbound-gate.js';
import { hasUnsafeChar } from './people-text.js';
import { ALL_REASON_CODES } from './reason-codes.js';
import { SELF_TEST_FAMILY } from './scanner-name.js';
import { PROVIDER, PROVIDER_DOMAIN, SCANNER, corpusMessage, gateContext, wanFlow } from './test-kit.js';
import type { VerdictAction } from './verdict.js';

/** Phrases that say the guard did something (or state the guard's present state), from explain-en.ts. */
const LIVE_EN: readonly (string | RegExp)[] = [
  /^Blocked /,
  /^Refused /,
  /^Accepted /,
  'sends is dropped unread',
  'was discarded unread',
  'registered now',
  'ghostguard registered',
  'ghostguard gave',
  'must use its fallback',
  'there is no such call',
  'is only slowed down',
  'ghostguard checked',
  "It passed ghostguard's checks",
  "It did not pass ghostguard's checks",
  'was passed on',
  'was not placed',
  'It was not sent on',
  'ghostguard answered',
  'ghostguard did not answer',
  'nothing was revealed',
  'Nothing reached',
  'nothing reached',
  'did not ring',
];

/** The same for explain-ja.ts. */
const LIVE_JA: readonly (string | RegExp)[] = [
  'を受け付けました',
  'を拒否しました',
  /を拒否し、[^。]*を返しました/,
  'をブロックしました',
  '破棄しています',
  '破棄しました',
  'いま登録されている',
  '登録した非公開アドレス',
  '代替モードが必要です',
  '該当する通話はありません。',
  '速度を抑えるだけです',
  '確かめて受け付けました',
  'チェックを通過しました',
  'チェックを通過しませんでした',
  '転送しました',
  '行われていません',
  '転送していません',
  'を返しました',
  '届いていません',
  '伝わっていません',
  '鳴っていません',
];

const has = (text: string, marker: string | RegExp): boolean => (typeof marker === 'string' ? text.includes(marker) : marker.test(text));

const base: ExplainInput = {
  reasons: [],
  family: null,
  method: 'INVITE',
  fromDisplay: 'Alice',
  fromUser: '100',
  source: '198.51.100.66',
  providerDomain: 'voip.example.test',
  requestUser: '100',
  userAgent: 'friendly-scanner',
};

/** Every combination that changes a sentence: reason, kind, action, status, leg, origin, names. */
function* events(): Generator<ExplainInput> {
  const reasonLists = [[], ['some-future-code'], ...ALL_REASON_CODES.flatMap((code) => [[code], ['not-from-provider', code]])];
  const actions: { action: VerdictAction | undefined; status: number | null }[] = [
    { action: undefined, status: null },
    { action: 'drop', status: null },
    { action: 'reject', status: null },
    { action: 'reject', status: 403 },
    { action: 'relay', status: null },
  ];
  for (const reasons of reasonLists) {
    for (const method of ['INVITE', 'OPTIONS', 'REGISTER', 'MESSAGE', 'BYE', null]) {
      for (const { action, status } of actions) {
        for (const leg of ['wan', 'lan'] as const) {
          for (const family of [null, 'sipvicious', SELF_TEST_FAMILY]) {
            for (const requestUser of ['100', null]) {
              yield { ...base, reasons, method, action, status, leg, family, requestUser };
            }
          }
        }
      }
    }
  }
}

describe("explain() in 'would' mode: what ghostguard would have done, never what it did", () => {
  it('leaves the live text unchanged without a mode, and tells the svmap story in the would tense', () => {
    expect(explain(base)).toEqual(explain({ ...base, mode: 'live' }));
    const live = explain({ ...base, reasons: ['not-from-provider', 'no-alias'], family: 'sipvicious' });
    const would = explain({ ...base, reasons: ['not-from-provider', 'no-alias'], family: 'sipvicious', mode: 'would' });
    expect(live.en).toMatch(/^Blocked a call.*Your phone did not ring\.$/);
    expect(would.en).toBe(
      "ghostguard would have blocked a call from 'Alice' (100) sent straight to you from 198.51.100.66 by the SIPVicious scanner (User-Agent friendly-scanner). It did not come through your provider voip.example.test, so it could not be a real call. Your phone would not have rung.",
    );
    expect(would.ja).toBe(
      'ghostguard を使っていれば、198.51.100.66 から直接送られてきた「Alice」（100）からの着信はブロックされていたはずです（SIPVicious スキャナー、User-Agent: friendly-scanner）。契約しているプロバイダー voip.example.test を経由していないため、本物の着信ではありません。電話機は鳴らなかったはずです。',
    );
  });

  it('the live-tense markers are real: every live explanation carries one, and every marker occurs', () => {
    const seen = { en: new Set<string | RegExp>(), ja: new Set<string | RegExp>() };
    for (const event of events()) {
      const text = explain(event);
      for (const [lang, markers] of [['en', LIVE_EN], ['ja', LIVE_JA]] as const) {
        const found = markers.filter((m) => has(text[lang], m));
        if (found.length === 0) expect.fail(`no live marker in ${lang}: ${text[lang]}`);
        for (const m of found) seen[lang].add(m);
      }
    }
    expect(LIVE_EN.filter((m) => !seen.en.has(m))).toEqual([]);
    expect(LIVE_JA.filter((m) => !seen.ja.has(m))).toEqual([]);
  });

  it.each(ALL_REASON_CODES)('has no live-tense phrase and ends in the would tense for %s, in English and Japanese', (code) => {
    let checked = 0;
    for (const event of events()) {
      if (event.reasons.at(-1) !== code) continue;
      const text = explain({ ...event, mode: 'would' });
      checkWould(text, event, JSON.stringify(event));
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('covers the reasons without a code too (none, or one from a newer version)', () => {
    for (const event of events()) {
      if (event.reasons.length === 0 || event.reasons[0] === 'some-future-code') checkWould(explain({ ...event, mode: 'would' }), event, JSON.stringify(event));
    }
  });

  it("explainRequest passes the mode through, for the gate's real verdict on the svmap INVITE", () => {
    const msg = corpusMessage('scanner-sipvicious-svmap-invite.sip');
    const verdict = decideInbound({ msg, flow: wanFlow(SCANNER) }, gateContext({}, { classify: () => ({ family: 'sipvicious', confidence: 1 }) }));
    const live = explainRequest({ verdict, msg, source: SCANNER, providerDomain: PROVIDER_DOMAIN, leg: 'wan' });
    const would = explainRequest({ verdict, msg, source: SCANNER, providerDomain: PROVIDER_DOMAIN, leg: 'wan', mode: 'would' });
    expect(live.en).toMatch(/^Blocked a call from 'sipvicious' \(100\).*Your phone did not ring\.$/);
    expect(would.en).toMatch(/^ghostguard would have blocked a call from 'sipvicious' \(100\) sent straight to you from 198\.51\.100\.66 by the SIPVicious scanner.*Your phone would not have rung\.$/);
    expect(would.ja).toMatch(/^ghostguard を使っていれば、198\.51\.100\.66 から直接送られてきた「sipvicious」（100）からの着信はブロックされていたはずです.*電話機は鳴らなかったはずです。$/);
  });

  it('says what would have been answered, and that the rewrite fallback would have passed the call on', () => {
    const refused = explain({ ...base, reasons: ['not-from-provider'], action: 'reject', status: 404, mode: 'would' });
    expect(refused.en).toMatch(/^ghostguard would have refused a call .* and answered 404 Not Found\./);
    expect(refused.ja).toContain('着信は拒否され、404 Not Found が返されていたはずです。');
    const accepted = explain({ ...base, reasons: ['provider-rewrites-uri'], source: PROVIDER, mode: 'would' });
    expect(accepted.en).toMatch(/^ghostguard would have accepted a call/);
    expect(accepted.en).toContain('ghostguard would have checked that it came from the provider');
    expect(accepted.en).toMatch(/ghostguard would have passed the call on to your phone\.$/);
    expect(accepted.ja).toMatch(/着信は電話機へ転送されていたはずです。$/);
  });
});

function checkWould(text: Explanation, event: ExplainInput, label: string): void {
  for (const m of LIVE_EN) if (has(text.en, m)) expect.fail(`live phrase ${String(m)} in en of ${label}: ${text.en}`);
  for (const m of LIVE_JA) if (has(text.ja, m)) expect.fail(`live phrase ${String(m)} in ja of ${label}: ${text.ja}`);
  // The outcome, always last, is in the would tense.
  if (!/ would (not )?have [^.]*\.$/.test(text.en)) expect.fail(`en does not end in the would tense (${label}): ${text.en}`);
  if (!text.ja.endsWith('はずです。')) expect.fail(`ja does not end in the would tense (${label}): ${text.ja}`);
  // The lead says what ghostguard would have done, unless it only tells of an OPTIONS probe (a fact of the capture).
  if (event.method !== 'OPTIONS') {
    if (!text.en.startsWith('ghostguard would have ')) expect.fail(`en lead (${label}): ${text.en}`);
    if (!/^ghostguard を使っていれば、[^。]*(されていたはずです|受け付けられていたはずです|が返されていたはずです)/.test(text.ja)) expect.fail(`ja lead (${label}): ${text.ja}`);
  }
  for (const t of [text.en, text.ja]) {
    if (hasUnsafeChar(t) || !t.includes(event.source)) expect.fail(`unsafe or without the source (${label}): ${t}`);
  }
}
