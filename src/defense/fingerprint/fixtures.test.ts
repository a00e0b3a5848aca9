/**
 * Every scanner fixture gets its family and variant; no phone, PBX or provider fixture gets a label.
 * The manifests (manifest.json in test/fixtures/scanners and test/fixtures/phones) list the expected answers and where the bytes come from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_CLASSIFIER, classify } from './classify.js';
import { isSipError } from '../../sip/errors.js';
import { parseMessage } from '../../sip/parse.js';
import { fixtureMessage, manifest, PHONE_FIXTURES, SCANNER_FIXTURES, type PhoneFixture, type ScannerFixture } from './test-kit.js';

const scanners = manifest<ScannerFixture>(SCANNER_FIXTURES);
const phones = manifest<PhoneFixture>(PHONE_FIXTURES);

function sipFiles(folder: URL): string[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.sip'))
    .sort();
}

describe('the fixture manifests', () => {
  it('list exactly the .sip files of their folders', () => {
    expect(scanners.map((f) => f.file).sort()).toEqual(sipFiles(SCANNER_FIXTURES));
    expect(phones.map((f) => f.file).sort()).toEqual(sipFiles(PHONE_FIXTURES));
  });

  it('hold at least 30 scanner requests, most of them captured from the real tools, and 30 legit ones', () => {
    expect(scanners.length).toBeGreaterThanOrEqual(30);
    expect(scanners.filter((f) => f.origin === 'captured').length).toBeGreaterThanOrEqual(20);
    expect(phones.length).toBeGreaterThanOrEqual(30);
    expect(new Set(phones.map((f) => f.vendor.split(' ')[0])).size).toBeGreaterThanOrEqual(15);
  });

  it('cover every family of the fingerprint data', () => {
    const families = new Set(scanners.map((f) => f.family));
    for (const label of ['sipvicious', 'sippts', 'nmap', 'metasploit', 'sipcli', 'vaxsip', 'portsip', 'sundayddr', 'iwar', 'sipsak', 'sipp', 'toll-fraud', 'sip-scan']) {
      expect(families, label).toContain(label);
    }
  });
});

describe('scanner fixtures are labelled with their family', () => {
  it.each(scanners.map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
    const label = classify(fixtureMessage(SCANNER_FIXTURES, fixture.file));
    expect(label, 'no label').not.toBeNull();
    expect({ family: label!.family, variant: label!.variant }).toEqual({ family: fixture.family, variant: fixture.variant });
    expect(label!.confidence).toBeGreaterThanOrEqual(BUILTIN_CLASSIFIER.threshold);
    expect(label!.confidence).toBeLessThanOrEqual(1);
    expect(label!.signals.length).toBeGreaterThan(0);
  });
});

describe('phone, PBX and provider fixtures are never labelled as a scanner', () => {
  it.each(phones.map((f) => [f.file, f] as const))('%s', (_file, fixture) => {
    const msg = fixtureMessage(PHONE_FIXTURES, fixture.file);
    expect(classify(msg)).toBeNull();
    const best = BUILTIN_CLASSIFIER.scores(msg)[0];
    // A margin under the threshold, so a small change of weights cannot tip a real phone over.
    expect(best?.confidence ?? 0).toBeLessThan(BUILTIN_CLASSIFIER.threshold - 0.1);
  });
});

describe('the fast path (entries abandoned once they cannot win) gives the same label as scoring every entry', () => {
  const folders = [
    [SCANNER_FIXTURES, scanners.map((f) => f.file)],
    [PHONE_FIXTURES, phones.map((f) => f.file)],
  ] as const;
  it('for every fixture, and for every fixture with any one header line removed', () => {
    let cases = 0;
    for (const [folder, files] of folders) {
      for (const file of files) {
        const text = readFileSync(new URL(file, folder), 'latin1');
        const end = text.indexOf('\r\n\r\n');
        const lines = text.slice(0, end).split('\r\n');
        const variants = [text, ...lines.slice(1).map((_, i) => [...lines.slice(0, i + 1), ...lines.slice(i + 2)].join('\r\n') + text.slice(end))];
        for (const variant of variants) {
          const msg = parseMessage(Buffer.from(variant, 'latin1'));
          if (isSipError(msg)) continue;
          const best = BUILTIN_CLASSIFIER.scores(msg)[0];
          const expected = best !== undefined && best.confidence >= BUILTIN_CLASSIFIER.threshold ? best : null;
          expect(classify(msg), `${file} (${cases})`).toEqual(expected);
          cases++;
        }
      }
    }
    expect(cases).toBeGreaterThan(500);
  });
});
