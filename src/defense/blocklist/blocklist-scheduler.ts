/**
 * Keeps the configured blocklists (`defense.blocklists: [{ file | url, every }]`) in force: each is read
 * at start and then every `everyMs`, parsed, and applied through BanControl with bans that last
 * `2 × every` (so one failed refresh does not let the list lapse); entries dropped from a list are
 * unbanned at the next refresh. A refresh that fails keeps the list's bans and is logged; the next one
 * comes on schedule. One refresh per list at a time.
 */
import type { Logger } from '../../transport/logger.js';
import { silentLogger } from '../../transport/logger.js';
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { BanControl } from '../bans/ban-control.js';
import { applyBlocklist, formatRefusals } from './apply-blocklist.js';
import { parseBlocklist, type ParseBlocklistOptions } from './parse-blocklist.js';
import { describeSource, readBlocklist, type BlocklistSource, type ReadBlocklistOptions, type ReadBlocklistResult } from './read-blocklist.js';

/** Refreshes are never closer than this, whatever `every` says. */
const MIN_EVERY_MS = 1000;

export interface BlocklistFeed {
  readonly source: BlocklistSource;
  readonly everyMs: number;
}

export interface BlocklistSchedulerOptions {
  readonly bans: BanControl;
  readonly feeds: readonly BlocklistFeed[];
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly read?: (source: BlocklistSource) => Promise<ReadBlocklistResult>;
  readonly readOptions?: ReadBlocklistOptions;
  readonly parseOptions?: ParseBlocklistOptions;
}

export interface BlocklistStatus {
  readonly source: string;
  /** ms since the epoch of the last refresh that applied the list; null before. */
  readonly lastRefresh: number | null;
  readonly lastError: string | null;
  /** Addresses this list has in force. */
  readonly entries: number;
  readonly invalid: number;
  readonly refused: number;
}

interface FeedState {
  readonly feed: BlocklistFeed;
  readonly name: string;
  current: ReadonlySet<string>;
  lastRefresh: number | null;
  lastError: string | null;
  invalid: number;
  refused: number;
  timer: TimerHandle | null;
  running: Promise<void> | null;
}

export class BlocklistScheduler {
  private readonly states: FeedState[];
  private readonly logger: Logger;
  private stopped = true;

  constructor(private readonly options: BlocklistSchedulerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.states = options.feeds.map((feed) => ({
      feed,
      name: describeSource(feed.source),
      current: new Set<string>(),
      lastRefresh: null,
      lastError: null,
      invalid: 0,
      refused: 0,
      timer: null,
      running: null,
    }));
  }

  /** Reads every list now (resolves when the first round is done) and schedules the refreshes. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    await Promise.all(this.states.map((s) => this.refresh(s)));
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.states) {
      s.timer?.cancel();
      s.timer = null;
    }
  }

  /** Refreshes every list now (e.g. from the API). */
  async refreshAll(): Promise<void> {
    await Promise.all(this.states.map((s) => this.refresh(s)));
  }

  status(): BlocklistStatus[] {
    return this.states.map((s) => ({
      source: s.name,
      lastRefresh: s.lastRefresh,
      lastError: s.lastError,
      entries: s.current.size,
      invalid: s.invalid,
      refused: s.refused,
    }));
  }

  private refresh(state: FeedState): Promise<void> {
    if (state.running !== null) return state.running;
    state.timer?.cancel();
    state.timer = null;
    state.running = this.load(state).finally(() => {
      state.running = null;
      if (!this.stopped && state.timer === null) {
        state.timer = this.options.clock.setTimeout(() => {
          state.timer = null;
          void this.refresh(state);
        }, Math.max(state.feed.everyMs, MIN_EVERY_MS));
      }
    });
    return state.running;
  }

  private async load(state: FeedState): Promise<void> {
    const read = this.options.read ?? ((source: BlocklistSource) => readBlocklist(source, this.options.readOptions));
    const text = await read(state.feed.source);
    if (this.stopped) return;
    const parsed = text.ok ? parseBlocklist(text.text, this.options.parseOptions) : text;
    if (!parsed.ok) {
      state.lastError = parsed.error;
      this.logger.error(`blocklist ${state.name}: ${parsed.error}; its bans stay until the next refresh`);
      return;
    }
    const keep = (address: string): boolean => this.states.some((other) => other !== state && other.current.has(address));
    const result = applyBlocklist(this.options.bans, parsed.entries, {
      name: state.name,
      durationMs: 2 * Math.max(state.feed.everyMs, MIN_EVERY_MS),
      previous: state.current,
      keep,
    });
    const refused = Object.values(result.refused).reduce((a, b) => a + (b ?? 0), 0);
    Object.assign(state, { current: result.current, lastRefresh: this.options.clock.now(), lastError: null, invalid: parsed.invalid, refused });
    this.logger.info(`blocklist ${state.name}: ${result.current.size} in force`, {
      added: result.added,
      removed: result.removed,
      alreadyBanned: result.alreadyBanned,
      refused: formatRefusals(result.refused),
      invalid: parsed.invalid,
      overLimit: parsed.overLimit,
    });
    if (refused > 0) {
      const examples = result.refusedExamples.map((e) => `${e.address} (${e.message})`).join('; ');
      this.logger.warn(`blocklist ${state.name}: refused ${formatRefusals(result.refused)}: ${examples}`);
    }
    for (const p of parsed.problems) this.logger.warn(`blocklist ${state.name}: line ${p.line} "${p.excerpt}": ${p.message}`);
  }
}
