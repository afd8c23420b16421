import type { TtlRespectedExpectation } from './expectation.js';
import { formatCount, formatSeconds, plural } from './format-number.js';
import type { Verdict } from './verdict.js';
import type { WindowStats } from './window-stats.js';

const NAMES_SHOWN = 3;

/**
 * `ttl_respected: true` passes when no matching re-query in the window came
 * before the previous answer's TTL (minus the grace) ran out; see
 * ttl-compliance.ts for the exact rule. A window with no re-queries passes:
 * a client that waits out a long TTL produces exactly that.
 */
export function ttlVerdict(expectation: TtlRespectedExpectation, stats: WindowStats, graceMs: number): Verdict {
  const { checked, violations, byName } = stats.ttl;
  const status = violations === 0 ? 'pass' : 'fail';
  const shown = byName.slice(0, NAMES_SHOWN).map((n) => `${n.name} x${formatCount(n.violations)}`);
  const more = byName.length - shown.length;
  const grace = `${formatSeconds(graceMs)} grace`;
  const facts = violations === 0
    ? `${plural(checked, 're-query', 're-queries')} checked, none before the previous answer's TTL ran out (${grace})`
    : `${formatCount(violations)} of ${plural(checked, 're-query', 're-queries')} came before the previous answer's TTL `
      + `ran out (${grace}): ${shown.join(', ')}${more > 0 ? `, and ${plural(more, 'other name', 'other names')}` : ''}`;
  return {
    status,
    expectation,
    measured: {
      count: stats.count, durationMs: stats.durationMs, ttlChecked: checked, ttlViolations: violations,
      ttlViolatingNames: byName.length,
    },
    message: `${stats.build}/${stats.window} ${stats.domain}: ${facts}; expected TTLs respected: ${status}`,
  };
}
