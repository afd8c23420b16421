import { expect } from 'chai';
import { validate } from 'ctrf';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { analyzeRun, type Expectation } from '../../../harness/analysis/index.js';
import { reportersFor, renderCtrf, type RunReport } from '../../../harness/report/index.js';
import { TEST_RUN } from '../../support/test-run.js';

const q = (atMs: number) => ({ atMs, name: 'dfp.safethings.avira.com', type: 'A', response: { rcode: 'NOERROR', ttl: 10 } });

function report(): RunReport {
  const expectations: Expectation[] = [
    { build: 'old', window: 'disabled', domain: '*.safethings.avira.com', minPerDay: 20_000 },
    { build: 'new', window: 'disabled', domain: '*.safethings.avira.com', none: true },
    // Inconclusive: 0 in 1 s cannot show a rate of 1,000/day either way.
    { build: 'new', window: 'enabled', domain: '*.safethings.avira.com', minPerDay: 1_000 },
    { compare: { domain: '*.safethings.avira.com', window: 'disabled' }, newAtMost: 0.2 },
  ];
  const analysis = analyzeRun({
    records: [{ build: 'old', dns: Array.from({ length: 30 }, (_, i) => q(i * 1000)) }, { build: 'new', dns: [] }],
    windows: [
      ...['old', 'new'].map((build) => ({ build, window: 'disabled', startMs: 0, endMs: 30_000, labLive: true })),
      { build: 'new', window: 'enabled', startMs: 30_000, endMs: 31_000, labLive: true },
    ],
  }, expectations);
  return {
    run: TEST_RUN, scenario: { name: 'homeshield "<&>" ünïcode', file: 'x.yaml' }, startedAtMs: 1000, finishedAtMs: 61_000, durationMs: 60_000, runDir: '/r',
    exitCode: analysis.summary.exitCode, analysis,
    builds: ['old', 'new'].map((build, i) => ({
      build, firmware: { path: `${build}.bin`, model: 'Archer AX55 v1', version: ['1.0.7', '1.0.9'][i]!, sha256: `${i}`.repeat(64) }, runDir: `/r/${build}`, timings: {}, ok: true, queries: 0,
    })),
    error: { code: 'FIRMLAB_EXAMPLE', message: 'one build could not boot' },
  };
}

describe('report/ctrf: CTRF JSON, checked with the CTRF reference package', () => {
  it('is a valid CTRF document: one test per expectation, the run error as a failed test, the summary counted', () => {
    const doc = renderCtrf(report()) as { results: { tests: { name: string; status: string; rawStatus: string; labels: Record<string, unknown>; message: string }[]; summary: Record<string, number> } };
    const checked = validate(doc);
    expect(checked.errors).to.deep.equal([]);
    expect(checked.valid).to.equal(true);
    const tests = doc.results.tests;
    expect(tests.map((t) => [t.rawStatus, t.status])).to.deep.equal([['pass', 'passed'], ['pass', 'passed'], ['inconclusive', 'other'], ['pass', 'passed'], ['error', 'failed']]);
    expect(doc.results.summary).to.include({ tests: 5, passed: 3, failed: 1, other: 1, start: 1000, stop: 61_000 });
    // Figures and the firmware judged travel with each test.
    expect(tests[0]!.labels).to.include({ build: 'old', 'measured.count': 30, 'firmware.version': '1.0.7', 'firmware.sha256': '0'.repeat(64) });
    expect(tests[3]!.labels).to.include({ build: 'new', 'firmware.version': '1.0.9' });
    expect(tests[0]!.message, tests[0]!.message).to.match(/: 30 (queries|contacts)/);
  });

  it('several scenarios of one run in one document: every test, each scenario\'s exit code, the span of all', () => {
    const second: RunReport = { ...report(), scenario: { name: 'second', file: 'y.yaml' }, startedAtMs: 70_000, finishedAtMs: 90_000, durationMs: 20_000, exitCode: 1 };
    const doc = renderCtrf([report(), second]) as { results: { tests: { suite: string[] }[]; summary: Record<string, number>; extra: { scenarios: { name: string; exitCode: number }[]; exitCode: number } } };
    expect(validate(doc).errors).to.deep.equal([]);
    expect(doc.results.tests).to.have.length(10);
    expect(doc.results.tests.at(-1)!.suite).to.deep.equal(['second']);
    expect(doc.results.summary).to.include({ tests: 10, passed: 6, start: 1000, stop: 90_000, duration: 89_000 });
    expect(doc.results.extra.scenarios.map((s) => [s.name, s.exitCode])).to.deep.equal([[report().scenario.name, report().exitCode], ['second', 1]]);
    expect(doc.results.extra.exitCode).to.equal(Math.max(report().exitCode, 1));
  });

  it('the reference validator can fail: a document without its results is refused', () => {
    const { results: _r, ...broken } = renderCtrf(report()) as Record<string, unknown>;
    expect(validate(broken).valid).to.equal(false);
    expect(validate({ ...(renderCtrf(report()) as object), reportFormat: 'JUnit' }).valid).to.equal(false);
  });

  it('--ctrf FILE adds the reporter to the defaults and writes there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firmlab-ctrf-'));
    try {
      const reporters = reportersFor(undefined, {}, { ctrfFile: join(dir, 'out', 'results.ctrf.json') });
      expect(reporters.map((r) => r.name)).to.deep.equal(['console', 'json', 'junit', 'html', 'ctrf']);
      const sink = new PassThrough();
      await reporters.at(-1)!.finish(report(), { reportDir: dir, stdout: sink, stderr: sink });
      expect(validate(JSON.parse(await readFile(join(dir, 'out', 'results.ctrf.json'), 'utf8'))).valid).to.equal(true);
      expect(reportersFor(['console'], {}, {}).map((r) => r.name)).to.deep.equal(['console']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
