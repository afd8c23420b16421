import { countText, sourceFigures } from './count-text.js';
import type { NoneExpectation } from './expectation.js';
import { formatCount, formatSeconds, formatValue, plural } from './format-number.js';
import { poissonUpper } from './poisson-interval.js';
import type { Verdict } from './verdict.js';
import { SECONDS_PER_DAY, type WindowStats } from './window-stats.js';

/** Names listed in a failing message; the report has them all. */
const NAMES_SHOWN = 3;

/**
 * `none: true` is a statement about this window, not about a rate: it passes
 * on zero matching contacts however short the window (a rate claim needs
 * `max_per_day`, whose bound accounts for the window length). So that a
 * reader knows what a pass proves, it carries the rate bound its window
 * gives: zero in T seconds is below 2.996 / T at 95% (one-sided), e.g.
 * "0 in 30.0 s: below 8,628/day at 95%". The liveness guard
 * (evaluate-expectation) is what keeps an emulation that never ran from
 * passing here.
 */
export function noneVerdict(expectation: NoneExpectation, stats: WindowStats): Verdict {
  const status = stats.count === 0 ? 'pass' : 'fail';
  const shown = stats.names.slice(0, NAMES_SHOWN).map((n) => `${n.name} x${formatCount(n.count)}`);
  const more = stats.distinctNames - shown.length;
  const names = stats.count === 0 ? ''
    : ` (${shown.join(', ')}${more > 0 ? `, and ${plural(more, 'other name', 'other names')}` : ''})`;
  const upperBoundPerDay = (poissonUpper(0) / (stats.durationMs / 1000)) * SECONDS_PER_DAY;
  const bound = status === 'pass'
    ? `0 in ${formatSeconds(stats.durationMs)}: below ${formatValue(upperBoundPerDay)}/day at 95%` : undefined;
  return {
    status,
    expectation,
    measured: {
      count: stats.count, ...sourceFigures(stats), durationMs: stats.durationMs, distinctNames: stats.distinctNames,
      ...(bound !== undefined && { upperBoundPerDay }),
    },
    message: `${stats.build}/${stats.window} ${stats.domain}: ${countText(stats)} `
      + `in ${formatSeconds(stats.durationMs)}${names}; expected none: ${status}${bound === undefined ? '' : ` (${bound})`}`,
    ...(bound !== undefined && { bound }),
  };
}
