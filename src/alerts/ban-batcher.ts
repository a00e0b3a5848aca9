/**
 * New bans, batched: the first ban opens a window of `batchMs`; when it closes, one alert tells how many
 * scanners were banned in it ("12 scanners banned in the last 5 minutes"), with the top few addresses
 * and the scanner families. Only the guard's own bans count (not blocklist imports or manual bans).
 * In dry-run mode the alert says "would have been banned". Memory is bounded: at most
 * {@link KEPT_BANS} bans are kept for the list, the rest are only counted.
 */
import type { BanChange } from '../defense/bans/ban-control.js';
import type { Ban } from '../store/ban-store.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { Alert } from './alert.js';
import { formatDuration } from './format-duration.js';

const KEPT_BANS = 100;
const MAX_FAMILIES = 50;
const LISTED = 5;
const UNKNOWN_FAMILY = 'unknown';

interface Batch {
  readonly started: number;
  readonly bans: Ban[];
  readonly families: Map<string, number>;
  real: number;
  dryRun: number;
}

export class BanBatcher {
  readonly #clock: Clock;
  readonly #batchMs: number;
  readonly #emit: (alert: Alert) => void;
  #batch: Batch | undefined;
  #timer: TimerHandle | undefined;

  constructor(options: { clock: Clock; batchMs: number; emit: (alert: Alert) => void }) {
    this.#clock = options.clock;
    this.#batchMs = options.batchMs;
    this.#emit = options.emit;
  }

  /**
   * The listener for `guard.bans.subscribe`: only new bans the guard decided on count (not blocklist
   * imports, which would report thousands of "scanners" at once, nor bans the user added by hand).
   */
  readonly onChange = (change: BanChange): void => {
    if (change.kind !== 'added' || change.ban.source !== 'auto') return;
    let batch = this.#batch;
    if (batch === undefined) {
      batch = { started: this.#clock.now(), bans: [], families: new Map(), real: 0, dryRun: 0 };
      this.#batch = batch;
      this.#timer = this.#clock.setTimeout(() => this.flush(), this.#batchMs);
    }
    if (change.dryRun) batch.dryRun++;
    else batch.real++;
    if (batch.bans.length < KEPT_BANS) batch.bans.push(change.ban);
    const family = change.ban.family ?? UNKNOWN_FAMILY;
    if (batch.families.has(family) || batch.families.size < MAX_FAMILIES) batch.families.set(family, (batch.families.get(family) ?? 0) + 1);
  };

  /** Sends the alert of the open batch now (the window closed, or the guard stops). */
  flush(): void {
    const batch = this.#batch;
    this.#batch = undefined;
    this.#timer?.cancel();
    this.#timer = undefined;
    if (batch !== undefined) this.#emit(banAlert(batch, this.#clock.now(), this.#batchMs));
  }

  /** Drops the open batch without an alert. */
  cancel(): void {
    this.#timer?.cancel();
    this.#batch = undefined;
  }
}

function listed(ban: Ban): string {
  const parts = [ban.family ?? UNKNOWN_FAMILY];
  if (ban.strikes > 1) parts.push(`ban #${ban.strikes}`);
  return `${ban.address} (${parts.join(', ')})`;
}

function banAlert(batch: Batch, now: number, batchMs: number): Alert {
  const dryOnly = batch.real === 0;
  const n = dryOnly ? batch.dryRun : batch.real;
  const window = formatDuration(Math.max(batchMs, now - batch.started));
  const windowJa = window.replace(' minutes', '分').replace(' hours', '時間').replace(' s', '秒').replace(' ms', 'ミリ秒');
  const top = [...batch.bans]
    .sort((a, b) => b.strikes - a.strikes || a.createdAt - b.createdAt)
    .slice(0, LISTED);
  const families = [...batch.families].sort((a, b) => b[1] - a[1]);
  const familyText = families.map(([f, c]) => `${f} ${c}`).join(', ');
  const more = n > top.length ? n - top.length : 0;
  const list = top.map(listed).join(', ') + (more > 0 ? `, and ${more} more` : '');
  const listJa = top.map(listed).join('、') + (more > 0 ? `、ほか ${more} 件` : '');
  const scanners = n === 1 ? 'scanner' : 'scanners';
  const title = dryOnly
    ? { en: `${n} ${scanners} would have been banned in the last ${window} (dry run)`, ja: `直近${windowJa}で ${n} 件のスキャナーが遮断対象になりました（ドライラン）` }
    : { en: `${n} ${scanners} banned in the last ${window}`, ja: `直近${windowJa}で ${n} 件のスキャナーを遮断しました` };
  const dryNote =
    dryOnly
      ? { en: ' Dry-run mode is on: nothing was actually banned.', ja: 'ドライランのため、実際には遮断していません。' }
      : batch.dryRun > 0
        ? { en: ` ${batch.dryRun} more would have been banned (dry run).`, ja: `ほかに ${batch.dryRun} 件が遮断対象でした（ドライラン）。` }
        : { en: '', ja: '' };
  return {
    kind: 'bans',
    at: now,
    title,
    text: {
      en: `${title.en}: ${list}. By scanner family: ${familyText}.${dryNote.en} Banned addresses are dropped before they reach your phone.`,
      ja: `${title.ja}：${listJa}。スキャナーの種類別：${familyText}。${dryNote.ja}遮断したアドレスからの通信は電話機に届く前に破棄されます。`,
    },
    details: {
      banned: batch.real,
      wouldBan: batch.dryRun,
      dryRun: dryOnly,
      windowMs: Math.max(batchMs, now - batch.started),
      top: top.map((b) => ({ address: b.address, family: b.family ?? null, strikes: b.strikes, expiresAt: b.expiresAt })),
      families: Object.fromEntries(families),
    },
  };
}
