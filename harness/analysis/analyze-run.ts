import { newContacts, windowNames, type NewContacts, type WindowNames } from './contact-stats.js';
import { AnalysisContext, type AnalysisOptions } from './analysis-context.js';
import type { AnalysisInput } from './analysis-input.js';
import { InvalidDomainPatternError } from '../util/domain-pattern.js';
import { InvalidEgressFilterError } from './egress-matcher.js';
import { egressStats, type EgressStats } from './egress-stats.js';
import { evaluateExpectation } from './evaluate-expectation.js';
import { describeTraffic, trafficOf, type Expectation, type Traffic } from './expectation.js';
import { resolverStats, type ResolverStats } from './resolver-stats.js';
import { DEFAULT_BIN_MS, timeline, type BuildTimeline } from './timeline.js';
import { TrafficTarget } from './traffic-target.js';
import type { Verdict } from './verdict.js';
import { summarizeVerdicts, type VerdictSummary } from './verdict-summary.js';
import type { WindowStats } from './window-stats.js';

export interface RunAnalysisOptions extends AnalysisOptions {
  /** Timeline bin width; default 10 s. */
  readonly binMs?: number;
  /** Patterns to tabulate besides the expectations' own (e.g. `*` for all traffic). */
  readonly extraDomains?: readonly string[];
  /** The resolver the lab handed out (`10.200.0.1:53`); without it, no `resolvers` table. */
  readonly labResolver?: { readonly address: string; readonly port: number };
}

export interface RunAnalysis {
  readonly verdicts: readonly Verdict[];
  readonly summary: VerdictSummary;
  /** Every window x every domain pattern and egress filter named anywhere, for report tables. */
  readonly windowStats: readonly WindowStats[];
  readonly egress: readonly EgressStats[];
  /** Every name each build asked for, per window. */
  readonly names: readonly WindowNames[];
  /** Names and destinations each new build contacted that its old build did not, per window. */
  readonly newContacts: readonly NewContacts[];
  /** Per build, which resolvers its DNS went to (with `labResolver`). */
  readonly resolvers: readonly ResolverStats[];
  readonly timeline: readonly BuildTimeline[];
  /** What builds did wrong around their windows (a service that should run and does not, or hangs): each makes the run exit 1. */
  readonly findings: readonly Finding[];
}

/** One finding about a build, from the liveness judgement of one window. */
export interface Finding {
  readonly build: string;
  readonly window: string;
  readonly feature: string;
  readonly message: string;
}

/** Everything the reporters need from one scenario run, in one pure call. */
export function analyzeRun(
  input: AnalysisInput,
  expectations: readonly Expectation[],
  options: RunAnalysisOptions = {},
): RunAnalysis {
  const context = new AnalysisContext(input, options);
  const verdicts = expectations.map((e) => evaluateExpectation(e, context));
  const findings = findingsOf(input);
  const targets = trafficTargets([
    ...expectations.map(trafficOf),
    ...(options.extraDomains ?? []).map((domain) => ({ domain })),
  ]);
  const windows = context.catalog.all();
  const labResolver = options.labResolver;
  const egress = windows.map((w) => egressStats(context.egressOf(w.build) ?? [], w));
  // In the order they were observed, as a reader follows the scenario.
  const firstStart = (w: (typeof windows)[number]) => Math.min(...w.spans.map((sp) => sp.startMs));
  const names = [...windows].sort((a, b) => firstStart(a) - firstStart(b)).map((w) => windowNames(context.queriesOf(w.build), w));
  return {
    verdicts,
    summary: summarizeVerdicts(verdicts, findings.length),
    windowStats: windows.filter((w) => w.durationMs > 0).flatMap((w) => targets.map((t) => context.stats(w, t))),
    egress,
    names,
    newContacts: newContacts(names, egress),
    resolvers: labResolver === undefined ? []
      : context.catalog.builds.map((b) => resolverStats(b, context.queriesOf(b), labResolver)),
    timeline: timeline(input, targets.flatMap((t) => (t.pattern === undefined ? [] : [t.pattern])), options.binMs ?? DEFAULT_BIN_MS),
    findings,
  };
}

function findingsOf(input: AnalysisInput): Finding[] {
  return input.windows.flatMap((w) => (w.liveness?.services ?? []).flatMap((s) =>
    s.finding === undefined ? [] : [{ build: w.build, window: w.window, feature: s.feature, message: `${w.build}/${w.window}: ${s.finding}` }]));
}

/** Distinct, valid targets in first-seen order; invalid ones already became `error` verdicts. */
function trafficTargets(traffic: readonly Traffic[]): TrafficTarget[] {
  const seen = new Map<string, TrafficTarget>();
  for (const t of traffic) {
    const label = describeTraffic(t);
    if (seen.has(label)) continue;
    try {
      seen.set(label, TrafficTarget.parse(t));
    } catch (e) {
      if (!(e instanceof InvalidDomainPatternError || e instanceof InvalidEgressFilterError)) throw e;
    }
  }
  return [...seen.values()];
}
