/** TEST ONLY: an alert with Japanese text and details, as channels receive them. */
import type { Alert, AlertKind } from '../alert.js';

export function sampleAlert(kind: AlertKind = 'bans', at = Date.UTC(2026, 10, 28, 1, 0, 0), n = 12): Alert {
  return {
    kind,
    at,
    title: { en: `${n} scanners banned in the last 5 minutes`, ja: `直近5分で ${n} 件のスキャナーを遮断しました` },
    text: { en: `${n} scanners banned: 198.51.100.66 (sipvicious).`, ja: `${n} 件を遮断：198.51.100.66（sipvicious）。` },
    details: { banned: n, top: [{ address: '198.51.100.66', family: 'sipvicious' }] },
  };
}
