import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { analyzeRun, type Expectation } from '../../../harness/analysis/index.js';
import { runCli } from '../../../harness/cli/run-cli.js';
import { runCommand } from '../../../harness/cli/commands/run.js';
import { defaultReporterNames, renderMarkdown, type RunReport } from '../../../harness/report/index.js';
import { TEST_RUN } from '../../support/test-run.js';

const q = (atMs: number) => ({ atMs, name: 'dfp.safethings.avira.com', type: 'A', response: { rcode: 'NOERROR', ttl: 10 } });

function report(extra: Expectation[] = []): RunReport {
  const expectations: Expectation[] = [
    { build: 'old', window: 'disabled', domain: '*.safethings.avira.com', minPerDay: 20_000 },
    { build: 'new', window: 'disabled', domain: '*.safethings.avira.com', none: true },
    ...extra,
  ];
  const analysis = analyzeRun({
    records: [{ build: 'old', dns: Array.from({ length: 30 }, (_, i) => q(i * 1000)) }, { build: 'new', dns: [] }],
    windows: ['old', 'new'].map((build) => ({ build, window: 'disabled', startMs: 0, endMs: 30_000, labLive: true })),
  }, expectations);
  return {
    run: TEST_RUN,
    scenario: { name: 'homeshield-dns-request-logic', file: 'x.yaml' }, startedAtMs: 0, finishedAtMs: 1, durationMs: 1, runDir: '/r',
    exitCode: analysis.summary.exitCode, analysis,
    builds: ['old', 'new'].map((build, i) => ({ build, firmware: { path: `${build}.bin`, version: ['1.0.7', '1.0.9'][i] }, runDir: `/r/${build}`, timings: {}, ok: true, queries: 0 })),
  };
}

describe('report/markdown: the CI job summary', () => {
  it('has the headline, the verdict table with every expectation, and the count line', () => {
    const md = renderMarkdown(report());
    const lines = md.split('\n');
    expect(lines[0]).to.equal('## firmlab: homeshield-dns-request-logic');
    expect(md).to.contain('- **fixed**: The new build: fixed. The bug shows on 1.0.7 (disabled: 86,400/day); the fix holds on 1.0.9');
    expect(lines.filter((l) => l.startsWith('| old ') || l.startsWith('| new '))).to.have.length(2);
    expect(md).to.contain('| build | window | traffic | contacts | per day (95% CI) | expectation | verdict |');
    expect(lines.at(-2)).to.equal('2 passed, 0 failed, 0 inconclusive, 0 errors; exit 0');
  });

  it('stays under its byte budget however many verdicts, and says how many rows it left out', () => {
    const many: Expectation[] = Array.from({ length: 400 }, (_, i) => ({ build: 'new', window: 'disabled', domain: `n${i}.example`, none: true }));
    const md = renderMarkdown(report(many), 8 * 1024);
    expect(Buffer.byteLength(md)).to.be.below(8 * 1024);
    expect(md).to.match(/\| \d+ more rows in report\.json \|/);
    expect(md.split('\n').at(-2)).to.equal('402 passed, 0 failed, 0 inconclusive, 0 errors; exit 0');
  });

  it('escapes what would break a table cell or inject markup', () => {
    const r = report();
    const md = renderMarkdown({ ...r, error: { code: 'FIRMLAB_X', message: 'a | b <script>\nnext' } });
    expect(md).to.contain('- error: FIRMLAB_X: a \\| b &lt;script&gt; next');
  });

  it('joins the default reporters when a job summary file is set', () => {
    expect(defaultReporterNames({})).to.deep.equal(['console', 'json', 'junit', 'html']);
    expect(defaultReporterNames({ GITHUB_STEP_SUMMARY: '/tmp/s.md' })).to.include('markdown');
  });

  it('`firmlab run --reporter` refuses an unknown name before anything runs (exit 64)', async () => {
    const err: string[] = [];
    const stderr = new PassThrough().on('data', (b: Buffer) => err.push(b.toString()));
    const code = await runCli([runCommand], ['run', 'missing.yaml', '--reporter', 'console,htlm'], { stdout: new PassThrough(), stderr, env: {}, cwd: '/', signal: new AbortController().signal });
    expect(code).to.equal(64);
    expect(err.join('')).to.match(/^FIRMLAB_USAGE: --reporter: unknown reporter htlm; known: console, json, junit, html, markdown/);
  });
});
