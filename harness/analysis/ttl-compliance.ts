import type { DnsQuery } from './analysis-input.js';
import { normalizeName } from '../util/domain-pattern.js';

/*
 * TTL compliance (RFC 1035 3.2.1, RFC 2181 8): a resolver may keep an answer
 * for its TTL, so a client that caches has no reason to ask again before it
 * runs out. A re-query of the same name and type earlier than
 *   previous answer time + TTL - grace
 * is a violation. "Previous answer" is the latest earlier query for that name
 * and type whose response carried a TTL; queries answered with no records
 * (NXDOMAIN, NODATA, SERVFAIL) or dropped do not count as answers (negative
 * caching needs the SOA, which the record does not carry), so re-asking after
 * them is never a violation. Name and type together key the cache: an AAAA
 * query right after the A answer is legitimate. The default grace of 1 s
 * absorbs recorder/guest clock jitter and the answer's own latency; the
 * previous answer's time is taken as its query's `atMs`.
 */

export const DEFAULT_TTL_GRACE_MS = 1000;

export interface Requery {
  readonly atMs: number;
  readonly name: string;
  readonly type: string;
  readonly previousAtMs: number;
  readonly ttlS: number;
  /** How long before the TTL (minus grace) ran out the re-query came; <= 0 when compliant. */
  readonly earlyByMs: number;
  readonly violation: boolean;
}

/** Every re-query after a TTL-bearing answer in one build's stream, in time order. */
export function findRequeries(queries: readonly DnsQuery[], graceMs = DEFAULT_TTL_GRACE_MS): Requery[] {
  const sorted = [...queries].sort((a, b) => a.atMs - b.atMs);
  const lastAnswer = new Map<string, { atMs: number; ttlS: number }>();
  const out: Requery[] = [];
  for (const q of sorted) {
    const name = normalizeName(q.name);
    const key = `${name}\u0000${q.type}`;
    const prev = lastAnswer.get(key);
    if (prev) {
      const earlyByMs = prev.atMs + prev.ttlS * 1000 - graceMs - q.atMs;
      out.push({
        atMs: q.atMs, name, type: q.type, previousAtMs: prev.atMs, ttlS: prev.ttlS,
        earlyByMs, violation: earlyByMs > 0,
      });
    }
    const ttl = q.response?.ttl;
    if (ttl !== undefined) lastAnswer.set(key, { atMs: q.atMs, ttlS: ttl });
  }
  return out;
}

export interface TtlCompliance {
  /** Re-queries that had a TTL to respect. */
  readonly checked: number;
  readonly violations: number;
  /** Violations per name, most first, then by name. */
  readonly byName: readonly { readonly name: string; readonly violations: number }[];
}

/** Sums re-queries (already filtered to a window and domain) into per-name counts. */
export function ttlCompliance(requeries: readonly Requery[]): TtlCompliance {
  const perName = new Map<string, number>();
  let violations = 0;
  for (const r of requeries) {
    if (!r.violation) continue;
    violations++;
    perName.set(r.name, (perName.get(r.name) ?? 0) + 1);
  }
  const byName = [...perName]
    .map(([name, n]) => ({ name, violations: n }))
    .sort((a, b) => b.violations - a.violations || a.name.localeCompare(b.name));
  return { checked: requeries.length, violations, byName };
}
