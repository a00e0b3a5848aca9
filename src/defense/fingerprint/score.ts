/**
 * How the matched signals of one family entry combine into a confidence (0..1).
 *
 * Positive weights are treated as independent pieces of evidence, each `w` the confidence that signal
 * would give alone ("noisy-OR"):
 *
 *     support    = 1 − Π (1 − w)          over matched signals with w > 0
 *     confidence = support × Π (1 − |w|)  over matched signals with w < 0 (counter-evidence)
 *
 * So one decisive signal (a tool's own User-Agent, 0.95) labels by itself; weak shapes (a decimal
 * Call-ID, 0.35; no User-Agent, 0.15) label only together; and counter-evidence (credentials, a
 * Contact with `+sip.instance`, a request that came through a proxy) pulls a guess back under the
 * threshold. Adding a signal never lowers the support, and the result stays within 0..1.
 */

/** Confidence from the weights of the matched signals. */
export function combineWeights(weights: readonly number[]): number {
  let miss = 1;
  let damp = 1;
  let any = false;
  for (const w of weights) {
    if (w > 0) {
      miss *= 1 - Math.min(w, 1);
      any = true;
    } else if (w < 0) {
      damp *= 1 - Math.min(-w, 1);
    }
  }
  if (!any) return 0;
  return roundConfidence((1 - miss) * damp);
}

/** Three decimals: enough to compare, short in JSON and events. */
export function roundConfidence(value: number): number {
  return Math.round(Math.max(0, Math.min(1, value)) * 1000) / 1000;
}
