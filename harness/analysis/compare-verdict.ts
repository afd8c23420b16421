import { countText, sourceFigures } from './count-text.js';
import type { CompareExpectation } from './expectation.js';
import { formatCount, formatSeconds, formatValue } from './format-number.js';
import { rateRatioBounds } from './rate-ratio-bounds.js';
import { requiredWindowS } from './required-window.js';
import type { Verdict, VerdictStatus } from './verdict.js';
import type { WindowStats } from './window-stats.js';

/*
 * Old-vs-new comparisons are decided by the exact conditional binomial test
 * (rate-ratio-bounds.ts), one-sided at 5%: with rho = rate_new / rate_old and
 * the allowed fraction f (new_at_most f, or at_least_times_fewer m: f = 1/m),
 *   pass if the 95% upper bound on rho < f, fail if the 95% lower bound > f.
 * It uses both counts at once, so it is sharper than comparing the two
 * rates' separate bounds: new 0 vs old 24 in 30 s each gives rho < 0.133
 * (pass for f = 0.2), new 10 vs old 12 gives rho > 0.372 (fail).
 * An inconclusive verdict says how long both windows would need to be, at the
 * observed rates, for the test to decide.
 */

const ALPHA = 0.05;

export function compareVerdict(expectation: CompareExpectation, newStats: WindowStats, oldStats: WindowStats): Verdict {
  const fraction = 'newAtMost' in expectation ? expectation.newAtMost : 1 / expectation.atLeastTimesFewer;
  const tNew = newStats.durationMs / 1000;
  const tOld = oldStats.durationMs / 1000;
  const boundsAt = (scale: number) => rateRatioBounds(newStats.count * scale, tNew, oldStats.count * scale, tOld, ALPHA);
  const bounds = boundsAt(1);

  let status: VerdictStatus;
  let reason: string;
  let requiredS: number | undefined;
  if (bounds.upper < fraction) {
    status = 'pass';
    reason = `one-sided 95% upper bound ${formatValue(bounds.upper, 3)} < ${formatValue(fraction, 3)}`;
  } else if (bounds.lower > fraction) {
    status = 'fail';
    reason = `one-sided 95% lower bound ${formatValue(bounds.lower, 3)} > ${formatValue(fraction, 3)}`;
  } else {
    status = 'inconclusive';
    const longer = Math.max(tNew, tOld);
    requiredS = newStats.count + oldStats.count === 0 ? undefined : requiredWindowS((s) => {
      const b = boundsAt(s / longer);
      return b.upper < fraction || b.lower > fraction;
    }, longer);
    reason = `95% bounds ${formatValue(bounds.lower, 3)}-${formatValue(bounds.upper, 3)} include ${formatValue(fraction, 3)}`;
  }

  const measured: Record<string, number> = {
    newCount: newStats.count,
    ...sourceFigures(newStats, 'new'),
    newDurationMs: newStats.durationMs,
    oldCount: oldStats.count,
    ...sourceFigures(oldStats, 'old'),
    oldDurationMs: oldStats.durationMs,
    ratio: bounds.ratio,
    ratioLower: bounds.lower,
    ratioUpper: bounds.upper,
    limitRatio: fraction,
  };
  if (requiredS !== undefined) measured.requiredWindowS = requiredS;

  const side = (s: WindowStats) =>
    `${s.build} ${countText(s)} in ${formatSeconds(s.durationMs)} (${formatValue(s.ratePerDay)}/day)`;
  const expected = 'newAtMost' in expectation
    ? `expected ${newStats.build} at most ${formatValue(fraction, 3)} x ${oldStats.build}`
    : `expected ${newStats.build} at least ${formatValue(expectation.atLeastTimesFewer, 3)}x fewer than ${oldStats.build}`;
  const outcome = status !== 'inconclusive' ? `${status} (${reason})`
    : requiredS !== undefined ? `inconclusive: observe both for at least ${formatCount(requiredS)} s (${reason})`
    : newStats.count + oldStats.count === 0
      ? `inconclusive: neither build made a matching contact, a ratio needs ${oldStats.build} to show some`
      : `inconclusive: the observed ratio equals the limit, no window length would decide (${reason})`;
  return {
    status,
    expectation,
    measured,
    message: `${newStats.build} vs ${oldStats.build} ${newStats.window} ${newStats.domain}: `
      + `${side(newStats)}, ${side(oldStats)}; ${newStats.build}/${oldStats.build} = ${formatValue(bounds.ratio, 3)}; `
      + `${expected}: ${outcome}`,
  };
}
