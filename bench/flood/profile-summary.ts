/** The top functions by self time in a V8 .cpuprofile (`node --cpu-prof`), idle time left out, for the flood bench's report. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

export interface HotFunction {
  readonly name: string;
  readonly where: string;
  readonly selfPercent: number;
}

/** Inclusive time by compiled module (a module counts once per sample, wherever it is on the stack). */
export function topModules(dir: string, count = 22): HotFunction[] {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) return [];
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = Math.max(0, profile.timeDeltas[i] ?? 0);
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    total += dt;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)?.callFrame.url ?? '';
      const m = /\/(dist\/.*|node_modules\/[^/]+)/.exec(url);
      if (m !== null) seen.add(m[1]!.replace(/^node_modules\/([^/]+).*/, 'node_modules/$1'));
    }
    for (const k of seen) incl.set(k, (incl.get(k) ?? 0) + dt);
  });
  return [...incl.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([where, us]) => ({ name: where, where: '', selfPercent: total > 0 ? (100 * us) / total : 0 }));
}

export function topFunctions(dir: string, count = 15): HotFunction[] {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (file === undefined) return [];
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { name: string; where: string; us: number }>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = Math.max(0, profile.timeDeltas[i] ?? 0);
    if (node === undefined) return;
    const f = node.callFrame;
    if (f.functionName === '(idle)') return; // waiting for packets between steps: not work
    const where = f.url === '' ? '' : `${f.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
    const key = `${f.functionName}|${where}`;
    const entry = self.get(key) ?? { name: f.functionName || '(anonymous)', where, us: 0 };
    entry.us += dt;
    self.set(key, entry);
    total += dt;
  });
  return [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map((e) => ({ name: e.name, where: e.where, selfPercent: total > 0 ? (100 * e.us) / total : 0 }));
}
