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
   * ttlChecked, ttlViolations (ttl_respected);
   * newCount, newDurationMs, oldCount, oldDurationMs, ratio, ratioLower,
   * ratioUpper, limitRatio, requiredWindowS (comparisons).
   */
  readonly measured: Readonly<Record<string, number>>;
  /** One line a QA engineer can paste into a release gate. */
  readonly message: string;
}
