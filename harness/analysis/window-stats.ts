import type { DnsQuery } from './analysis-input.js';
import type { DomainPattern } from './domain-pattern.js';
import { normalizeName } from './domain-pattern.js';
import { longestBurst, type Burst } from './longest-burst.js';
import { poissonInterval } from './poisson-interval.js';
import { findRequeries, ttlCompliance, type Requery, type TtlCompliance } from './ttl-compliance.js';
import { inSpans, type ResolvedWindow } from './window-catalog.js';

export const SECONDS_PER_DAY = 86_400;

export interface DnsFailures {
  readonly servfail: number;
  readonly nxdomain: number;
  readonly refused: number;
  /** Dropped on purpose by a `drop` fault: the client saw no answer at all. */
  readonly dropped: number;
  readonly total: number;
}

export interface WindowStats {
  readonly build: string;
  readonly window: string;
  /** The pattern's source text, as the scenario wrote it. */
  readonly domain: string;
  readonly durationMs: number;
  readonly serviceAlive: boolean;
  readonly count: number;
  /** NaN when the window has no duration. */
  readonly ratePerSecond: number;
  readonly ratePerDay: number;
  /** Two-sided exact (Garwood) 95% interval, per day; descriptive, verdicts use one-sided bounds. */
  readonly ci95PerDay: { readonly lower: number; readonly upper: number };
  readonly distinctNames: number;
  /** Matching names with their query counts, most first, then by name. */
  readonly names: readonly { readonly name: string; readonly count: number }[];
  readonly longestBurst: Burst;
  readonly failures: DnsFailures;
  readonly ttl: TtlCompliance;
}

export interface WindowStatsOptions {
  /** Span of the longest-burst measure; default 1000 ms. */
  readonly burstSpanMs?: number;
  /** Grace for TTL compliance; default 1000 ms. */
  readonly ttlGraceMs?: number;
  /** This build's re-queries from findRequeries() over its whole stream, when already computed. */
  readonly requeries?: readonly Requery[];
}

/**
 * Statistics of one build's DNS queries that match `pattern` inside one
 * (pooled) window. TTL compliance looks at the build's whole stream, so a
 * re-query in the window is judged against an answer given before it started.
 */
export function windowStats(
  queries: readonly DnsQuery[],
  window: ResolvedWindow,
  pattern: DomainPattern,
  options: WindowStatsOptions = {},
): WindowStats {
  const inWindow = (t: number) => inSpans(t, window.spans);
  const matched = queries
    .filter((q) => inWindow(q.atMs) && pattern.matches(q.name))
    .sort((a, b) => a.atMs - b.atMs);
  const count = matched.length;
  const seconds = window.durationMs / 1000;
  const ci = poissonInterval(count, 0.95);
  const perDay = (events: number) => (seconds > 0 ? (events / seconds) * SECONDS_PER_DAY : Number.NaN);
  const requeries = options.requeries ?? findRequeries(queries, options.ttlGraceMs);
  return {
    build: window.build,
    window: window.window,
    domain: pattern.source,
    durationMs: window.durationMs,
    serviceAlive: window.serviceAlive,
    count,
    ratePerSecond: seconds > 0 ? count / seconds : Number.NaN,
    ratePerDay: perDay(count),
    ci95PerDay: { lower: perDay(ci.lower), upper: perDay(ci.upper) },
    ...nameCounts(matched),
    longestBurst: longestBurst(matched.map((q) => q.atMs), options.burstSpanMs),
    failures: failures(matched),
    ttl: ttlCompliance(requeries.filter((r) => inWindow(r.atMs) && pattern.matches(r.name))),
  };
}

function nameCounts(matched: readonly DnsQuery[]): Pick<WindowStats, 'distinctNames' | 'names'> {
  const counts = new Map<string, number>();
  for (const q of matched) {
    const name = normalizeName(q.name);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const names = [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return { distinctNames: names.length, names };
}

function failures(matched: readonly DnsQuery[]): DnsFailures {
  let servfail = 0;
  let nxdomain = 0;
  let refused = 0;
  let dropped = 0;
  for (const q of matched) {
    if (q.response === null) dropped++;
    else if (q.response.rcode === 'SERVFAIL') servfail++;
    else if (q.response.rcode === 'NXDOMAIN') nxdomain++;
    else if (q.response.rcode === 'REFUSED') refused++;
  }
  return { servfail, nxdomain, refused, dropped, total: servfail + nxdomain + refused + dropped };
}
