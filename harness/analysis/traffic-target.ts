import type { DnsQuery, EgressEvent } from './analysis-input.js';
import { DomainPattern, normalizeName } from '../util/domain-pattern.js';
import { egressDestination } from './egress-stats.js';
import { EgressMatcher, httpHostName } from './egress-matcher.js';
import { describeTraffic, type Traffic } from './expectation.js';

/** How a contact reached the lab: a DNS query, a TLS ClientHello's SNI, an HTTP Host, or egress by destination. */
export type ContactSource = 'dns' | 'sni' | 'host' | 'egress';

/** One thing a build sent that an expectation counts. */
export interface Contact {
  readonly atMs: number;
  readonly via: ContactSource;
  /** The name asked for or connected to; for `egress` contacts, their destination (`tcp 203.0.113.10:443`). */
  readonly name: string;
}

/**
 * An expectation's Traffic compiled once. A `domain` target counts contacts
 * by name: each DNS query for a matching name, and each sinkhole record
 * whose TLS SNI (or, failing that, HTTP Host) matches, one contact each, so
 * a firmware that resolved a name once and then connects to it a thousand
 * times shows a thousand and one. An `egress` target counts sinkhole
 * records its filter matches.
 */
export class TrafficTarget {
  private constructor(
    /** describeTraffic(): what messages and tables call it. */
    readonly label: string,
    /** The name pattern of a `domain` target (DNS queries, TTLs, the timeline); undefined for `egress`. */
    readonly pattern: DomainPattern | undefined,
    private readonly egress: EgressMatcher | undefined,
  ) {}

  /** Throws InvalidDomainPatternError or InvalidEgressFilterError. */
  static parse(traffic: Traffic): TrafficTarget {
    if (traffic.egress === undefined) return new TrafficTarget(traffic.domain, DomainPattern.parse(traffic.domain), undefined);
    return new TrafficTarget(describeTraffic(traffic), undefined, EgressMatcher.parse(traffic.egress));
  }

  /** Whether a DNS query counts (never, for an `egress` target). */
  countsQuery(q: DnsQuery): boolean {
    return this.pattern !== undefined && this.pattern.matches(q.name);
  }

  /** The contact a sinkhole record makes, if it counts. */
  contactOf(e: EgressEvent): Contact | undefined {
    if (this.egress) return this.egress.matches(e) ? { atMs: e.atMs, via: 'egress', name: egressDestination(e) } : undefined;
    const pattern = this.pattern!;
    if (e.sni !== undefined && pattern.matches(e.sni)) return { atMs: e.atMs, via: 'sni', name: normalizeName(e.sni) };
    const host = e.httpHost === undefined ? undefined : httpHostName(e.httpHost);
    if (host !== undefined && pattern.matches(host)) return { atMs: e.atMs, via: 'host', name: normalizeName(host) };
    return undefined;
  }
}
