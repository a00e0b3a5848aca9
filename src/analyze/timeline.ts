/**
 * Messages and ghost calls over time in a fixed number of buckets whatever the capture's length: the
 * bucket width starts at one second and doubles (merging neighbours) whenever a message falls past the
 * last bucket. Memory is constant. A message earlier than the first one seen (files given out of
 * order) is counted in the first bucket.
 */
import type { TimelineBucket } from './analysis.js';

export const TIMELINE_BUCKETS = 120;
const START_WIDTH_MS = 1_000;

export class Timeline {
  private origin: number | null = null;
  private width = START_WIDTH_MS;
  private readonly messages = new Float64Array(TIMELINE_BUCKETS);
  private readonly ghosts = new Float64Array(TIMELINE_BUCKETS);
  private used = 0;

  add(time: number, ghostCall: boolean): void {
    if (!Number.isFinite(time)) return;
    if (this.origin === null) this.origin = Math.floor(time / this.width) * this.width;
    let index = Math.floor((time - this.origin) / this.width);
    while (index >= TIMELINE_BUCKETS) {
      this.widen();
      index = Math.floor((time - this.origin) / this.width);
    }
    if (index < 0) index = 0;
    this.messages[index]!++;
    if (ghostCall) this.ghosts[index]!++;
    if (index + 1 > this.used) this.used = index + 1;
  }

  private widen(): void {
    const half = TIMELINE_BUCKETS / 2;
    for (let i = 0; i < half; i++) {
      this.messages[i] = this.messages[2 * i]! + this.messages[2 * i + 1]!;
      this.ghosts[i] = this.ghosts[2 * i]! + this.ghosts[2 * i + 1]!;
    }
    this.messages.fill(0, half);
    this.ghosts.fill(0, half);
    this.width *= 2;
    this.used = Math.ceil(this.used / 2);
  }

  result(): { bucketMs: number; buckets: TimelineBucket[] } {
    const buckets: TimelineBucket[] = [];
    const origin = this.origin ?? 0;
    for (let i = 0; i < this.used; i++) buckets.push({ start: origin + i * this.width, messages: this.messages[i]!, ghostCalls: this.ghosts[i]! });
    return { bucketMs: this.width, buckets };
  }
}
