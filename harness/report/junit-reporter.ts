import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { esc } from './markup.js';
import type { Reporter } from './reporter.js';
import type { RunReport } from './run-report.js';
import { describeExpectation } from '../analysis/index.js';

/**
 * JUnit XML for CI: one testcase per expectation, the numbers in the failure
 * message; a passing one keeps its message (with a `none`'s bound) in system-out.
 * Each finding about a build (a service that should run and does not) is a failed case too.
 */
export function junitReporter(file?: string): Reporter {
  return {
    name: 'junit',
    async finish(report, ctx) {
      const path = file ?? join(ctx.reportDir, 'junit.xml');
      await writeFileAtomic(path, renderJunit([report]));
      return path;
    },
  };
}

/** One `<testsuite>` per run (a `firmlab run` of several scenario files writes them all into one `--junit` file). */
export function renderJunit(reports: readonly RunReport[]): string {
  const suites = reports.map(suite);
  const total = (k: 'tests' | 'failures' | 'errors') => suites.reduce((n, s) => n + s[k], 0);
  const time = (reports.reduce((ms, r) => ms + r.durationMs, 0) / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="firmlab" tests="${total('tests')}" failures="${total('failures')}" errors="${total('errors')}" time="${time}">`,
    ...suites.flatMap((s) => s.lines),
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(report: RunReport): { tests: number; failures: number; errors: number; lines: string[] } {
  const v = report.analysis.verdicts;
  const findings = report.analysis.findings;
  const failures = v.filter((x) => x.status === 'fail' || x.status === 'inconclusive').length + findings.length;
  const errors = v.filter((x) => x.status === 'error').length + (report.error ? 1 : 0);
  const cases = v.map((x) => {
    const name = esc(describeExpectation(x.expectation));
    const body = x.status === 'pass' ? `<system-out>${esc(x.message)}</system-out>`
      : x.status === 'error' ? `<error message="${esc(x.message)}"/>`
      : `<failure type="${x.status}" message="${esc(x.message)}">${esc(JSON.stringify(x.measured))}</failure>`;
    return `    <testcase classname="${esc(report.scenario.name)}" name="${name}">${body}</testcase>`;
  });
  for (const f of findings) {
    cases.push(`    <testcase classname="${esc(report.scenario.name)}" name="${esc(`${f.build}/${f.window} ${f.feature} service`)}"><failure type="finding" message="${esc(f.message)}"/></testcase>`);
  }
  if (report.error) {
    cases.push(`    <testcase classname="${esc(report.scenario.name)}" name="run"><error type="${esc(report.error.code)}" message="${esc(report.error.message)}"/></testcase>`);
  }
  return {
    tests: cases.length, failures, errors,
    lines: [
      `  <testsuite name="${esc(report.scenario.name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${(report.durationMs / 1000).toFixed(3)}">`,
      '    <properties>',
      ...properties(report).map(([k, val]) => `      <property name="${esc(k)}" value="${esc(val)}"/>`),
      '    </properties>',
      ...cases,
      '  </testsuite>',
    ],
  };
}

/** Which firmware each build ran, for CI tools that show suite properties. */
function properties(report: RunReport): [string, string][] {
  return report.builds.flatMap((b) => ([
    ['model', b.firmware.model], ['version', b.firmware.version], ['sha256', b.firmware.sha256], ['file', b.firmware.path],
  ] as const).flatMap(([k, val]) => (val === undefined || val === '' ? [] : [[`firmware.${b.build}.${k}`, val] as [string, string]])));
}
