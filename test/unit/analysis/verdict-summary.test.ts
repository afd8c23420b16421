import { expect } from 'chai';
import type { Verdict, VerdictStatus } from '../../../harness/analysis/verdict.js';
import { summarizeVerdicts } from '../../../harness/analysis/verdict-summary.js';

function verdicts(...statuses: VerdictStatus[]): Verdict[] {
  return statuses.map((status) => ({
    status, expectation: { build: 'b', window: 'w', domain: 'x.example', none: true }, measured: {}, message: '',
  }));
}

describe('analysis/verdict-summary', () => {
  const table: [VerdictStatus[], number][] = [
    [[], 0],
    [['pass', 'pass'], 0],
    [['pass', 'fail'], 1],
    [['pass', 'inconclusive'], 1],
    [['fail', 'error', 'pass'], 2],
    [['error'], 2],
  ];
  for (const [statuses, exitCode] of table) {
    it(`[${statuses.join(', ')}] -> exit ${exitCode}`, () => {
      expect(summarizeVerdicts(verdicts(...statuses)).exitCode).to.equal(exitCode);
    });
  }

  it('counts each status', () => {
    expect(summarizeVerdicts(verdicts('pass', 'pass', 'fail', 'inconclusive', 'error', 'error'))).to.deep.equal({
      total: 6, passed: 2, failed: 1, inconclusive: 1, errors: 2, findings: 0, exitCode: 2,
    });
  });

  it('a finding about a build fails an all-pass run (exit 1); an error still wins', () => {
    expect(summarizeVerdicts(verdicts('pass', 'pass'), 1)).to.include({ findings: 1, exitCode: 1 });
    expect(summarizeVerdicts([], 2).exitCode).to.equal(1);
    expect(summarizeVerdicts(verdicts('error'), 1).exitCode).to.equal(2);
  });
});
