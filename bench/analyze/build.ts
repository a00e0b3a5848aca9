/**
 * Keeps dist/ current for the benchmark: the reader and the CLI are timed as production runs them
 * (the tsc output), so dist is rebuilt (`tsc -p tsconfig.build.json`, as `npm run build`) when a
 * source file of src/ is newer than its compiled file or has none.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');

/** The first src file whose compiled file is missing or older, or null when dist is current. */
function staleFile(dir = SRC): string | null {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = staleFile(full);
      if (found !== null) return found;
      continue;
    }
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts') || entry.name.endsWith('.d.ts')) continue;
    if (entry.name === 'test-kit.ts') continue;
    const compiled = join(DIST, relative(SRC, full)).replace(/\.ts$/, '.js');
    if (!existsSync(compiled) || statSync(compiled).mtimeMs < statSync(full).mtimeMs) return relative(ROOT, full);
  }
  return null;
}

/** Builds dist when stale; returns what it did. Throws when the reader is still not built. */
export function buildIfStale(): string {
  const stale = staleFile();
  if (stale === null) return 'dist is current';
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (!existsSync(join(DIST, 'analyze/capture/read-capture.js'))) {
    throw new Error(`the build did not produce dist/analyze/capture/read-capture.js:\n${(run.stdout + run.stderr).slice(0, 2000)}`);
  }
  const warning = run.status === 0 ? '' : ' (tsc reported errors elsewhere; files were emitted)';
  return `built dist/ because ${stale} was newer than its build${warning}`;
}

export const COMPILED_READER = join(DIST, 'analyze/capture/read-capture.js');
export const CLI_MAIN = join(DIST, 'cli/main.js');
export const CLI_ANALYZE = join(DIST, 'cli/commands/analyze.js');
