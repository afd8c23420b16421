/*
 * Typed entries of a scenario's `expect:` list. The scenario loader validates
 * the YAML and maps its snake_case keys to these camelCase ones; analysis
 * trusts the shape (limits are still range-checked into `error` verdicts).
 */

/** Which build, which observation window, which domain pattern. */
export interface ExpectationTarget {
  readonly build: string;
  readonly window: string;
  /** A DomainPattern source: `name.example`, `*.name.example` or `*`. */
  readonly domain: string;
}

/** YAML `max_per_day: N`: the true rate is at most N queries a day. */
export interface MaxPerDayExpectation extends ExpectationTarget {
  readonly maxPerDay: number;
}

/** YAML `min_per_day: N`: the true rate is at least N a day (positive controls, liveness). */
export interface MinPerDayExpectation extends ExpectationTarget {
  readonly minPerDay: number;
}

/** YAML `none: true`: not one matching query in this window (a fact about the window, not a rate). */
export interface NoneExpectation extends ExpectationTarget {
  readonly none: true;
}

/** YAML `ttl_respected: true`: no matching name re-queried before its previous answer's TTL ran out. */
export interface TtlRespectedExpectation extends ExpectationTarget {
  readonly ttlRespected: true;
}

/** YAML `compare: { domain, window, old?, new? }`; builds default to `old` and `new`. */
export interface CompareTarget {
  readonly domain: string;
  readonly window: string;
  readonly old?: string;
  readonly new?: string;
}

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

/** One line naming the expectation, for messages and report rows. */
export function describeExpectation(e: Expectation): string {
  if (isCompareExpectation(e)) {
    const { domain, window } = e.compare;
    const builds = `${e.compare.new ?? 'new'} vs ${e.compare.old ?? 'old'}`;
    const what = 'newAtMost' in e ? `new_at_most ${e.newAtMost}` : `at_least_times_fewer ${e.atLeastTimesFewer}`;
    return `${builds} ${window} ${domain}: ${what}`;
  }
  const what =
    'maxPerDay' in e ? `max_per_day ${e.maxPerDay}`
    : 'minPerDay' in e ? `min_per_day ${e.minPerDay}`
    : 'none' in e ? 'none'
    : 'ttl_respected';
  return `${e.build}/${e.window} ${e.domain}: ${what}`;
}
