/**
 * Dev tool (not a benchmark with peers): CPU per WAN datagram the guard drops, in process, without
 * sockets. Drives the compiled guard (dist/) through its transport hook with the flood bench's
 * scanner shapes from random sources, like bench:flood's bans-off guard.
 *
 *   npm run build && node dev/drop-path.mjs [COUNT] [--sources N] [--bans]
 *   node --cpu-prof --cpu-prof-dir /tmp/prof dev/drop-path.mjs 300000
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../dist/config/parse-config.js';
import { Guard } from '../dist/proxy/guard.js';
import { openStore } from '../dist/store/open-store.js';
import { eventOptionsFromConfig } from '../dist/store/event-options-from-config.js';
import { tapEvents } from '../dist/web/event-tap.js';
import { makeFlow } from '../dist/transport/flow.js';
import { systemClock } from '../dist/util/clock.js';

const args = process.argv.slice(2);
const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 200_000);
const sourcesIdx = args.indexOf('--sources');
const sourceCount = sourcesIdx >= 0 ? Number(args[sourcesIdx + 1]) : 1_000_000;
const bans = args.includes('--bans');
const rateIdx = args.indexOf('--rate');
const paced = rateIdx >= 0 ? Number(args[rateIdx + 1]) : 0; // datagrams/s, sent in 10 ms batches for COUNT datagrams
let classified = 0;

const FILES = [
  'bench/corpus/scanner-sipvicious-svmap-invite.sip',
  'bench/corpus/scanner-sipvicious-svmap-options.sip',
  'bench/corpus/scanner-sipvicious-svwar-register.sip',
  'bench/corpus/scanner-sipvicious-svcrack-register-auth.sip',
  'bench/corpus/scanner-sipcli-invite.sip',
  'bench/corpus/scanner-nmap-sipoptions-probe.sip',
  'bench/corpus/scanner-nmap-nse-options.sip',
  'bench/corpus/scanner-sippts-invite-sdp.sip',
  'test/fixtures/scanners/sippts-scan-options.sip',
  'bench/corpus/scanner-metasploit-options.sip',
  'bench/corpus/softphone-linphone-invite-sdp.sip',
  'bench/corpus/request-options-qualify-asterisk.sip',
  'bench/corpus/softphone-linphone-invite-sdp.sip',
  'bench/corpus/request-options-qualify-asterisk.sip',
];
const shapes = FILES.map((f) => Buffer.from(readFileSync(f, 'latin1').replace(/\r?\n/g, '\r\n'), 'latin1'));

const dir = mkdtempSync(join(tmpdir(), 'drop-path-'));
const yaml = `provider:
  domain: 127.0.0.2
  registrar: 127.0.0.2:5060
wan:
  listen: 127.0.0.4:5080
  transports: [udp]
lan:
  listen: 127.0.0.3:5060
  allow: [127.0.0.0/24]
  transports: [udp]
store: ${join(dir, 'store.db')}
${bans ? '' : `defense:
  rate:
    requests_per_second: 1000000
    burst: 10000000
  bans:
    flood_s: 86400
    refused: 1000000
`}`;
const parsed = parseConfig(yaml, 'dev.yaml', { baseDir: dir, fileExists: () => false });
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const config = parsed.config;
const hooks = {};
const factory = (spec) => {
  hooks[spec.leg] = spec.hooks;
  return {
    kind: spec.kind,
    listen: async () => {},
    send: async () => {},
    close: async () => {},
    address: () => spec.listen,
    addresses: () => [spec.listen],
  };
};
const store = openStore(config.store, { clock: systemClock, events: eventOptionsFromConfig(config.events) });
const tap = tapEvents(store);
const { classify } = await import('../dist/defense/fingerprint/classify.js');
const guard = new Guard(config, { store: tap.store, transports: factory, classify: (m) => (classified++, classify(m)) });
await guard.start();
const local = { address: '127.0.0.4', port: guard.status().wanPort };
const sourceOf = (i) => {
  const n = (i * 2654435761) % sourceCount;
  return `127.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
};
function run(n, source) {
  const wan = hooks.wan;
  for (let i = 0; i < n; i++) {
    const data = shapes[i % shapes.length];
    const flow = makeFlow('udp', local, { address: source(i), port: 5060 });
    wan.onMessage({ data, flow, receivedAt: Date.now() });
  }
}
run(20_000, (i) => `127.63.0.${i % 100}`); // warm up (100 rows of the window's budget)
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
if (paced > 0) {
  const perTick = Math.max(1, Math.round(paced / 100));
  let sent = 0;
  const start = Date.now();
  while (sent < count) {
    const n = Math.min(perTick, count - sent);
    const from = sent;
    run(n, (i) => sourceOf(i + from));
    sent += n;
    const due = start + (sent / paced) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
  }
} else run(count, sourceOf);
const cpu = process.cpuUsage(cpu0);
const ns = Number(process.hrtime.bigint() - t0);
const s = guard.stats();
console.log(`${count} datagrams from ${sourceCount} sources${bans ? ' (default defense)' : ' (bans off)'}: ${(ns / count / 1000).toFixed(2)} µs wall, ${((cpu.user + cpu.system) / count).toFixed(2)} µs CPU per datagram; store ${JSON.stringify(store.events.stats())}; bans ${guard.bans.list().length}; classified ${classified}`);
await guard.stop();
store.close();
rmSync(dir, { recursive: true, force: true });
