import { describeExpectation, type Verdict } from '../analysis/index.js';
import type { RunReport } from '../report/index.js';

/** One mocha `it` per verdict: its title and, unless it passed, why it fails. */
export interface ScenarioCase {
  readonly title: string;
  readonly verdict: Verdict;
  /** Undefined when the verdict passed; inconclusive and error fail too (exit 1 / 2 in the CLI). */
  readonly failure?: string;
}

/** The pure half of describeScenario: a finished run as test cases, one per expectation. */
export function scenarioCases(report: RunReport): ScenarioCase[] {
  return report.analysis.verdicts.map((verdict) => ({
    title: describeExpectation(verdict.expectation),
    verdict,
    ...(verdict.status === 'pass' ? {} : { failure: `${verdict.status}: ${verdict.message}` }),
  }));
}

/**
 * What went wrong with the run itself (not an expectation): a run-level
 * error or a build that did not complete, one line each; undefined if none.
 */
export function runProblems(report: RunReport): string | undefined {
  const lines = [
    ...(report.error ? [`run: ${report.error.code}: ${report.error.message}`] : []),
    ...report.builds.filter((b) => !b.ok).map((b) =>
      `build ${b.build}: ${b.error ? `${b.error.code}: ${b.error.message}` : 'did not complete'}`),
  ];
  return lines.length > 0 ? lines.join('\n') : undefined;
}
