import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { analyzeRun, type Expectation } from '../../../harness/analysis/index.js';
import { reporterByName, RunEventBus, type RunReport } from '../../../harness/report/index.js';

const T0 = 1_700_000_000_000;
function queries(build: string, from: number, to: number, everyMs: number) {
  const out = [];
  for (let t = from; t < to; t += everyMs) out.push({ atMs: T0 + t, name: `x${t}.q.safethings.avira.com`, type: 'A', response: { rcode: 'NOERROR', ttl: 300 } });
  return out;
}

function sampleReport(): RunReport {
  const expectations: Expectation[] = [
    { build: 'old', window: 'disabled', domain: '*.safethings.avira.com', minPerDay: 20_000 },
    { build: 'new', window: 'disabled', domain: '*.safethings.avira.com', none: true },
    { compare: { domain: '*.safethings.avira.com', window: 'disabled' }, newAtMost: 0.2 },
  ];
  const analysis = analyzeRun({
    records: [{ build: 'old', dns: queries('old', 0, 60_000, 1250) }, { build: 'new', dns: queries('new', 0, 60_000, 5000) }],
    windows: [
      { build: 'old', window: 'enabled', startMs: T0, endMs: T0 + 30_000, serviceAlive: true },
      { build: 'old', window: 'disabled', startMs: T0 + 30_000, endMs: T0 + 60_000, serviceAlive: true },
      { build: 'new', window: 'enabled', startMs: T0, endMs: T0 + 30_000, serviceAlive: true },
      { build: 'new', window: 'disabled', startMs: T0 + 30_000, endMs: T0 + 60_000, serviceAlive: true },
    ],
    markers: [{ atMs: T0 + 30_000, build: 'old', feature: 'homeshield', state: 'off' }, { atMs: T0 + 30_000, build: 'new', feature: 'homeshield', state: 'off' }],
  }, expectations);
  return {
    scenario: { name: 'homeshield <test>', file: 'x.yaml' }, startedAtMs: T0, finishedAtMs: T0 + 70_000, durationMs: 70_000,
    runDir: '/tmp/run', exitCode: analysis.summary.exitCode, analysis,
    builds: [
      { build: 'old', firmware: { path: 'old.bin', version: '1.0.7' }, runDir: '/tmp/run/old', timings: {}, ok: true, queries: 48 },
      { build: 'new', firmware: { path: 'new.bin', version: '1.0.9' }, runDir: '/tmp/run/new', timings: {}, ok: true, queries: 6 },
    ],
  };
}

describe('reporters', () => {
  let dir: string;
  const sink = () => { const chunks: string[] = []; const s = new PassThrough(); s.on('data', (b: Buffer) => chunks.push(b.toString())); return { s, text: () => chunks.join('') }; };
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'firmlab-report-')); });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes a self-contained HTML page with one timeline per build and the setting changes marked', async () => {
    const report = sampleReport();
    const out = sink();
    const path = await reporterByName('html').finish(report, { reportDir: dir, stdout: out.s, stderr: out.s });
    const html = await readFile(path!, 'utf8');
    expect(html.match(/<figure class="timeline" data-build="/g)).to.have.length(2);
    expect(html.match(/class="marker" data-feature="homeshield" data-state="off"/g)).to.have.length(2);
    expect(html).to.not.match(/<script|<link|src="http|href="http/);
    expect(html).to.contain('homeshield &lt;test&gt;');
    expect(await readdir(dir)).to.deep.equal(['report.html']);
  });

  it('writes JUnit with one testcase per expectation and the numbers in failures', async () => {
    const report = sampleReport();
    const out = sink();
    const path = await reporterByName('junit').finish(report, { reportDir: dir, stdout: out.s, stderr: out.s });
    const xml = await readFile(path!, 'utf8');
    expect(xml.match(/<testcase /g)).to.have.length(3);
    // The new build queried in 'disabled' too, so `none` fails and the failure carries its numbers.
    expect(xml).to.match(/<failure type="fail" message="new\/disabled[^"]*"/);
    expect(xml).to.match(/failures="\d+"/);
  });

  it('writes report.json with NaN/Infinity as null and the summary', async () => {
    const report = sampleReport();
    const out = sink();
    const path = await reporterByName('json').finish(report, { reportDir: dir, stdout: out.s, stderr: out.s });
    const json = JSON.parse(await readFile(path!, 'utf8')) as RunReport;
    expect(json.analysis.summary.total).to.equal(3);
    expect(json.builds.map((b) => b.firmware.version)).to.deep.equal(['1.0.7', '1.0.9']);
  });

  it('prints live progress and the verdict table on the console', async () => {
    const report = sampleReport();
    const out = sink();
    const err = sink();
    const bus = new RunEventBus();
    const r = reporterByName('console');
    r.attach!(bus, { reportDir: dir, stdout: out.s, stderr: err.s });
    bus.emit({ type: 'step-started', atMs: T0, build: 'old', index: 0, step: 'boot' });
    bus.emit({ type: 'dns-query', atMs: T0, build: 'old', name: 'a', qtype: 'A', rcode: 'NOERROR' });
    bus.emit({ type: 'step-finished', atMs: T0, build: 'old', index: 0, step: 'boot', durationMs: 2500 });
    await r.finish(report, { reportDir: dir, stdout: out.s, stderr: err.s });
    expect(err.text()).to.contain('[old] step 1: boot').and.contain('(queries so far: 1)');
    const table = out.text();
    expect(table).to.match(/build\s+window\s+domain\s+queries\s+per day \(95% CI\)\s+expectation\s+verdict/);
    expect(table).to.match(/old\s+disabled\s+\*\.safethings\.avira\.com\s+24\s/);
  });

  it('rejects an unknown reporter name as a usage error', () => {
    expect(() => reporterByName('pdf')).to.throw(/unknown reporter pdf/);
  });
});
