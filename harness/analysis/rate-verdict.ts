import { countText, sourceFigures } from './count-text.js';
import type { RateExpectation } from './expectation.js';
import { formatCount, formatSeconds, formatValue } from './format-number.js';
import { poissonLower, poissonUpper } from './poisson-interval.js';
import { requiredWindowS } from './required-window.js';
import type { Verdict, VerdictStatus } from './verdict.js';
import { SECONDS_PER_DAY, type WindowStats } from './window-stats.js';

/*
 * Rate limits are one-sided questions, so each is decided by a one-sided
 * exact 95% Poisson bound (alpha = 0.05 on the deciding side):
 *   max_per_day L: pass if upper < L, fail if lower > L, else inconclusive;
 *   min_per_day L: pass if lower > L, fail if upper < L, else inconclusive.
 * Wrongly passing (or wrongly failing) therefore has probability <= 5% when
 * the true rate sits exactly at the limit, less elsewhere. Zero events in T
 * seconds bound the rate below 2.996 / T (e.g. 8,628/day for 30 s).
 * Inconclusive verdicts say how long a window would have decided at the
 * observed rate (at zero events for a zero count), rounded up to a second.
 */

const ALPHA = 0.05;

export function rateVerdict(expectation: RateExpectation, stats: WindowStats): Verdict {
  const atMost = 'maxPerDay' in expectation;
  const limitPerDay = atMost ? expectation.maxPerDay : expectation.minPerDay;
  const seconds = stats.durationMs / 1000;
  const rate = stats.count / seconds;
  const limit = limitPerDay / SECONDS_PER_DAY;
  const upperAt = (k: number, s: number) => poissonUpper(k, ALPHA) / s;
  const lowerAt = (k: number, s: number) => poissonLower(k, ALPHA) / s;
  const below = (k: number, s: number) => upperAt(k, s) < limit;
  const above = (k: number, s: number) => lowerAt(k, s) > limit;

  const upper = upperAt(stats.count, seconds) * SECONDS_PER_DAY;
  const lower = lowerAt(stats.count, seconds) * SECONDS_PER_DAY;
  let status: VerdictStatus;
  let reason: string;
  let requiredS: number | undefined;
  if (atMost ? below(stats.count, seconds) : above(stats.count, seconds)) {
    status = 'pass';
    reason = atMost ? `one-sided 95% upper bound ${perDay(upper)} < ${perDay(limitPerDay)}`
      : `one-sided 95% lower bound ${perDay(lower)} > ${perDay(limitPerDay)}`;
  } else if (atMost ? above(stats.count, seconds) : below(stats.count, seconds)) {
    status = 'fail';
    reason = atMost ? `one-sided 95% lower bound ${perDay(lower)} > ${perDay(limitPerDay)}`
      : `one-sided 95% upper bound ${perDay(upper)} < ${perDay(limitPerDay)}`;
  } else {
    status = 'inconclusive';
    requiredS = requiredWindowS((s) => below(rate * s, s) || above(rate * s, s), seconds);
    reason = `95% bounds ${perDay(lower)}-${perDay(upper)} straddle ${perDay(limitPerDay)}`;
  }

  const measured: Record<string, number> = {
    count: stats.count,
    ...sourceFigures(stats),
    durationMs: stats.durationMs,
    ratePerDay: stats.ratePerDay,
    ci95LowerPerDay: stats.ci95PerDay.lower,
    ci95UpperPerDay: stats.ci95PerDay.upper,
    // The bound that passes this expectation, or the one that failed it.
    decisionBoundPerDay: (status === 'fail') === atMost ? lower : upper,
    limitPerDay,
  };
  if (requiredS !== undefined) measured.requiredWindowS = requiredS;

  const facts = `${countText(stats)} in ${formatSeconds(stats.durationMs)} = `
    + `${perDay(stats.ratePerDay)} (95% CI ${formatValue(stats.ci95PerDay.lower)}-${perDay(stats.ci95PerDay.upper)})`;
  const expected = `expected at ${atMost ? 'most' : 'least'} ${perDay(limitPerDay)}`;
  const outcome = status !== 'inconclusive' ? `${status} (${reason})`
    : requiredS !== undefined ? `inconclusive: observe for at least ${formatCount(requiredS)} s (${reason})`
    : `inconclusive: the observed rate equals the limit, no window length would decide (${reason})`;
  return {
    status,
    expectation,
    measured,
    message: `${stats.build}/${stats.window} ${stats.domain}: ${facts}; ${expected}: ${outcome}`,
  };
}

function perDay(v: number): string {
  return `${formatValue(v)}/day`;
}
