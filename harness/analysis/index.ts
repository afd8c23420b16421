/** firmlab analysis: pure functions from recorded events and expectations to verdicts. */
export type {
  AnalysisInput, BuildRecords, DnsQuery, EgressEvent, ObservationWindow, SettingMarker,
} from './analysis-input.js';
export { AnalysisContext, type AnalysisOptions } from './analysis-context.js';
export { analyzeRun, type RunAnalysis, type RunAnalysisOptions } from './analyze-run.js';
export { DomainPattern, InvalidDomainPatternError, normalizeName } from './domain-pattern.js';
export { egressStats, type EgressStats } from './egress-stats.js';
export { evaluateExpectation } from './evaluate-expectation.js';
export {
  describeExpectation, isCompareExpectation,
  type AtLeastTimesFewerExpectation, type CompareExpectation, type CompareTarget, type Expectation,
  type ExpectationTarget, type MaxPerDayExpectation, type MinPerDayExpectation, type NewAtMostExpectation,
  type NoneExpectation, type RateExpectation, type TtlRespectedExpectation,
} from './expectation.js';
export { formatCount, formatSeconds, formatValue } from './format-number.js';
export { longestBurst, type Burst } from './longest-burst.js';
export { poissonInterval, poissonLower, poissonUpper, type PoissonInterval } from './poisson-interval.js';
export { rateRatioBounds, type RateRatioBounds } from './rate-ratio-bounds.js';
export { DEFAULT_BIN_MS, timeline, type BuildTimeline } from './timeline.js';
export {
  DEFAULT_TTL_GRACE_MS, findRequeries, ttlCompliance, type Requery, type TtlCompliance,
} from './ttl-compliance.js';
export type { Verdict, VerdictStatus } from './verdict.js';
export { summarizeVerdicts, type VerdictSummary } from './verdict-summary.js';
export { WindowCatalog, type ResolvedWindow, type WindowSpan } from './window-catalog.js';
export { SECONDS_PER_DAY, windowStats, type DnsFailures, type WindowStats } from './window-stats.js';
