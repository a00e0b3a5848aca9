/**
 * The progress bar of `ghostguard analyze` on a terminal's stderr: one line redrawn in place (at most
 * ten times a second), then erased.
 */
const WIDTH = 24;
const EVERY_MS = 100;

export class ProgressBar {
  private last = 0;
  private drawn = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  update(pass: 1 | 2, file: string, bytesRead: number, totalBytes: number | null): void {
    const t = this.now();
    if (t - this.last < EVERY_MS) return;
    this.last = t;
    const what = pass === 1 ? 'learning who is who' : 'judging calls';
    const name = file.length > 40 ? `…${file.slice(-39)}` : file;
    if (totalBytes === null || totalBytes <= 0) {
      this.write(`\r\x1b[2K${what} ${pass}/2  ${name}  ${(bytesRead / 1e6).toFixed(1)} MB`);
    } else {
      const share = Math.min(1, bytesRead / totalBytes);
      const full = Math.round(share * WIDTH);
      this.write(`\r\x1b[2K[${'#'.repeat(full)}${'.'.repeat(WIDTH - full)}] ${String(Math.round(share * 100)).padStart(3)}%  ${what} ${pass}/2  ${name}`);
    }
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.write('\r\x1b[2K');
    this.drawn = false;
  }
}
