/**
 * The messages the fuzzer mutates: every RFC 4475 / RFC 5118 torture message (listed by
 * test/fixtures/sip-torture/manifest.json) and every message of the benchmark corpus.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCorpus } from '../corpus.js';

export interface Seed {
  /** `torture/<file>` or `corpus/<name>`. */
  readonly name: string;
  readonly bytes: Buffer;
}

const TORTURE_DIR = fileURLToPath(new URL('../../test/fixtures/sip-torture/', import.meta.url));

export function loadSeeds(): Seed[] {
  const manifest = JSON.parse(readFileSync(TORTURE_DIR + 'manifest.json', 'utf8')) as { files: Array<{ file: string }> };
  const torture = manifest.files.map((f) => ({ name: `torture/${f.file}`, bytes: readFileSync(TORTURE_DIR + f.file) }));
  const corpus = loadCorpus().map((m) => ({ name: `corpus/${m.name}`, bytes: m.bytes }));
  return [...torture, ...corpus];
}
