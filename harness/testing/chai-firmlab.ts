import { formatCount, formatSeconds, type WindowStats } from '../analysis/index.js';
import { ChaiFirmlabUsageError, Observation } from './observation.js';

/*
 * chai.use(firmlab): assertions over recorded DNS queries, decided by the
 * same analysis code as a scenario's `expect:` list.
 *
 *   expect(records).to.have.queried('*.safethings.avira.com')        at least one
 *   expect(records).to.not.have.queried('*.safethings.avira.com')    none
 *   expect(obs).to.have.queries(p).at.most(0).per.day                 none in the window (`none: true`)
 *   expect(obs).to.have.queries(p).at.most(100).per.day               `max_per_day: 100`
 *   expect(obs).to.have.queried(p).at.least(20000).per.day            `min_per_day: 20000`
 *   expect(records).to.have.queries(p).at.most(5).times               a plain count
 *   expect(obs).to.have.queried(p).with.ttl.respected                 `ttl_respected: true`
 *
 * `queried(p)` asserts at once (chai has no end-of-chain hook), so a bound
 * that zero queries should satisfy starts with `queries(p)`, which asserts
 * nothing by itself. Rates need `{ records, window: { startMs, endMs } }`.
 * Inconclusive and error verdicts fail the assertion with analysis' message
 * ("inconclusive: observe for at least N s"). A negated rate bound is refused:
 * `not.at.most(n)` would pass on "inconclusive" too; write `at.least(n)`.
 */

const PATTERN = 'firmlab.pattern';
const BOUND = 'firmlab.bound';
const TTL = 'firmlab.ttl';
const NAMES_SHOWN = 3;

interface Bound {
  readonly side: 'most' | 'least';
  readonly limit: number;
}

declare global {
  // chai's typings declare `Chai` as a global namespace; plugins extend it.
  namespace Chai {
    interface Assertion {
      /** At least one query matching the pattern (`*.example.com`, `name.example`, `*`); negated: none. */
      queried(pattern: string): Assertion;
      /** Starts a bound on queries matching the pattern without asserting: `.at.most(n).per.day`, `.times`. */
      queries(pattern: string): Assertion;
      /** Language chain for `.per.day`. */
      per: Assertion;
      /** Ends a rate bound: one-sided 95% Poisson bound against the limit, per day. */
      day: Assertion;
      /** Ends a plain count bound. */
      times: Assertion;
      /** Chain for `.ttl.respected`. */
      ttl: Assertion;
      /** No matching name re-queried before its previous answer's TTL ran out (1 s grace). */
      respected: Assertion;
    }
  }
}

type Ctx = Chai.AssertionStatic;

export const firmlab: Chai.ChaiPlugin = (chai, utils) => {
  const { Assertion, AssertionError } = chai;
  const flag = (ctx: object, key: string, value?: unknown): unknown =>
    value === undefined ? utils.flag(ctx, key) : utils.flag(ctx, key, value);
  const negated = (ctx: object) => Boolean(utils.flag(ctx, 'negate'));
  const fail = (ctx: object, message: string): never => {
    const custom = utils.flag(ctx, 'message') as string | undefined;
    throw new AssertionError(custom ? `${custom}: ${message}` : message, {}, utils.flag(ctx, 'ssfi') as Function);
  };
  const subject = (ctx: Ctx) => Observation.from(utils.flag(ctx, 'object'));
  const patternOf = (ctx: object, ending: string): string => {
    const p = flag(ctx, PATTERN) as string | undefined;
    if (p === undefined) throw new ChaiFirmlabUsageError(`.${ending} needs .queried(pattern) or .queries(pattern) before it`);
    return p;
  };
  const boundOf = (ctx: object, ending: string): Bound => {
    const b = flag(ctx, BOUND) as Bound | undefined;
    if (b === undefined) throw new ChaiFirmlabUsageError(`.${ending} needs .at.most(n) or .at.least(n) before it`);
    return b;
  };
  const statsOf = (obs: Observation, pattern: string): WindowStats => {
    try {
      return obs.stats(pattern);
    } catch (e) {
      throw new ChaiFirmlabUsageError(e instanceof Error ? e.message : String(e));
    }
  };
  /** The liveness refusal analysis gives, when the observation says the lab was not shown live. */
  const livenessRefusal = (obs: Observation, pattern: string): string | undefined =>
    obs.labLive ? undefined : obs.judge({ none: true }, pattern).message;

  Assertion.addMethod('queried', function (this: Ctx, pattern: string) {
    flag(this, PATTERN, pattern);
    const obs = subject(this);
    const stats = statsOf(obs, pattern);
    const during = obs.window ? ` in ${formatSeconds(stats.durationMs)}` : '';
    if (negated(this)) {
      const refusal = livenessRefusal(obs, pattern);
      if (refusal) fail(this, `expected ${obs.label} to not have queried ${pattern}: ${refusal}`);
      if (stats.count > 0) {
        fail(this, `expected ${obs.label} to not have queried ${pattern}, but it did ${times(stats.count)}${during}`
          + ` (${names(stats.names)})`);
      }
      return;
    }
    if (stats.count === 0) {
      const all = statsOf(obs, '*');
      const seen = all.count === 0 ? `it holds no queries${during}`
        : `none of its ${formatCount(all.count)} queries${during} matched (${names(all.names)})`;
      const hint = obs.window
        ? `; to bound a rate that zero queries satisfy, start with .queries(${JSON.stringify(pattern)})` : '';
      fail(this, `expected ${obs.label} to have queried ${pattern} at least once, but ${seen}${hint}`);
    }
  });

  Assertion.addMethod('queries', function (this: Ctx, pattern: string) {
    flag(this, PATTERN, pattern);
    statsOf(subject(this), pattern); // a bad subject or pattern fails here, not at the end of the chain
  });

  for (const side of ['most', 'least'] as const) {
    Assertion.overwriteMethod(side, (_super: (...args: unknown[]) => unknown) =>
      function (this: Ctx, ...args: unknown[]) {
        if (flag(this, PATTERN) === undefined) return _super.apply(this, args);
        const limit = args[0];
        if (typeof limit !== 'number' || Number.isNaN(limit)) {
          throw new ChaiFirmlabUsageError(`.at.${side}() needs a number, got ${String(limit)}`);
        }
        flag(this, BOUND, { side, limit } satisfies Bound);
        return undefined;
      });
  }

  Assertion.addProperty('per', function (this: Ctx) {});

  Assertion.addProperty('day', function (this: Ctx) {
    const pattern = patternOf(this, 'per.day');
    const bound = boundOf(this, 'per.day');
    const obs = subject(this);
    obs.requireWindow(`.at.${bound.side}(${bound.limit}).per.day`);
    if (negated(this)) {
      throw new ChaiFirmlabUsageError(
        `a negated rate bound would also pass an inconclusive result: write .at.${bound.side === 'most' ? 'least' : 'most'}(n) instead of .not.at.${bound.side}(n)`);
    }
    // A rate of exactly zero cannot be bounded statistically; "at most 0" is analysis' `none`.
    const kind = bound.side === 'most'
      ? (bound.limit === 0 ? { none: true } : { maxPerDay: bound.limit })
      : { minPerDay: bound.limit };
    const verdict = obs.judge(kind, pattern);
    if (verdict.status !== 'pass') {
      // The verdict message already says what was expected ("expected at most 100/day: inconclusive: ...").
      fail(this, `${obs.label} ${pattern}: ${verdict.message}`);
    }
  });

  Assertion.addProperty('times', function (this: Ctx) {
    const pattern = patternOf(this, 'times');
    const bound = boundOf(this, 'times');
    const obs = subject(this);
    const refusal = livenessRefusal(obs, pattern);
    const not = negated(this) ? 'not ' : '';
    const expected = `expected ${obs.label} to ${not}have queried ${pattern} at ${bound.side} ${times(bound.limit)}`;
    if (refusal) fail(this, `${expected}: ${refusal}`);
    const stats = statsOf(obs, pattern);
    const within = bound.side === 'most' ? stats.count <= bound.limit : stats.count >= bound.limit;
    if (within === negated(this)) {
      const during = obs.window ? ` in ${formatSeconds(stats.durationMs)}` : '';
      const list = stats.count > 0 ? ` (${names(stats.names)})` : '';
      fail(this, `${expected}, but it did ${times(stats.count)}${during}${list}`);
    }
  });

  Assertion.addProperty('ttl', function (this: Ctx) {
    flag(this, TTL, true);
  });

  Assertion.addProperty('respected', function (this: Ctx) {
    const pattern = patternOf(this, 'ttl.respected');
    if (flag(this, TTL) !== true) throw new ChaiFirmlabUsageError('.respected is only defined as .ttl.respected');
    const obs = subject(this);
    const verdict = obs.judge({ ttlRespected: true }, pattern);
    if (verdict.status === 'error' || (verdict.status === 'pass') === negated(this)) {
      const subject = negated(this) ? `expected ${obs.label} to not have respected the TTLs of ${pattern}: ` : `${obs.label} ${pattern}: `;
      fail(this, `${subject}${verdict.message}`);
    }
  });
};

function times(n: number): string {
  return `${formatCount(n)} ${n === 1 ? 'time' : 'times'}`;
}

function names(list: WindowStats['names']): string {
  const shown = list.slice(0, NAMES_SHOWN).map((n) => `${n.name} x${formatCount(n.count)}`);
  const more = list.length - shown.length;
  return more > 0 ? `${shown.join(', ')}, and ${more} other name${more === 1 ? '' : 's'}` : shown.join(', ');
}
