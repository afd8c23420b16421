import { expect } from 'chai';
import { analyzeRun, type Expectation } from '../../../harness/analysis/index.js';
import type { DnsQuery } from '../../../harness/analysis/analysis-input.js';
import { headlines } from '../../../harness/report/headline.js';

const q = (atMs: number): DnsQuery => ({ atMs, name: 'dfp.safethings.avira.com', type: 'A', response: { rcode: 'NOERROR', ttl: 10 } });
/** `n` queries spread over [0, 30 s). */
const burst = (n: number) => Array.from({ length: n }, (_, i) => q(Math.floor((i * 30_000) / n)));
const W = { startMs: 0, endMs: 30_000, labLive: true };

function run(model: string | undefined, oldQueries: number, newQueries: number, extra: Expectation[] = []) {
  const id = (b: string) => (model === undefined ? b : `${model}/${b}`);
  const expect_: Expectation[] = [
    { build: id('old'), window: 'disabled', domain: '*.safethings.avira.com', minPerDay: 20_000 },
    { build: id('new'), window: 'disabled', domain: '*.safethings.avira.com', none: true },
    ...extra,
  ];
  return analyzeRun({
    records: [{ build: id('old'), dns: burst(oldQueries) }, { build: id('new'), dns: burst(newQueries) }],
    windows: [{ build: id('old'), window: 'disabled', ...W }, { build: id('new'), window: 'disabled', ...W }],
  }, expect_);
}

describe('report/headline: fixed or not, and why, in one sentence per model', () => {
  it('fixed: the bug shown on the old build, the fix\'s bound on the new one, by version', () => {
    const a = run('archer-ax55v1', 24, 0);
    const [h] = headlines(a.verdicts, a.findings, { 'archer-ax55v1/old': '1.0.7', 'archer-ax55v1/new': '1.0.9' });
    expect(h).to.deep.include({ model: 'archer-ax55v1', status: 'fixed' });
    expect(h!.text).to.equal('archer-ax55v1: fixed. The bug shows on 1.0.7 (disabled: 69,120/day); the fix holds on 1.0.9 (disabled: 0 in 30.0 s: below 8,628/day at 95%).');
  });

  it('not fixed: names the failing verdict on the new build', () => {
    const a = run(undefined, 24, 3);
    const [h] = headlines(a.verdicts, a.findings, { old: '1.0.7', new: '1.0.8' });
    expect(h!.status).to.equal('not-fixed');
    expect(h!.text).to.match(/^The new build: NOT fixed on 1\.0\.8\. new\/disabled \*\.safethings\.avira\.com: 3 queries in 30\.0 s/);
  });

  it('a finding on the new build is not fixed, though every verdict passed', () => {
    const a = run(undefined, 24, 0);
    const [h] = headlines(a.verdicts, [{ build: 'new', window: 'disabled', feature: 'homeshield', message: 'new/disabled: homeshield is on but its service (homeshieldd) is not running' }], {});
    expect(h!.status).to.equal('not-fixed');
    expect(h!.text).to.match(/NOT fixed on new\. new\/disabled: homeshield is on but its service/);
  });

  it('the fix holds but the old build did not show the bug: says the positive control failed', () => {
    const a = run(undefined, 0, 0);
    const [h] = headlines(a.verdicts, a.findings, {});
    expect(h!.status).to.equal('fixed');
    expect(h!.text).to.match(/^The new build: fixed\. The fix holds on new \(disabled: 0 in 30\.0 s.*\); but the old build did not show the bug as expected: old\/disabled/);
  });

  it('undecided when a verdict on the new build could not decide, and says how long to observe', () => {
    const a = run(undefined, 24, 0, [{ build: 'new', window: 'disabled', domain: '*.other.example', maxPerDay: 10 }]);
    const [h] = headlines(a.verdicts, a.findings, {});
    expect(h!.status).to.equal('undecided');
    expect(h!.text).to.match(/undecided on new\. .*observe for at least/);
  });

  it('one headline per model of a matrix, each judged on its own builds', () => {
    const a = run('archer', 24, 0);
    const b = run('deco', 24, 5);
    const hs = headlines([...a.verdicts, ...b.verdicts], [], {});
    expect(hs.map((h) => [h.model, h.status])).to.deep.equal([['archer', 'fixed'], ['deco', 'not-fixed']]);
  });
});
