import { expect } from 'chai';
import { AnalysisContext } from '../../../harness/analysis/analysis-context.js';
import type { AnalysisInput, DnsQuery } from '../../../harness/analysis/analysis-input.js';
import { evaluateExpectation } from '../../../harness/analysis/evaluate-expectation.js';
import type { Expectation } from '../../../harness/analysis/expectation.js';
import { queries, window } from './make-records.js';

const DOMAIN = '*.safethings.avira.com';
const NAMES = ['a.safethings.avira.com', 'b.safethings.avira.com', 'c.safethings.avira.com', 'd.safethings.avira.com'];

/** old and new, each with `enabled` [0, 30 s) and `disabled` [100 s, 130 s). */
function run(oldDisabled: DnsQuery[], newDisabled: DnsQuery[], extra: Partial<AnalysisInput> = {}): AnalysisContext {
  return new AnalysisContext({
    records: [
      { build: 'old', dns: [...queries(0, 30, { names: NAMES, ttl: 300 }), ...oldDisabled] },
      { build: 'new', dns: [...queries(0, 2, { everyMs: 15_000, ttl: 5 }), ...newDisabled] },
    ],
    windows: [
      window('old', 'enabled', 0, 30_000), window('old', 'disabled', 100_000, 30_000),
      window('new', 'enabled', 0, 30_000), window('new', 'disabled', 100_000, 30_000),
      ...(extra.windows ?? []),
    ],
    ...(extra.markers ? { markers: extra.markers } : {}),
  });
}

const old24 = queries(100_000, 24, { everyMs: 1250, names: NAMES });
const none: DnsQuery[] = [];

describe('analysis/evaluate-expectation: rates', () => {
  it('min_per_day passes on the lower bound, with a pasteable message', () => {
    const v = evaluateExpectation({ build: 'old', window: 'disabled', domain: DOMAIN, minPerDay: 20_000 }, run(old24, none));
    expect(v.status).to.equal('pass');
    expect(v.message).to.equal(
      'old/disabled *.safethings.avira.com: 24 queries in 30.0 s = 69,120/day (95% CI 44,290-102,800/day); '
        + 'expected at least 20,000/day: pass (one-sided 95% lower bound 47,660/day > 20,000/day)',
    );
    expect(v.measured.count).to.equal(24);
    expect(v.measured.decisionBoundPerDay).to.be.closeTo(47_661.2, 0.5);
  });

  it('max_per_day fails when the lower bound is above the limit', () => {
    const v = evaluateExpectation({ build: 'old', window: 'disabled', domain: DOMAIN, maxPerDay: 20_000 }, run(old24, none));
    expect(v.status).to.equal('fail');
    expect(v.message).to.match(/expected at most 20,000\/day: fail \(one-sided 95% lower bound 47,660\/day > 20,000\/day\)$/);
  });

  it('max_per_day passes on zero queries when 30 s suffices (upper bound 8,628/day)', () => {
    const v = evaluateExpectation({ build: 'new', window: 'disabled', domain: DOMAIN, maxPerDay: 10_000 }, run(old24, none));
    expect(v.status).to.equal('pass');
    expect(v.measured.decisionBoundPerDay).to.be.closeTo(8627.7, 0.5);
    expect(v.message).to.contain('0 queries in 30.0 s = 0/day');
  });

  it('zero queries against a low max_per_day is inconclusive, naming the window that would decide', () => {
    const v = evaluateExpectation({ build: 'new', window: 'disabled', domain: DOMAIN, maxPerDay: 1000 }, run(old24, none));
    expect(v.status).to.equal('inconclusive');
    expect(v.measured.requiredWindowS).to.equal(259); // ceil(2.9957 * 86400 / 1000)
    expect(v.message).to.contain('expected at most 1,000/day: inconclusive: observe for at least 259 s');
  });

  it('a non-zero count near the limit: N at the observed rate', () => {
    const five = queries(100_000, 5, { everyMs: 5000 });
    const v = evaluateExpectation({ build: 'new', window: 'disabled', domain: DOMAIN, maxPerDay: 20_000 }, run(old24, five));
    expect(v.status).to.equal('inconclusive');
    expect(v.measured.requiredWindowS).to.equal(156); // scipy: upper(5/30 * 156) / 156 < 20,000/day, not at 155
  });

  it('min_per_day fails when even the upper bound is below it', () => {
    const ctx = new AnalysisContext({ records: [], windows: [window('new', 'long', 0, 600_000)] });
    const v = evaluateExpectation({ build: 'new', window: 'long', domain: DOMAIN, minPerDay: 1000 }, ctx);
    expect(v.status).to.equal('fail');
    expect(v.measured.decisionBoundPerDay).to.be.closeTo(431.4, 0.1);
  });

  it('min_per_day on zero queries in 30 s is inconclusive with N from zero events', () => {
    const v = evaluateExpectation({ build: 'new', window: 'disabled', domain: DOMAIN, minPerDay: 1000 }, run(old24, none));
    expect(v.status).to.equal('inconclusive');
    expect(v.measured.requiredWindowS).to.equal(259);
  });
});

describe('analysis/evaluate-expectation: none and ttl_respected', () => {
  it('none passes on zero queries', () => {
    const v = evaluateExpectation({ build: 'new', window: 'disabled', domain: DOMAIN, none: true }, run(old24, none));
    expect(v.status).to.equal('pass');
    expect(v.message).to.equal('new/disabled *.safethings.avira.com: 0 queries in 30.0 s; expected none: pass (0 in 30.0 s: below 8,628/day at 95%)');
  });

  it('none fails naming how many and the first few names', () => {
    const v = evaluateExpectation({ build: 'old', window: 'disabled', domain: DOMAIN, none: true }, run(old24, none));
    expect(v.status).to.equal('fail');
    expect(v.message).to.equal(
      'old/disabled *.safethings.avira.com: 24 queries in 30.0 s (a.safethings.avira.com x6, b.safethings.avira.com x6, '
        + 'c.safethings.avira.com x6, and 1 other name); expected none: fail',
    );
  });

  it('none ignores names outside the pattern', () => {
    const other = queries(100_000, 3, { names: ['time.example'] });
    expect(evaluateExpectation({ build: 'new', window: 'disabled', domain: DOMAIN, none: true }, run(old24, other)).status)
      .to.equal('pass');
  });

  it('ttl_respected fails for a client re-asking every second despite TTL 300', () => {
    const v = evaluateExpectation({ build: 'old', window: 'enabled', domain: DOMAIN, ttlRespected: true }, run(old24, none));
    expect(v.status).to.equal('fail');
    expect(v.measured.ttlViolations).to.equal(26);
    expect(v.message).to.contain('26 of 26 re-queries came before the previous answer\'s TTL ran out (1.0 s grace)');
  });

  it('ttl_respected passes for a client that waits out a 5 s TTL', () => {
    const v = evaluateExpectation({ build: 'new', window: 'enabled', domain: DOMAIN, ttlRespected: true }, run(old24, none));
    expect(v.status).to.equal('pass');
    expect(v.measured.ttlChecked).to.equal(1);
  });
});

describe('analysis/evaluate-expectation: old vs new', () => {
  const compare = { domain: DOMAIN, window: 'disabled' };

  it('new 0 vs old 24 in 30 s passes new_at_most 0.2', () => {
    const v = evaluateExpectation({ compare, newAtMost: 0.2 }, run(old24, none));
    expect(v.status).to.equal('pass');
    expect(v.measured.ratioUpper).to.be.closeTo(0.13295, 1e-4);
    expect(v.message).to.equal(
      'new vs old disabled *.safethings.avira.com: new 0 queries in 30.0 s (0/day), old 24 queries in 30.0 s (69,120/day); '
        + 'new/old = 0; expected new at most 0.2 x old: pass (one-sided 95% upper bound 0.133 < 0.2)',
    );
  });

  it('new 10 vs old 12 fails new_at_most 0.2', () => {
    const v = evaluateExpectation(
      { compare, newAtMost: 0.2 },
      run(queries(100_000, 12, { everyMs: 2000 }), queries(100_000, 10, { everyMs: 2000 })),
    );
    expect(v.status).to.equal('fail');
    expect(v.measured.ratioLower).to.be.closeTo(0.3723, 1e-4);
  });

  it('at_least_times_fewer 10 with 0 vs 24 needs a longer window', () => {
    const v = evaluateExpectation({ compare, atLeastTimesFewer: 10 }, run(old24, none));
    expect(v.status).to.equal('inconclusive');
    expect(v.measured.requiredWindowS).to.equal(40); // scipy: Clopper-Pearson at old = 24 * 40 / 30
    expect(v.message).to.contain('expected new at least 10x fewer than old: inconclusive: observe both for at least 40 s');
  });

  it('accounts for different window lengths', () => {
    const ctx = run(old24, queries(200_000, 6, { everyMs: 20_000 }), {
      windows: [window('new', 'long', 200_000, 120_000), window('old', 'long', 100_000, 30_000)],
    });
    const v = evaluateExpectation({ compare: { domain: DOMAIN, window: 'long' }, newAtMost: 0.2 }, ctx);
    expect(v.measured.ratio).to.be.closeTo(6 / 120 / (24 / 30), 1e-12);
    expect(v.status).to.equal('pass');
  });

  it('custom build names', () => {
    const ctx = new AnalysisContext({
      records: [{ build: 'v107', dns: old24 }, { build: 'v109', dns: [] }],
      windows: [window('v107', 'disabled', 100_000, 30_000), window('v109', 'disabled', 0, 30_000)],
    });
    const v = evaluateExpectation({ compare: { ...compare, old: 'v107', new: 'v109' }, newAtMost: 0.2 }, ctx);
    expect(v.status).to.equal('pass');
    expect(v.message).to.match(/^v109 vs v107 disabled/);
  });

  it('neither build querying is inconclusive without a suggested length', () => {
    const v = evaluateExpectation({ compare, newAtMost: 0.2 }, run(none, none));
    expect(v.status).to.equal('inconclusive');
    expect(v.measured).not.to.have.property('requiredWindowS');
    expect(v.message).to.contain('neither build made a matching contact');
  });
});

describe('analysis/evaluate-expectation: errors', () => {
  const cases: [title: string, e: Expectation, ctx: () => AnalysisContext, pattern: RegExp][] = [
    ['unknown build', { build: 'neww', window: 'disabled', domain: DOMAIN, none: true }, () => run(none, none),
      /error: unknown build "neww" \(known builds: new, old\)$/],
    ['unknown window', { build: 'new', window: 'off', domain: DOMAIN, none: true }, () => run(none, none),
      /error: build new has no window "off" \(known windows: disabled, enabled\)$/],
    ['unknown build in a comparison', { compare: { domain: DOMAIN, window: 'disabled', old: 'v1' }, newAtMost: 0.2 },
      () => run(none, none), /unknown build "v1"/],
    ['bad pattern', { build: 'new', window: 'disabled', domain: 'a.*.com', none: true }, () => run(none, none),
      /invalid domain pattern "a\.\*\.com"/],
    ['zero max_per_day', { build: 'new', window: 'disabled', domain: DOMAIN, maxPerDay: 0 }, () => run(none, none),
      /max_per_day must be a positive number, got 0 \(for zero, use none: true\)/],
    ['negative new_at_most', { compare: { domain: DOMAIN, window: 'disabled' }, newAtMost: -1 }, () => run(none, none),
      /new_at_most must be a positive number/],
    ['lab not shown live', { build: 'new', window: 'dead', domain: DOMAIN, none: true },
      () => run(none, none, { windows: [window('new', 'dead', 200_000, 30_000, false)] }),
      /error: liveness: the lab was not shown live in new\/dead, so its contacts/],
    ['lab not shown live in a comparison', { compare: { domain: DOMAIN, window: 'dead' }, newAtMost: 0.2 },
      () => run(none, none, { windows: [window('new', 'dead', 200_000, 30_000, false), window('old', 'dead', 200_000, 30_000)] }),
      /liveness/],
    ['empty window', { build: 'new', window: 'empty', domain: DOMAIN, maxPerDay: 5 },
      () => run(none, none, { windows: [window('new', 'empty', 200_000, 0)] }), /window new\/empty has no duration/],
  ];
  for (const [title, e, ctx, pattern] of cases) {
    it(`${title} -> error`, () => {
      const v = evaluateExpectation(e, ctx());
      expect(v.status).to.equal('error');
      expect(v.measured).to.deep.equal({});
      expect(v.message).to.match(pattern);
    });
  }

  it('liveness error even when queries were seen', () => {
    const ctx = run(none, old24, { windows: [window('new', 'disabled', 100_000, 1000, false)] });
    expect(evaluateExpectation({ build: 'new', window: 'disabled', domain: DOMAIN, minPerDay: 1 }, ctx).status)
      .to.equal('error');
  });
});
