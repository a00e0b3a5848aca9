/**
 * The guard under test runs the compiled build (dist/), as `ghostguard run` does after `npm run
 * build`. This rebuilds dist/ (`tsc -p tsconfig.build.json`) when any src/ module is newer than its
 * output or has none, so the numbers are always those of the working tree.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function staleModule(dir = join(ROOT, 'src')): string | null {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'test-kit') continue; // excluded from the build, as test-kit.ts files are (tsconfig.build.json)
      const found = staleModule(path);
      if (found !== null) return found;
      continue;
    }
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts') || entry.name.endsWith('.d.ts') || entry.name === 'test-kit.ts') continue;
    const rel = relative(join(ROOT, 'src'), path);
    const out = join(ROOT, 'dist', rel.slice(0, -3) + '.js');
    let built: number;
    try {
      built = statSync(out).mtimeMs;
    } catch {
      return `no dist/${rel.slice(0, -3)}.js`;
    }
    if (statSync(path).mtimeMs > built) return `src/${rel} is newer`;
  }
  return null;
}

/** Rebuilds dist/ when stale; returns what it did. Throws when dist/ is still stale afterwards. */
export function buildDistIfStale(): string {
  const stale = staleModule();
  if (stale === null) return 'dist/ is current';
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  const after = staleModule();
  if (after !== null) {
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(0, 10).join('\n');
    throw new Error(`bench:flood: dist/ is stale (${after}) and the build did not refresh it:\n${output}`);
  }
  return `rebuilt dist/ (tsc -p tsconfig.build.json) because ${stale}${run.status === 0 ? '' : ' (tsc reported errors elsewhere; dist/ was emitted)'}`;
}
