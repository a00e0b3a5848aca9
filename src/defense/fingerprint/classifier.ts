/**
 * The scanner classifier: a fingerprint set compiled once into a function that labels a request with
 * the family it most likely comes from. It labels and explains; it never decides what happens to the
 * request (the inbound gate does, and only calls it for requests it already refused).
 *
 * Work per request is bounded and small (it runs on every refused packet, floods included): each
 * field is read at most once (by slot), each signal evaluated at most once and only when an entry
 * needs it, counter-signals only for entries that have support, and the label with its signal list is
 * built for the best entry only. Every value a signal reads is cut to MAX_FIELD_LENGTH.
 */
import type { SipMessage } from '../../sip/message.js';
import { compileSignal, type CompiledSignal } from './compile-signal.js';
import type { Field, FingerprintSet } from './fingerprint-schema.js';
import { MessageFeatures } from './message-features.js';
import { combineWeights, roundConfidence } from './score.js';

export interface FingerprintLabel {
  /** Family id, e.g. `sipvicious` (matches src/policy/scanner-name.ts). */
  readonly family: string;
  /** The entry that matched best, e.g. `svmap`. */
  readonly variant: string;
  /** 0..1, three decimals. */
  readonly confidence: number;
  /** Ids of the signals that spoke for it, strongest first. */
  readonly signals: readonly string[];
  /** Ids of matched counter-signals (evidence of a real phone or provider). */
  readonly against: readonly string[];
}

export interface Classifier {
  /** The data version the classifier was built from. */
  readonly version: string;
  readonly threshold: number;
  /** The best label when it reaches the threshold, else null (and null for responses). */
  classify(msg: SipMessage): FingerprintLabel | null;
  /** Every entry with support, best first: for tests and tools that show the runners-up. */
  scores(msg: SipMessage): FingerprintLabel[];
}

interface CompiledEntry {
  readonly family: string;
  readonly variant: string;
  /** Indexes of the signals that must all match. */
  readonly requires: readonly number[];
  /** Signal indexes and weights, strongest first; counter-signals (negative weights) separately. */
  readonly support: readonly number[];
  readonly supportWeights: readonly number[];
  /** restMiss[i] = Π (1 − w) over support[i..]: what the signals from i on could still add at most. */
  readonly restMiss: readonly number[];
  readonly counter: readonly number[];
  readonly counterWeights: readonly number[];
}

const NO = 1;
const YES = 2;

/** One request's signal results, evaluated on demand. */
class Evaluation {
  readonly #signals: readonly CompiledSignal[];
  readonly #features: MessageFeatures;
  /** By signal index: UNKNOWN (undefined), NO or YES. A plain array: cheaper to make than a typed one. */
  readonly #state: Array<number | undefined> = [];

  constructor(signals: readonly CompiledSignal[], features: MessageFeatures) {
    this.#signals = signals;
    this.#features = features;
  }

  matched(index: number): boolean {
    let state = this.#state[index];
    if (state === undefined) {
      state = this.#signals[index]!.matches(this.#features) ? YES : NO;
      this.#state[index] = state;
    }
    return state === YES;
  }
}

/** Compiles a set (assumed valid: see validateFingerprints) into a classifier. */
export function compileFingerprints(set: FingerprintSet): Classifier {
  const fields: Field[] = [];
  const slotOf = (field: Field): number => {
    const at = fields.indexOf(field);
    return at >= 0 ? at : fields.push(field) - 1;
  };
  const signals: CompiledSignal[] = set.signals.map((spec) => compileSignal(spec, slotOf));
  const indexOf = new Map(signals.map((signal, index) => [signal.id, index]));
  const entries: CompiledEntry[] = set.families.map((entry) => {
    const known = entry.signals.filter((s) => indexOf.has(s.signal)).sort((a, b) => b.weight - a.weight);
    const support = known.filter((s) => s.weight > 0);
    const counter = known.filter((s) => s.weight < 0);
    const restMiss = support.map(() => 1);
    for (let i = support.length - 1; i >= 0; i--) restMiss[i] = (1 - support[i]!.weight) * (restMiss[i + 1] ?? 1);
    return {
      family: entry.family,
      variant: entry.variant,
      requires: (entry.requires ?? []).map((id) => indexOf.get(id) ?? -1),
      support: support.map((s) => indexOf.get(s.signal)!),
      supportWeights: support.map((s) => s.weight),
      restMiss,
      counter: counter.map((s) => indexOf.get(s.signal)!),
      counterWeights: counter.map((s) => s.weight),
    };
  });

  const evaluate = (msg: SipMessage) => new Evaluation(signals, new MessageFeatures(msg, fields));
  const label = (entry: CompiledEntry, run: Evaluation): FingerprintLabel => {
    const weights: number[] = [];
    const ids: string[] = [];
    const against: string[] = [];
    entry.support.forEach((index, i) => {
      if (!run.matched(index)) return;
      weights.push(entry.supportWeights[i]!);
      ids.push(signals[index]!.id);
    });
    entry.counter.forEach((index, i) => {
      if (!run.matched(index)) return;
      weights.push(entry.counterWeights[i]!);
      against.push(signals[index]!.id);
    });
    return { family: entry.family, variant: entry.variant, confidence: combineWeights(weights), signals: ids, against };
  };

  return {
    version: set.version,
    threshold: set.threshold,
    classify(msg) {
      if (!msg.isRequest) return null;
      const run = evaluate(msg);
      let best: CompiledEntry | null = null;
      let bestConfidence = 0;
      for (const entry of entries) {
        // Until one reaches the threshold, an entry must reach it; then it must beat the best so far
        // (strictly: on a tie the entry listed first wins).
        const strict = best !== null;
        const confidence = score(entry, run, strict ? bestConfidence : set.threshold, strict);
        if (strict ? confidence > bestConfidence : confidence >= set.threshold) {
          best = entry;
          bestConfidence = confidence;
        }
      }
      return best === null ? null : label(best, run);
    },
    scores(msg) {
      if (!msg.isRequest) return [];
      const run = evaluate(msg);
      const out = entries.filter((entry) => score(entry, run, 0, true) > 0).map((entry) => label(entry, run));
      return out.sort((a, b) => b.confidence - a.confidence);
    },
  };
}

/**
 * An entry's confidence (rounded like labels are), without allocating; 0 as soon as it can no longer
 * reach `min` (or exceed it, when `strict`). Support is evaluated strongest first, and after each signal the best the
 * remaining ones could still reach is known (counter-evidence only lowers it): for a real phone most
 * entries stop after their one or two decisive signals.
 */
function score(entry: CompiledEntry, run: Evaluation, min: number, strict: boolean): number {
  for (const index of entry.requires) if (index < 0 || !run.matched(index)) return 0;
  let miss = 1;
  const support = entry.support;
  for (let i = 0; i < support.length; i++) {
    // Even if every remaining signal matched, could this entry still win?
    const best = roundConfidence(1 - miss * entry.restMiss[i]!);
    if (strict ? best <= min : best < min) return 0;
    if (run.matched(support[i]!)) miss *= 1 - entry.supportWeights[i]!;
  }
  if (miss === 1) return 0;
  let damp = 1;
  const counter = entry.counter;
  for (let i = 0; i < counter.length; i++) if (run.matched(counter[i]!)) damp *= 1 + entry.counterWeights[i]!;
  return roundConfidence((1 - miss) * damp);
}
