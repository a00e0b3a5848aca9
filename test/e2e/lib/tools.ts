/**
 * Prerequisites of the end-to-end tests: the Debian tools they drive, and root (network namespaces).
 *
 * Rule: when something is missing, the e2e tests FAIL if GHOSTGUARD_E2E=required (CI), and are
 * skipped with a printed reason otherwise (a developer's laptop without the packages).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A tool the harness can ask for: the command (or file) to look for and the Debian package that ships it. */
interface ToolSpec {
  readonly command?: string;
  readonly file?: string;
  readonly pkg: string;
}

/** Every tool the harness knows, with the Debian package that ships it (see .ci/e2e-deps.sh). */
export const TOOLS = {
  ip: { command: 'ip', pkg: 'iproute2' },
  ss: { command: 'ss', pkg: 'iproute2' },
  kamailio: { command: 'kamailio', pkg: 'kamailio' },
  sipp: { command: 'sipp', pkg: 'sip-tester' },
  svmap: { command: 'svmap', pkg: 'sipvicious' },
  svwar: { command: 'svwar', pkg: 'sipvicious' },
  svcrack: { command: 'svcrack', pkg: 'sipvicious' },
  baresip: { command: 'baresip', pkg: 'baresip-core' },
  tshark: { command: 'tshark', pkg: 'tshark' },
  tcpdump: { command: 'tcpdump', pkg: 'tcpdump' },
  nft: { command: 'nft', pkg: 'nftables' },
  cc: { command: 'cc', pkg: 'gcc' },
  chromium: { file: '/usr/bin/chromium', pkg: 'chromium' },
  'libre-dev': { file: '/usr/include/re/re.h', pkg: 'libre-dev' },
} as const satisfies Record<string, ToolSpec>;

export type ToolName = keyof typeof TOOLS;

const EXTRA_PATH = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The absolute path of an executable on PATH (plus the sbin directories), or undefined. */
export function which(command: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), ...EXTRA_PATH].filter((d) => d !== '');
  for (const dir of dirs) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory: try the next one
    }
  }
  return undefined;
}

/** The absolute path of a tool's command; throws if it is missing (call requireTool first). */
export function toolPath(name: ToolName): string {
  const spec: ToolSpec = TOOLS[name];
  const found = spec.command !== undefined ? which(spec.command) : spec.file;
  if (found === undefined) throw new Error(`e2e: ${name} is not installed (Debian package ${spec.pkg})`);
  return found;
}

function isPresent(name: ToolName): boolean {
  const spec: ToolSpec = TOOLS[name];
  if (spec.command !== undefined) return which(spec.command) !== undefined;
  try {
    accessSync(spec.file ?? '', constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/** True when the e2e tests must run (CI): then a missing prerequisite is a failure, not a skip. */
export function e2eRequired(): boolean {
  return process.env['GHOSTGUARD_E2E'] === 'required';
}

/** Why the e2e tests cannot run here, or an empty list when they can. */
export function missingPrerequisites(names: readonly ToolName[], needRoot = true): string[] {
  const reasons: string[] = [];
  if (needRoot && process.getuid?.() !== 0) reasons.push('root is needed to create network namespaces');
  const missing = names.filter((n) => !isPresent(n));
  if (missing.length > 0) {
    const pkgs = [...new Set(missing.map((n) => TOOLS[n].pkg))];
    reasons.push(`missing ${missing.join(', ')} (apt-get install ${pkgs.join(' ')}; see .ci/e2e-deps.sh)`);
  }
  return reasons;
}

/**
 * Checks prerequisites. Returns true when they are all there. Otherwise throws when
 * GHOSTGUARD_E2E=required, and else prints the reason and returns false (the caller skips).
 */
export function requireTools(names: readonly ToolName[], needRoot = true): boolean {
  const reasons = missingPrerequisites(names, needRoot);
  if (reasons.length === 0) return true;
  const message = `e2e prerequisites not met: ${reasons.join('; ')}`;
  if (e2eRequired()) throw new Error(`${message} (GHOSTGUARD_E2E=required)`);
  // Tests may print: this is the only way to tell a developer why the e2e suite was skipped.
  console.warn(`[e2e] skipped: ${message}. Set GHOSTGUARD_E2E=required to make this a failure.`);
  return false;
}

/** One tool; see requireTools. */
export function requireTool(name: ToolName): boolean {
  return requireTools([name], false);
}

/** Root, for network namespaces; see requireTools. */
export function requireRoot(): boolean {
  return requireTools([], true);
}
