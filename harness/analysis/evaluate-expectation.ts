import type { AnalysisContext } from './analysis-context.js';
import { compareVerdict } from './compare-verdict.js';
import { InvalidDomainPatternError } from '../util/domain-pattern.js';
import { InvalidEgressFilterError } from './egress-matcher.js';
import { describeExpectation, isCompareExpectation, type Expectation } from './expectation.js';
import { noneVerdict } from './none-verdict.js';
import { rateVerdict } from './rate-verdict.js';
import { TrafficTarget } from './traffic-target.js';
import { ttlVerdict } from './ttl-verdict.js';
import type { Verdict } from './verdict.js';
import type { ResolvedWindow } from './window-catalog.js';

/*
 * One expectation -> one verdict. Before any statistics, the question itself
 * must make sense, else the verdict is `error` (the runner exits 2):
 * the domain pattern or egress filter parses, the build and window exist (the message lists
 * the known ones), the limit is a positive finite number, the window has a
 * duration, and the lab was shown live in it (window-liveness.ts). A window
 * whose lab was not shown live gives `error` for every expectation on it: an
 * emulation that silently failed must never look like a fixed build.
 */

class Refusal {
  constructor(readonly message: string) {}
}

export function evaluateExpectation(expectation: Expectation, context: AnalysisContext): Verdict {
  try {
    return judge(expectation, context);
  } catch (e) {
    if (e instanceof Refusal) return errorVerdict(expectation, e.message);
    if (e instanceof InvalidDomainPatternError || e instanceof InvalidEgressFilterError) return errorVerdict(expectation, e.message);
    throw e;
  }
}

function judge(e: Expectation, context: AnalysisContext): Verdict {
  if (isCompareExpectation(e)) {
    const { window } = e.compare;
    const limit = 'newAtMost' in e ? e.newAtMost : e.atLeastTimesFewer;
    requirePositive(limit, 'newAtMost' in e ? 'new_at_most' : 'at_least_times_fewer');
    const target = TrafficTarget.parse(e.compare);
    const newWindow = usableWindow(context, e.compare.new ?? 'new', window);
    const oldWindow = usableWindow(context, e.compare.old ?? 'old', window);
    return compareVerdict(e, context.stats(newWindow, target), context.stats(oldWindow, target));
  }
  if ('maxPerDay' in e) requirePositive(e.maxPerDay, 'max_per_day', ' (for zero, use none: true)');
  if ('minPerDay' in e) requirePositive(e.minPerDay, 'min_per_day');
  const target = TrafficTarget.parse(e);
  const stats = context.stats(usableWindow(context, e.build, e.window), target);
  if ('maxPerDay' in e || 'minPerDay' in e) return rateVerdict(e, stats);
  if ('none' in e) return noneVerdict(e, stats);
  return ttlVerdict(e, stats, context.options.ttlGraceMs);
}

function usableWindow(context: AnalysisContext, build: string, window: string): ResolvedWindow {
  const found = context.catalog.lookup(build, window);
  if (!found.ok) throw new Refusal(found.message);
  if (found.window.durationMs <= 0) throw new Refusal(`window ${build}/${window} has no duration`);
  if (!found.window.labLive) {
    const why = found.window.notLiveBecause === undefined ? '' : ` (${found.window.notLiveBecause})`;
    throw new Refusal(`liveness: the lab was not shown live in ${build}/${window}${why}, so its contacts (or their absence) prove nothing`);
  }
  return found.window;
}

function requirePositive(value: number, key: string, hint = ''): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new Refusal(`${key} must be a positive number, got ${String(value)}${hint}`);
  }
}

function errorVerdict(expectation: Expectation, reason: string): Verdict {
  return { status: 'error', expectation, measured: {}, message: `${describeExpectation(expectation)}: error: ${reason}` };
}
