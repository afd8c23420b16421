import type { NoneExpectation } from './expectation.js';
import { formatCount, formatSeconds, plural } from './format-number.js';
import type { Verdict } from './verdict.js';
import type { WindowStats } from './window-stats.js';

/** Names listed in a failing message; the report has them all. */
const NAMES_SHOWN = 3;

/**
 * `none: true` is a statement about this window, not about a rate: it passes
 * on zero matching queries however short the window (a rate claim needs
 * `max_per_day`, whose bound accounts for the window length). The liveness
 * guard (evaluate-expectation) is what keeps an emulation that never ran
 * from passing here.
 */
export function noneVerdict(expectation: NoneExpectation, stats: WindowStats): Verdict {
  const status = stats.count === 0 ? 'pass' : 'fail';
  const shown = stats.names.slice(0, NAMES_SHOWN).map((n) => `${n.name} x${formatCount(n.count)}`);
  const more = stats.distinctNames - shown.length;
  const names = stats.count === 0 ? ''
    : ` (${shown.join(', ')}${more > 0 ? `, and ${plural(more, 'other name', 'other names')}` : ''})`;
  return {
    status,
    expectation,
    measured: { count: stats.count, durationMs: stats.durationMs, distinctNames: stats.distinctNames },
    message: `${stats.build}/${stats.window} ${stats.domain}: ${plural(stats.count, 'query', 'queries')} `
      + `in ${formatSeconds(stats.durationMs)}${names}; expected none: ${status}`,
  };
}
