import { describe, expect, it } from 'vitest';
import { compileFingerprints } from './classifier.js';
import { FINGERPRINTS } from './fingerprints.js';
import { validateFingerprints } from './validate-fingerprints.js';
import { phoneInvite } from './test-kit.js';

describe('validating a fingerprint set', () => {
  it('accepts the built-in data, and its JSON form compiles to the same classifier', () => {
    expect(validateFingerprints(FINGERPRINTS)).toEqual({ ok: true, set: FINGERPRINTS });
    const json = JSON.parse(JSON.stringify(FINGERPRINTS)) as unknown;
    const result = validateFingerprints(json);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const msg = phoneInvite({ 'User-Agent': 'friendly-scanner' });
    expect(compileFingerprints(result.set).classify(msg)).toEqual(compileFingerprints(FINGERPRINTS).classify(msg));
  });

  it('uses every signal of the catalogue in some family', () => {
    const used = new Set(FINGERPRINTS.families.flatMap((f) => [...f.signals.map((s) => s.signal), ...(f.requires ?? [])]));
    expect(FINGERPRINTS.signals.map((s) => s.id).filter((id) => !used.has(id))).toEqual([]);
  });

  it('reports every mistake with where it is', () => {
    const bad = {
      format: 2,
      version: '',
      threshold: 1.5,
      signals: [
        { id: 'a', field: 'user-agent', test: 'equals', value: 'x', note: 'n' },
        { id: 'a', field: 'nowhere', test: 'equals', value: 'x', note: 'n' },
        { id: 'b', field: 'user-agent', test: 'true', note: 'n' },
        { id: 'c', field: 'header-order', test: 'equals', value: 'x', note: 'n' },
        { id: 'd', field: 'call-id', test: 'digits', min: 5, max: 2, note: '' },
        { id: 'e', field: 'call-id', test: 'regex', value: '.*', note: 'n' },
      ],
      families: [
        { family: 'Bad Family', variant: 'v', description: 'd', source: 's', requires: ['zzz'], signals: [{ signal: 'a', weight: -0.5 }, { signal: 'nope', weight: 2 }] },
        { family: 'ok', variant: 'v', description: '', source: 's', signals: [] },
        { family: 'ok', variant: 'v', description: 'd', source: 's', signals: [{ signal: 'a', weight: 0.5 }] },
      ],
    };
    const result = validateFingerprints(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      'format: expected 1, got 2',
      'version: a non-empty string is required',
      'threshold: a number in (0, 1] is required',
      "signals[1].id: 'a' is used twice",
      'signals[1].field: unknown field "nowhere"',
      "signals[2]: the test 'true' goes with flag fields (to-equals-from, lower-case-names, user-agent-is-from-user, several-vias, has-credentials, contact-instance, from-host-is-ip, request-host-is-ip) and only there",
      "signals[3]: the test 'order' goes with the field 'header-order' and only there",
      'signals[4].note: say what the signal means and where the fact comes from',
      'signals[4]: min and max must be whole numbers with 1 <= min <= max',
      'signals[5].test: unknown test "regex"',
      'families[0].family: a lower-case kebab-case id is required',
      "families[0].requires: unknown signal 'zzz'",
      'families[0].signals[1]: unknown signal "nope"',
      'families[0].signals[1].weight: a number in (-1, 0) or (0, 1] is required',
      'families[0].signals: at least one signal with a positive weight is required',
      'families[1].description: say what the entry recognizes',
      'families[1].signals: a non-empty list is required',
      'families[2]: ok/v is listed twice',
    ]);
  });

  it('rejects what is not a set at all', () => {
    expect(validateFingerprints(null)).toEqual({ ok: false, errors: ['a fingerprint set must be an object'] });
    expect(validateFingerprints([])).toMatchObject({ ok: false });
  });
});
