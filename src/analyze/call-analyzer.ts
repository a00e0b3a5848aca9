/**
 * Pass 2 of the analyzer: every captured payload becomes a row (MessageRow), grouped into calls by
 * Call-ID, with the verdict of its call and, for requests on the guard's WAN side, the reasons and
 * explanation of the live guard's inbound gate (GuardView). The tallies for the summary are kept as it
 * goes, all in bounded memory: call state for at most `callCapacity` Call-IDs (least recently seen
 * forgotten first), full detail for the first `detailCapacity` ghost calls, the rest counted.
 */
import { classify } from '../defense/fingerprint/classify.js';
import type { Explanation } from '../policy/explain.js';
import { isSipError } from '../sip/errors.js';
import type { SipMessage } from '../sip/message.js';
import { peopleText } from '../policy/people-text.js';
import { CALL_VERDICTS, type AnalysisSummary, type CallVerdict, type GhostCallDetail, type MessageRow } from './analysis.js';
import { BoundedMap } from './bounded-map.js';
import type { CapturedMessage } from './capture/captured-message.js';
import { GuardView, type GuardJudgement } from './guard-view.js';
import { endpointText, ownString, readSipFacts, type SipFacts } from './sip-facts.js';
import { RegisterWatch } from './register-watch.js';
import { SourceTable } from './source-table.js';
import { IsoTimes } from './iso-times.js';
import { Timeline } from './timeline.js';
import type { Topology } from './topology.js';

export interface CallAnalyzerOptions {
  /** Call-IDs whose state is kept (default 100,000). */
  readonly callCapacity?: number;
  /** Ghost calls kept in full for the reports (default 500). */
  readonly detailCapacity?: number;
  /** Sources tallied one by one (default 10,000). */
  readonly sourceCapacity?: number;
}

interface CallState {
  readonly verdict: CallVerdict;
  readonly family: string | null;
  readonly source: string;
  readonly phone: string;
  rang: boolean;
  answered: boolean;
  detail: { rang: boolean; answered: boolean } | null;
}

const EXPLANATION_KINDS = 200;
const SHOWN_EXPLANATIONS = 12;
const SHOWN_SOURCES = 50;

export class CallAnalyzer {
  private readonly calls: BoundedMap<string, CallState>;
  private readonly guard: GuardView;
  private readonly sources: SourceTable;
  private readonly timeline = new Timeline();
  private readonly iso = new IsoTimes();
  private readonly registers = new RegisterWatch();
  private readonly details: Array<Omit<GhostCallDetail, 'rang' | 'answered'> & { rang: boolean; answered: boolean }> = [];
  private readonly detailCapacity: number;
  private readonly explanations = new Map<string, { en: string; ja: string; count: number }>();
  private readonly messagesByVerdict = zeroCounts();
  private readonly callsByVerdict = zeroCounts();
  private readonly byFamily = new Map<string, number>();
  private messages = 0;
  private unparsable = 0;
  private readonly rangByVerdict = zeroCounts();
  private readonly answeredByVerdict = zeroCounts();
  private first = Infinity;
  private last = -Infinity;

  constructor(
    private readonly topology: Topology,
    options: CallAnalyzerOptions = {},
  ) {
    this.calls = new BoundedMap(options.callCapacity ?? 100_000);
    this.detailCapacity = options.detailCapacity ?? 500;
    this.sources = new SourceTable(options.sourceCapacity ?? 10_000);
    this.guard = new GuardView(topology, (callId) => this.calls.get(callId)?.verdict === 'provider');
  }

  /** One captured payload: its row (use it at once: the reader may reuse the bytes). */
  add(captured: CapturedMessage): MessageRow {
    this.messages++;
    const time = captured.time;
    if (time < this.first) this.first = time;
    if (time > this.last) this.last = time;
    const facts = readSipFacts(captured);
    const msg = facts.msg;
    if (msg === null) {
      this.unparsable++;
      const error = facts.error!;
      const judged = this.guard.judgeUnparsable(captured, error);
      if (this.onWanSide(captured) && !this.topology.isProvider(captured.src.address)) {
        this.sources.request(captured.src.address, time, null, false);
        this.noteExplanation(judged.explanation);
      }
      this.count('other', time, false);
      return makeRow(this.iso, captured, facts, 'other', null, judged.verdict.reasons, judged.explanation, { code: error.code, message: error.message });
    }
    if (!msg.isRequest) return this.response(captured, facts);

    const call = facts.callId === null ? undefined : this.calls.get(facts.callId);
    const wan = this.onWanSide(captured);
    const judged = wan ? this.guard.judge(captured, msg) : null;
    let verdict: CallVerdict = call?.verdict ?? 'other';
    let ghostCall = false;
    if (call === undefined && facts.method === 'INVITE' && facts.toTag === null && facts.callId !== null) {
      verdict = this.inviteVerdict(captured, msg, wan);
      ghostCall = verdict === 'ghost';
      this.startCall(facts.callId, verdict, captured, msg, judged);
    }
    const family = judged?.verdict.family ?? call?.family ?? null;
    if (facts.method === 'REGISTER' && !this.topology.isPhone(captured.src.address)) this.registers.request(captured, facts, msg, judged?.verdict.family ?? null);
    if (wan && !this.topology.isProvider(captured.src.address)) {
      this.sources.request(captured.src.address, time, family, ghostCall);
      if (judged !== null && judged.verdict.action !== 'relay') this.noteExplanation(judged.explanation);
    }
    this.count(verdict, time, ghostCall);
    return makeRow(this.iso, captured, facts, verdict, family, judged?.verdict.reasons ?? NO_REASONS, judged?.explanation ?? null);
  }

  /** A request the guard's WAN leg would see: not from a phone, not to the provider, to the phone side. */
  private onWanSide(captured: CapturedMessage): boolean {
    const t = this.topology;
    if (t.isPhone(captured.src.address) || t.isProvider(captured.dst.address)) return false;
    return t.phones.length === 0 || t.isPhone(captured.dst.address);
  }

  private inviteVerdict(captured: CapturedMessage, msg: SipMessage, wan: boolean): CallVerdict {
    const t = this.topology;
    if (t.isProvider(captured.src.address)) return 'provider';
    if (t.isProvider(captured.dst.address)) {
      return t.isPhone(captured.src.address) || (t.phones.length === 0 && classify(msg) === null) ? 'outgoing' : 'other';
    }
    return wan ? 'ghost' : 'other';
  }

  private startCall(callId: string, verdict: CallVerdict, captured: CapturedMessage, msg: SipMessage, judged: GuardJudgement | null): void {
    const family = judged?.verdict.family ?? null;
    const state: CallState = { verdict, family, source: captured.src.address, phone: captured.dst.address, rang: false, answered: false, detail: null };
    this.calls.set(ownString(callId), state);
    this.callsByVerdict[verdict]++;
    if (verdict !== 'ghost') return;
    const key = family ?? 'unknown';
    this.byFamily.set(key, (this.byFamily.get(key) ?? 0) + 1);
    if (this.details.length < this.detailCapacity) {
      const detail = {
        callId: ownString(callId.slice(0, 200)),
        time: this.iso.format(captured.time),
        source: captured.src.address,
        phone: captured.dst.address,
        family,
        caller: callerOf(msg),
        rang: false,
        answered: false,
        explanation: judged?.explanation ?? null,
      };
      this.details.push(detail);
      state.detail = detail;
    }
  }

  private response(captured: CapturedMessage, facts: SipFacts): MessageRow {
    const call = facts.callId === null ? undefined : this.calls.get(facts.callId);
    const verdict = call?.verdict ?? 'other';
    if (facts.cseqMethod === 'REGISTER') this.registers.response(captured, facts, this.iso.format(captured.time));
    if (call !== undefined && facts.cseqMethod === 'INVITE' && captured.src.address === call.phone) this.phoneAnswered(call, facts.status ?? 0);
    this.count(verdict, captured.time, false);
    return makeRow(this.iso, captured, facts, verdict, call?.family ?? null, NO_REASONS, null);
  }

  /** What the user experienced: the phone rang (18x) or was picked up (2xx). */
  private phoneAnswered(call: CallState, status: number): void {
    const ringing = status >= 180 && status < 190;
    const answered = status >= 200 && status < 300;
    if (ringing && !call.rang) {
      call.rang = true;
      if (call.detail !== null) call.detail.rang = true;
      this.rangByVerdict[call.verdict]++;
      if (call.verdict === 'ghost') this.sources.rang(call.source);
    }
    if (answered && !call.answered) {
      call.answered = true;
      if (call.detail !== null) call.detail.answered = true;
      this.answeredByVerdict[call.verdict]++;
      if (call.verdict === 'ghost') this.sources.answered(call.source);
    }
  }

  private count(verdict: CallVerdict, time: number, ghostCall: boolean): void {
    this.messagesByVerdict[verdict]++;
    this.timeline.add(time, ghostCall);
  }

  private noteExplanation(explanation: Explanation): void {
    const found = this.explanations.get(explanation.en);
    if (found !== undefined) found.count++;
    else if (this.explanations.size < EXPLANATION_KINDS) this.explanations.set(explanation.en, { ...explanation, count: 1 });
  }

  summary(): AnalysisSummary {
    const t = this.topology;
    return {
      provider: t.provider,
      phones: t.phones,
      phoneEvidence: t.phoneEvidence,
      messages: this.messages,
      unparsable: this.unparsable,
      messagesByVerdict: { ...this.messagesByVerdict },
      callsByVerdict: { ...this.callsByVerdict },
      rangByVerdict: { ...this.rangByVerdict },
      answeredByVerdict: { ...this.answeredByVerdict },
      ghost: {
        calls: this.callsByVerdict.ghost,
        rang: this.rangByVerdict.ghost,
        answered: this.answeredByVerdict.ghost,
        byFamily: Object.fromEntries([...this.byFamily.entries()].sort((a, b) => b[1] - a[1])),
        otherSources: this.sources.otherSources,
      },
      sources: this.sources.top(SHOWN_SOURCES),
      scannerRegistrations: [...this.registers.findings],
      scannerRegistrationsMore: this.registers.more,
      ghostCalls: this.details.map((d) => ({ ...d })),
      explanations: [...this.explanations.values()].sort((a, b) => b.count - a.count).slice(0, SHOWN_EXPLANATIONS),
      timeline: this.timeline.result(),
      callsForgotten: this.calls.evicted,
      first: this.messages === 0 ? null : this.iso.format(this.first),
      last: this.messages === 0 ? null : this.iso.format(this.last),
    };
  }
}

const NO_REASONS: readonly string[] = Object.freeze([]);

function makeRow(
  iso: IsoTimes,
  captured: CapturedMessage,
  facts: SipFacts,
  verdict: CallVerdict,
  family: string | null,
  reasons: readonly string[],
  explanation: Explanation | null,
  error?: { code: string; message: string },
): MessageRow {
  const row: MessageRow = {
    file: captured.file,
    frame: captured.frame,
    time: iso.format(captured.time),
    src: endpointText(captured.src.address, captured.src.port),
    dst: endpointText(captured.dst.address, captured.dst.port),
    transport: captured.transport,
    method: facts.method,
    status: facts.status,
    callId: facts.callId,
    verdict,
    family,
    reasons,
    explanation,
  };
  return error === undefined ? row : { ...row, error };
}

function zeroCounts(): Record<CallVerdict, number> {
  return Object.fromEntries(CALL_VERDICTS.map((v) => [v, 0])) as Record<CallVerdict, number>;
}


/** The caller people saw: From display name, else From user (cleaned, capped). */
function callerOf(msg: SipMessage): string | null {
  const from = msg.from();
  if (isSipError(from)) return null;
  const raw = from.displayName ?? ('user' in from.uri ? from.uri.user : null) ?? null;
  if (raw === null) return null;
  const text = peopleText(raw, 80);
  return text.length > 0 ? text : null;
}
