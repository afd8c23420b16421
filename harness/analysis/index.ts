/** firmlab analysis: pure functions from recorded events and expectations to verdicts. */
export type {
  AnalysisInput, BuildRecords, DnsQuery, EgressEvent, ObservationWindow, SettingMarker,
} from './analysis-input.js';
export { AnalysisContext, type AnalysisOptions } from './analysis-context.js';
export { newContacts, windowNames, type NewContacts, type WindowNames } from './contact-stats.js';
export { analyzeRun, type Finding, type RunAnalysis, type RunAnalysisOptions } from './analyze-run.js';
export { DomainPattern, InvalidDomainPatternError, normalizeName } from '../util/domain-pattern.js';
export { sourceKey } from './count-text.js';
export { InvalidEgressFilterError } from './egress-matcher.js';
export { egressStats, type EgressStats } from './egress-stats.js';
export { evaluateExpectation } from './evaluate-expectation.js';
export {
  describeExpectation, describeTraffic, isCompareExpectation, trafficOf,
  type AtLeastTimesFewerExpectation, type CompareExpectation, type CompareTarget, type EgressFilter, type Expectation,
  type ExpectationTarget, type MaxPerDayExpectation, type MinPerDayExpectation, type NewAtMostExpectation,
  type NoneExpectation, type RateExpectation, type Traffic, type TtlRespectedExpectation, type WindowRef,
} from './expectation.js';
export { formatCount, formatDuration, formatSeconds, formatValue } from './format-number.js';
export { longestBurst, type Burst } from './longest-burst.js';
export { poissonInterval, poissonLower, poissonUpper, type PoissonInterval } from './poisson-interval.js';
export { rateRatioBounds, type RateRatioBounds } from './rate-ratio-bounds.js';
export { otherResolversText, resolverStats, type ResolverStats } from './resolver-stats.js';
export { DEFAULT_BIN_MS, timeline, type BuildTimeline } from './timeline.js';
export {
  DEFAULT_TTL_GRACE_MS, findRequeries, ttlCompliance, type Requery, type TtlCompliance,
} from './ttl-compliance.js';
export { TrafficTarget } from './traffic-target.js';
export type { Verdict, VerdictStatus } from './verdict.js';
export { summarizeVerdicts, type VerdictSummary } from './verdict-summary.js';
export {
  PROBE_SUFFIX, isProbeName, judgeWindowLiveness,
  type LabFacts, type LabRecords, type ProbeResult, type ServiceCheck, type ServiceFacts, type WindowLiveness,
} from './window-liveness.js';
export { WindowCatalog, type ResolvedWindow, type WindowSpan } from './window-catalog.js';
export { SECONDS_PER_DAY, windowStats, type ContactSources, type DnsFailures, type WindowStats } from './window-stats.js';
