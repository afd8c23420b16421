import { AnalysisContext, type AnalysisOptions } from './analysis-context.js';
import type { AnalysisInput } from './analysis-input.js';
import { DomainPattern, InvalidDomainPatternError } from './domain-pattern.js';
import { egressStats, type EgressStats } from './egress-stats.js';
import { evaluateExpectation } from './evaluate-expectation.js';
import { isCompareExpectation, type Expectation } from './expectation.js';
import { DEFAULT_BIN_MS, timeline, type BuildTimeline } from './timeline.js';
import type { Verdict } from './verdict.js';
import { summarizeVerdicts, type VerdictSummary } from './verdict-summary.js';
import type { WindowStats } from './window-stats.js';

export interface RunAnalysisOptions extends AnalysisOptions {
  /** Timeline bin width; default 10 s. */
  readonly binMs?: number;
  /** Patterns to tabulate besides the expectations' own (e.g. `*` for all traffic). */
  readonly extraDomains?: readonly string[];
}

export interface RunAnalysis {
  readonly verdicts: readonly Verdict[];
  readonly summary: VerdictSummary;
  /** Every window x every domain pattern named anywhere, for report tables. */
  readonly windowStats: readonly WindowStats[];
  readonly egress: readonly EgressStats[];
  readonly timeline: readonly BuildTimeline[];
}

/** Everything the reporters need from one scenario run, in one pure call. */
export function analyzeRun(
  input: AnalysisInput,
  expectations: readonly Expectation[],
  options: RunAnalysisOptions = {},
): RunAnalysis {
  const context = new AnalysisContext(input, options);
  const verdicts = expectations.map((e) => evaluateExpectation(e, context));
  const patterns = domainPatterns([
    ...expectations.map((e) => (isCompareExpectation(e) ? e.compare.domain : e.domain)),
    ...(options.extraDomains ?? []),
  ]);
  const windows = context.catalog.all();
  return {
    verdicts,
    summary: summarizeVerdicts(verdicts),
    windowStats: windows.filter((w) => w.durationMs > 0).flatMap((w) => patterns.map((p) => context.stats(w, p))),
    egress: windows.map((w) =>
      egressStats(input.records.filter((r) => r.build === w.build).flatMap((r) => r.egress ?? []), w)),
    timeline: timeline(input, patterns, options.binMs ?? DEFAULT_BIN_MS),
  };
}

/** Distinct, valid patterns in first-seen order; invalid ones already became `error` verdicts. */
function domainPatterns(sources: readonly string[]): DomainPattern[] {
  const seen = new Map<string, DomainPattern>();
  for (const source of sources) {
    if (seen.has(source)) continue;
    try {
      seen.set(source, DomainPattern.parse(source));
    } catch (e) {
      if (!(e instanceof InvalidDomainPatternError)) throw e;
    }
  }
  return [...seen.values()];
}
