import type { Expectation } from './expectation.js';

/**
 * pass / fail: the 95% bound settled it. inconclusive: the data cannot tell
 * (observe longer). error: the question could not be asked (unknown names,
 * a window whose service was not proven alive, a malformed limit).
 */
export type VerdictStatus = 'pass' | 'fail' | 'inconclusive' | 'error';

export interface Verdict {
  readonly status: VerdictStatus;
  readonly expectation: Expectation;
  /**
   * The figures behind the verdict; which keys appear depends on the kind:
   * count, durationMs, ratePerDay, ci95LowerPerDay, ci95UpperPerDay,
   * decisionBoundPerDay, limitPerDay, requiredWindowS (rates);
   * count, durationMs, distinctNames, upperBoundPerDay (none, when it passed);
   * ttlChecked, ttlViolations (ttl_respected);
   * newCount, newDurationMs, oldCount, oldDurationMs, ratio, ratioLower,
   * ratioUpper, limitRatio, requiredWindowS (comparisons).
   * A `domain` count over a build with a sinkhole adds its split:
   * dnsCount, sniCount, hostCount (comparisons: newDnsCount, oldSniCount...).
   */
  readonly measured: Readonly<Record<string, number>>;
  /**
   * What a passing `none` proves about the rate, in words: "0 in 30.0 s:
   * below 8,628/day at 95%". Reporters show it beside the verdict.
   */
  readonly bound?: string;
  /** One line a QA engineer can paste into a release gate. */
  readonly message: string;
}
