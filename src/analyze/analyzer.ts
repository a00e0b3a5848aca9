/**
 * The analyzer behind `ghostguard analyze`: two passes over the captures. Pass 1 learns who is who
 * (infer-topology.ts: the provider, unless given, and the phones); pass 2 judges every message with the
 * live guard's parser and rules (call-analyzer.ts) and hands each row to `onRow`. Both passes run in
 * bounded memory, so a capture of any size can be analyzed.
 */
import type { AnalysisSummary, MessageRow } from './analysis.js';
import type { CapturedMessage } from './capture/captured-message.js';
import { CallAnalyzer, type CallAnalyzerOptions } from './call-analyzer.js';
import { TopologyCollector, type GivenProvider } from './infer-topology.js';
import { mayTeachTopology, readSipFacts } from './sip-facts.js';
import type { Topology } from './topology.js';

/** Opens the captures afresh for each pass (they are read twice). */
export type CaptureSource = (pass: 1 | 2) => AsyncIterable<CapturedMessage>;

export interface AnalyzeOptions extends CallAnalyzerOptions {
  /** The provider given with --provider; null to infer it. */
  readonly provider?: GivenProvider | null;
  /** Each message's row, in capture order (use it at once or copy it). */
  readonly onRow?: (row: MessageRow) => void;
}

export interface AnalysisResult {
  readonly topology: Topology;
  readonly summary: AnalysisSummary;
}

export async function analyzeCaptures(open: CaptureSource, options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const collector = new TopologyCollector(options.provider ?? null);
  for await (const captured of open(1)) if (mayTeachTopology(captured.bytes)) collector.add(captured, readSipFacts(captured));
  const topology = collector.finish();
  const analyzer = new CallAnalyzer(topology, options);
  const onRow = options.onRow;
  for await (const captured of open(2)) {
    const row = analyzer.add(captured);
    if (onRow !== undefined) onRow(row);
  }
  return { topology, summary: analyzer.summary() };
}
