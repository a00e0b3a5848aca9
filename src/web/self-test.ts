/**
 * `POST /api/selftest`: the probe (src/probe) aimed at the guard's own WAN address and port, the way a
 * scanner would see it. Protected means every port stayed silent. One run at a time: a second
 * request while one runs is refused (409), so the button cannot be turned into a flood.
 */
import type { ProbeOptions, ProbeReport, ProbeTarget } from '../probe/probe-report.js';
import { ApiError } from './http-kit.js';

export type ProbeFunction = (target: ProbeTarget, options?: ProbeOptions) => Promise<ProbeReport>;

export interface SelfTestResult {
  readonly report: ProbeReport;
  readonly protected: boolean;
  readonly summary: { readonly en: string; readonly ja: string };
}

export class SelfTest {
  readonly #probe: ProbeFunction | null;
  readonly #timeoutMs: number;
  #running = false;

  constructor(probe: ProbeFunction | null, timeoutMs = 2000) {
    this.#probe = probe;
    this.#timeoutMs = timeoutMs;
  }

  get running(): boolean {
    return this.#running;
  }

  async run(target: ProbeTarget): Promise<SelfTestResult> {
    if (this.#probe === null) throw new ApiError(503, 'GG_UNAVAILABLE', 'the self-test is not available in this build');
    if (this.#running) throw new ApiError(409, 'GG_BUSY', 'a self-test is already running; try again when it has finished');
    this.#running = true;
    try {
      const report = await this.#probe(target, { timeoutMs: this.#timeoutMs });
      return { report, protected: report.results.length > 0 && report.results.every((r) => r.verdict === 'SILENT'), summary: summarize(report) };
    } finally {
      this.#running = false;
    }
  }
}

export function summarize(report: ProbeReport): { en: string; ja: string } {
  const where = `${report.host} (${report.results.map((r) => `${r.transport} ${r.port}`).join(', ')})`;
  const rang = report.results.filter((r) => r.verdict === 'RANG');
  const answered = report.results.filter((r) => r.verdict === 'ANSWERED');
  if (report.results.length === 0) return { en: `Nothing was probed at ${where}.`, ja: `${where} は何も検査されませんでした。` };
  if (rang.length > 0) {
    const ports = rang.map((r) => r.port).join(', ');
    return {
      en: `Not protected: a scanner's call made port ${ports} of ${report.host} ring. A ghost call would reach your phone.`,
      ja: `保護されていません：スキャナーの発信で ${report.host} のポート ${ports} が鳴りました。ゴースト着信が電話に届きます。`,
    };
  }
  if (answered.length > 0) {
    const ports = answered.map((r) => r.port).join(', ');
    return {
      en: `Partly protected: nothing rang, but port ${ports} of ${report.host} answered, so scanners can tell a SIP device is there.`,
      ja: `一部保護：着信はしませんでしたが、${report.host} のポート ${ports} が応答したため、SIP 機器の存在がスキャナーに知られます。`,
    };
  }
  return {
    en: `Protected: ${where} stayed silent to a scanner's call and OPTIONS. Scanners cannot even tell a host is there.`,
    ja: `保護されています：${where} はスキャナーの発信にも OPTIONS にも一切応答しませんでした。`,
  };
}
