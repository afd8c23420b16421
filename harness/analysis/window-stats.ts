import type { DnsQuery, EgressEvent } from './analysis-input.js';
import { normalizeName } from '../util/domain-pattern.js';
import { longestBurst, type Burst } from './longest-burst.js';
import { poissonInterval } from './poisson-interval.js';
import { tally } from './tally.js';
import type { Contact, TrafficTarget } from './traffic-target.js';
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

/** A `domain` target's contacts by how they reached the lab (see TrafficTarget). */
export interface ContactSources {
  readonly dns: number;
  readonly sni: number;
  readonly host: number;
}

export interface WindowStats {
  readonly build: string;
  readonly window: string;
  /** What was counted, as the scenario wrote it: the domain pattern, or `egress ...` (describeTraffic). */
  readonly domain: string;
  /** Which kind of Traffic was counted. */
  readonly target: 'domain' | 'egress';
  readonly durationMs: number;
  readonly labLive: boolean;
  /** Contacts: DNS queries, plus for a `domain` target the sinkhole records naming it. */
  readonly count: number;
  /**
   * For a `domain` target whose build had a sinkhole: `count` split by
   * source. Absent otherwise (DNS only: SNI and Host were not looked at).
   */
  readonly sources?: ContactSources;
  /** NaN when the window has no duration. */
  readonly ratePerSecond: number;
  readonly ratePerDay: number;
  /** Two-sided exact (Garwood) 95% interval, per day; descriptive, verdicts use one-sided bounds. */
  readonly ci95PerDay: { readonly lower: number; readonly upper: number };
  readonly distinctNames: number;
  /** Matching names (for `egress` targets, destinations) with their contact counts, most first, then by name. */
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
  /** This build's sinkhole records; absent when it had no sinkhole. */
  readonly egress?: readonly EgressEvent[];
}

/**
 * Statistics of one build's contacts that `target` counts inside one
 * (pooled) window. TTL compliance looks at the build's whole DNS stream, so
 * a re-query in the window is judged against an answer given before it
 * started; failures and TTLs are about DNS queries only.
 */
export function windowStats(
  queries: readonly DnsQuery[],
  window: ResolvedWindow,
  target: TrafficTarget,
  options: WindowStatsOptions = {},
): WindowStats {
  const inWindow = (t: number) => inSpans(t, window.spans);
  const matched = queries.filter((q) => inWindow(q.atMs) && target.countsQuery(q));
  const contacts: Contact[] = matched.map((q) => ({ atMs: q.atMs, via: 'dns', name: normalizeName(q.name) }));
  for (const e of options.egress ?? []) {
    const c = inWindow(e.atMs) ? target.contactOf(e) : undefined;
    if (c) contacts.push(c);
  }
  contacts.sort((a, b) => a.atMs - b.atMs);
  const count = contacts.length;
  const seconds = window.durationMs / 1000;
  const ci = poissonInterval(count, 0.95);
  const perDay = (events: number) => (seconds > 0 ? (events / seconds) * SECONDS_PER_DAY : Number.NaN);
  const pattern = target.pattern;
  const requeries = pattern === undefined ? [] : options.requeries ?? findRequeries(queries, options.ttlGraceMs);
  return {
    build: window.build,
    window: window.window,
    domain: target.label,
    target: pattern === undefined ? 'egress' : 'domain',
    durationMs: window.durationMs,
    labLive: window.labLive,
    count,
    ratePerSecond: seconds > 0 ? count / seconds : Number.NaN,
    ratePerDay: perDay(count),
    ci95PerDay: { lower: perDay(ci.lower), upper: perDay(ci.upper) },
    ...(pattern !== undefined && options.egress !== undefined && { sources: sources(contacts) }),
    ...nameCounts(contacts),
    longestBurst: longestBurst(contacts.map((c) => c.atMs), options.burstSpanMs),
    failures: failures(matched),
    ttl: ttlCompliance(requeries.filter((r) => inWindow(r.atMs) && pattern!.matches(r.name))),
  };
}

function sources(contacts: readonly Contact[]): ContactSources {
  const n = (via: Contact['via']) => contacts.filter((c) => c.via === via).length;
  return { dns: n('dns'), sni: n('sni'), host: n('host') };
}

function nameCounts(contacts: readonly Contact[]): Pick<WindowStats, 'distinctNames' | 'names'> {
  const names = tally(contacts.map((c) => c.name)).map(({ key, count }) => ({ name: key, count }));
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
