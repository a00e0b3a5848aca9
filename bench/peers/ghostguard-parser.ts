/**
 * ghostguard's own parser, read the way the guard reads a packet: `parseMessage(buffer)` finds the start
 * line and header boundaries, then each accessor parses its header on first use (and caches it).
 *
 * Two builds of the same source can be measured:
 * - `compiled` (the default of `npm run bench:parse`): the tsc output in `dist/sip`, what `npm start`
 *   and the installed package run. `buildIfStale()` runs the project build (`tsc -p
 *   tsconfig.build.json`, as `npm run build`) when a `dist/sip` file is missing or older than its
 *   source, so the numbers are always those of the working tree.
 * - `source`: `src/sip` loaded through tsx. tsx transpiles with esbuild's `keepNames`, which redefines
 *   the `name` of every class in a static block; V8 then no longer optimizes `x instanceof SipError`
 *   (it costs about 3x more), and the parser checks its results that way many times per message. So
 *   this build runs about 15% slower than the compiled one on the same machine (BENCHMARKS.md).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { isSipError as IsSipError } from '../../src/sip/errors.js';
import type { parseMessage as ParseMessage } from '../../src/sip/parse.js';
import type { NameAddr } from '../../src/sip/types.js';
import { describeThrown, erase, missingField, type AnyAdapter, type Fields } from './adapter.js';

export type GhostguardBuild = 'compiled' | 'source';

interface SipApi {
  readonly parseMessage: typeof ParseMessage;
  readonly isSipError: typeof IsSipError;
}

const ROOT_DIR = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE_DIR = fileURLToPath(new URL('../../src/sip/', import.meta.url));
const COMPILED_DIR = fileURLToPath(new URL('../../dist/sip/', import.meta.url));

/**
 * Runs the project build when dist/sip is missing or older than src/sip. Returns what it did, for
 * the report, or throws when dist/sip is still not current afterwards.
 */
export function buildIfStale(): string {
  const stale = staleCompiledFile();
  if (stale === null) return 'dist/sip is current';
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT_DIR, encoding: 'utf8' });
  const after = staleCompiledFile();
  if (after !== null) {
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(0, 10).join('\n');
    throw new Error(`dist/sip is stale (${after}) and the build did not refresh it:\n${output}`);
  }
  const warning = run.status === 0 ? '' : ' (tsc reported errors elsewhere in the project; dist/sip was emitted)';
  return `built dist/ with tsc -p tsconfig.build.json because ${stale}${warning}`;
}

/** The adapter for one build; throws (with the reason) when that build cannot be loaded. */
export async function loadGhostguard(build: GhostguardBuild): Promise<AnyAdapter> {
  if (build === 'source') {
    const [{ parseMessage }, { isSipError }] = await Promise.all([import('../../src/sip/parse.js'), import('../../src/sip/errors.js')]);
    return ghostguardParser({ parseMessage, isSipError }, 'src/sip via tsx');
  }
  const stale = staleCompiledFile();
  if (stale !== null) throw new Error(`dist/sip is missing or older than src/sip (${stale}): run \`npm run build\``);
  // Paths built at run time: dist/ is not part of the typechecked tree.
  const parse = (await import(pathToFileURL(COMPILED_DIR + 'parse.js').href)) as { parseMessage: typeof ParseMessage };
  const errors = (await import(pathToFileURL(COMPILED_DIR + 'errors.js').href)) as { isSipError: typeof IsSipError };
  return ghostguardParser({ parseMessage: parse.parseMessage, isSipError: errors.isSipError }, 'dist/sip (tsc build)');
}

/** The first src/sip module whose compiled file is missing or older than it, or null. */
function staleCompiledFile(): string | null {
  for (const file of readdirSync(SOURCE_DIR)) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const compiled = COMPILED_DIR + file.slice(0, -3) + '.js';
    let compiledTime: number;
    try {
      compiledTime = statSync(compiled).mtimeMs;
    } catch {
      return `no dist/sip/${file.slice(0, -3)}.js`;
    }
    if (statSync(SOURCE_DIR + file).mtimeMs > compiledTime) return `src/sip/${file} is newer`;
  }
  return null;
}

function ghostguardParser(sip: SipApi, version: string): AnyAdapter {
  const { parseMessage, isSipError } = sip;
  return erase({
    name: 'ghostguard',
    version,
    prepare: (bytes: Buffer) => bytes,
    read(input: Buffer, out: Fields): string | null {
      try {
        const m = parseMessage(input);
        if (isSipError(m)) return `${m.code}: ${m.message} at byte ${m.offset}`;
        const from = m.from();
        if (isSipError(from)) return `From: ${from.code}: ${from.message}`;
        const to = m.to();
        if (isSipError(to)) return `To: ${to.code}: ${to.message}`;
        const via = m.topVia();
        if (isSipError(via)) return `Via: ${via.code}: ${via.message}`;
        const cseq = m.cseq();
        if (isSipError(cseq)) return `CSeq: ${cseq.code}: ${cseq.message}`;
        const callId = m.callId();
        if (isSipError(callId)) return `Call-ID: ${callId.code}: ${callId.message}`;
        out.fromUser = userOf(from);
        out.fromHost = hostOf(from);
        out.fromTag = from.params.get('tag') ?? '';
        out.toUser = userOf(to);
        out.toHost = hostOf(to);
        out.toTag = to.params.get('tag') ?? '';
        out.viaHost = via.host;
        out.viaBranch = via.branch ?? '';
        out.cseqSeq = cseq.seq;
        out.cseqMethod = cseq.method;
        out.callId = callId;
        return missingField(out);
      } catch (e) {
        return describeThrown(e);
      }
    },
  });
}

function userOf(na: NameAddr): string {
  const uri = na.uri;
  if ('user' in uri) return uri.user ?? '';
  if ('number' in uri) return uri.number;
  return '';
}

function hostOf(na: NameAddr): string {
  const uri = na.uri;
  return 'host' in uri ? uri.host : '';
}
