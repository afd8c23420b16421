/*
 * Typed entries of a scenario's `expect:` list. The scenario loader validates
 * the YAML and maps its snake_case keys to these camelCase ones; analysis
 * trusts the shape (limits, patterns and addresses are still checked into
 * `error` verdicts, for callers that skip the loader).
 */

/**
 * Which sinkhole records count (YAML `egress: { address, port, protocol, sni,
 * http_host }`): every given key must match. Non-DNS egress only; DNS is
 * counted by `domain`.
 */
export interface EgressFilter {
  /** The original destination: an address (`203.0.113.10`) or a CIDR block (`203.0.113.0/24`, `2001:db8::/32`). */
  readonly address?: string;
  readonly port?: number;
  readonly protocol?: 'tcp' | 'udp';
  /** A DomainPattern the TLS server name must match. */
  readonly sni?: string;
  /** A DomainPattern the HTTP/1.x Host header (its port left off) must match. */
  readonly httpHost?: string;
}

/**
 * What an expectation counts. `domain`: every contact by name, a DNS query
 * for a matching name and a sinkhole record whose TLS SNI or HTTP Host
 * matches alike, one contact each. `egress`: sinkhole records the filter
 * matches, one contact each.
 */
export type Traffic =
  /** A DomainPattern source: `name.example`, `*.name.example` or `*`. */
  | { readonly domain: string; readonly egress?: never }
  | { readonly egress: EgressFilter; readonly domain?: never };

/** Which build, which observation window. */
export interface WindowRef {
  readonly build: string;
  readonly window: string;
}

/** Which build, which observation window, which traffic. */
export type ExpectationTarget = WindowRef & Traffic;

/** YAML `max_per_day: N`: the true rate is at most N contacts a day. */
export type MaxPerDayExpectation = ExpectationTarget & { readonly maxPerDay: number };

/** YAML `min_per_day: N`: the true rate is at least N a day (positive controls, liveness). */
export type MinPerDayExpectation = ExpectationTarget & { readonly minPerDay: number };

/** YAML `none: true`: not one matching contact in this window (a fact about the window, not a rate). */
export type NoneExpectation = ExpectationTarget & { readonly none: true };

/** YAML `ttl_respected: true`: no matching name re-queried before its previous answer's TTL ran out (DNS only). */
export interface TtlRespectedExpectation extends WindowRef {
  readonly domain: string;
  readonly egress?: never;
  readonly ttlRespected: true;
}

/** YAML `compare: { domain | egress, window, old?, new? }`; builds default to `old` and `new`. */
export type CompareTarget = Traffic & {
  readonly window: string;
  readonly old?: string;
  readonly new?: string;
};

/** YAML `new_at_most: 0.2`: new's rate is at most 0.2 x old's rate. */
export interface NewAtMostExpectation {
  readonly compare: CompareTarget;
  readonly newAtMost: number;
}

/** YAML `at_least_times_fewer: 10`: new's rate is at most old's / 10. */
export interface AtLeastTimesFewerExpectation {
  readonly compare: CompareTarget;
  readonly atLeastTimesFewer: number;
}

export type RateExpectation = MaxPerDayExpectation | MinPerDayExpectation;
export type CompareExpectation = NewAtMostExpectation | AtLeastTimesFewerExpectation;
export type Expectation =
  | MaxPerDayExpectation
  | MinPerDayExpectation
  | NoneExpectation
  | TtlRespectedExpectation
  | CompareExpectation;

export function isCompareExpectation(e: Expectation): e is CompareExpectation {
  return 'compare' in e;
}

/** The traffic an expectation counts. */
export function trafficOf(e: Expectation): Traffic {
  return isCompareExpectation(e) ? e.compare : e;
}

/** `*.safethings.avira.com`, or `egress tcp 203.0.113.0/24 port 443 sni *.example.com`. */
export function describeTraffic(t: Traffic): string {
  if (t.egress === undefined) return t.domain;
  const f = t.egress;
  return [
    'egress',
    f.protocol,
    f.address,
    f.port === undefined ? undefined : `port ${f.port}`,
    f.sni === undefined ? undefined : `sni ${f.sni}`,
    f.httpHost === undefined ? undefined : `host ${f.httpHost}`,
  ].filter((part) => part !== undefined).join(' ');
}

/** One line naming the expectation, for messages and report rows. */
export function describeExpectation(e: Expectation): string {
  if (isCompareExpectation(e)) {
    const builds = `${e.compare.new ?? 'new'} vs ${e.compare.old ?? 'old'}`;
    const what = 'newAtMost' in e ? `new_at_most ${e.newAtMost}` : `at_least_times_fewer ${e.atLeastTimesFewer}`;
    return `${builds} ${e.compare.window} ${describeTraffic(e.compare)}: ${what}`;
  }
  const what =
    'maxPerDay' in e ? `max_per_day ${e.maxPerDay}`
    : 'minPerDay' in e ? `min_per_day ${e.minPerDay}`
    : 'none' in e ? 'none'
    : 'ttl_respected';
  return `${e.build}/${e.window} ${describeTraffic(e)}: ${what}`;
}
