import { join } from 'node:path';
import { describeExpectation, type Verdict } from '../analysis/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { reportJson } from './json-reporter.js';
import type { Reporter } from './reporter.js';
import type { BuildReport, RunReport } from './run-report.js';

/** CTRF's test statuses; an inconclusive or erroring verdict is `other` or `failed` with firmlab's own word in `rawStatus`. */
type CtrfStatus = 'passed' | 'failed' | 'skipped' | 'pending' | 'other';

interface CtrfTest {
  name: string;
  status: CtrfStatus;
  rawStatus: string;
  duration: number;
  suite: string[];
  message?: string;
  labels?: Record<string, string | number | boolean>;
  extra?: Record<string, unknown>;
}

const STATUS: Record<Verdict['status'], CtrfStatus> = { pass: 'passed', fail: 'failed', inconclusive: 'other', error: 'failed' };

/**
 * A run as a CTRF document (Common Test Report Format, spec 0.0.0; a
 * `firmlab run` of several scenario files: all of them in one): one
 * test per expectation, named as in the table and JUnit, its measured
 * figures and the firmware of the build it judged as labels; each finding
 * and a run-level error a failed test too. Written by hand, not with the
 * ctrf package's builder: the document is a plain object, and the package
 * (which the tests validate it with) stays a test dependency.
 */
export function renderCtrf(reports: RunReport | readonly RunReport[]): object {
  const runs = Array.isArray(reports) ? reports as readonly RunReport[] : [reports as RunReport];
  const tests = runs.flatMap(ctrfTests);
  const count = (s: CtrfStatus) => tests.filter((t) => t.status === s).length;
  const first = runs[0]!;
  const start = Math.min(...runs.map((r) => r.startedAtMs));
  const stop = Math.max(...runs.map((r) => r.finishedAtMs));
  return {
    reportFormat: 'CTRF',
    specVersion: '0.0.0',
    runId: first.run.id,
    timestamp: new Date(stop).toISOString(),
    generatedBy: 'firmlab',
    results: {
      tool: { name: 'firmlab', version: first.run.harness },
      summary: {
        tests: tests.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), pending: count('pending'), other: count('other'),
        suites: new Set(tests.map((t) => t.suite.join('/'))).size,
        start, stop, duration: runs.length === 1 ? first.durationMs : stop - start,
      },
      tests,
      // One scenario: its name, exit code and shard; several (one `firmlab run` of many files): each, and the worst exit code.
      extra: runs.length === 1
        ? { scenario: first.scenario, exitCode: first.exitCode, shard: first.run.shard }
        : { scenarios: runs.map((r) => ({ ...r.scenario, exitCode: r.exitCode })), exitCode: Math.max(...runs.map((r) => r.exitCode)), shard: first.run.shard },
    },
  };
}

function ctrfTests(report: RunReport): CtrfTest[] {
  const suite = (build: string) => [report.scenario.name, ...(build.includes('/') ? [build.slice(0, build.lastIndexOf('/'))] : [])];
  const firmwareOf = (build: string): BuildReport['firmware'] | undefined => report.builds.find((b) => b.build === build)?.firmware;
  const tests: CtrfTest[] = report.analysis.verdicts.map((v) => {
    const e = v.expectation as { build?: string; compare?: { old?: string; new?: string } };
    const build = e.build ?? e.compare?.new ?? 'new';
    const fw = firmwareOf(build);
    const labels: Record<string, string | number> = { build };
    for (const [k, n] of Object.entries(v.measured)) if (typeof n === 'number' && Number.isFinite(n)) labels[`measured.${k}`] = n;
    for (const [k, val] of [['model', fw?.model], ['version', fw?.version], ['sha256', fw?.sha256]] as const) if (val) labels[`firmware.${k}`] = val;
    return {
      name: describeExpectation(v.expectation), status: STATUS[v.status], rawStatus: v.status,
      duration: typeof v.measured.durationMs === 'number' && Number.isFinite(v.measured.durationMs) ? v.measured.durationMs : 0,
      suite: suite(build), message: v.message, labels,
    };
  });
  for (const f of report.analysis.findings) {
    tests.push({ name: `${f.build}/${f.window} ${f.feature} service`, status: 'failed', rawStatus: 'finding', duration: 0, suite: suite(f.build), message: f.message });
  }
  if (report.error) tests.push({ name: 'run', status: 'failed', rawStatus: 'error', duration: report.durationMs, suite: [report.scenario.name], message: `${report.error.code}: ${report.error.message}` });
  return tests;
}

/** `--ctrf FILE` (or `--reporter ctrf`: `<report dir>/ctrf.json`). */
export function ctrfReporter(file?: string): Reporter {
  return {
    name: 'ctrf',
    async finish(report, ctx) {
      const path = file ?? join(ctx.reportDir, 'ctrf.json');
      await writeFileAtomic(path, reportJson(renderCtrf(report)));
      return path;
    },
  };
}
