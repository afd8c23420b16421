import { expect } from 'chai';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { analyzeRun, judgeWindowLiveness, type Expectation } from '../../../harness/analysis/index.js';
import { renderHtml, reporterByName, RunEventBus, type RunReport } from '../../../harness/report/index.js';
import { TEST_RUN } from '../../support/test-run.js';

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
      { build: 'old', window: 'enabled', startMs: T0, endMs: T0 + 30_000, labLive: true },
      { build: 'old', window: 'disabled', startMs: T0 + 30_000, endMs: T0 + 60_000, labLive: true },
      { build: 'new', window: 'enabled', startMs: T0, endMs: T0 + 30_000, labLive: true },
      { build: 'new', window: 'disabled', startMs: T0 + 30_000, endMs: T0 + 60_000, labLive: true },
    ],
    markers: [{ atMs: T0 + 30_000, build: 'old', feature: 'homeshield', state: 'off' }, { atMs: T0 + 30_000, build: 'new', feature: 'homeshield', state: 'off' }],
  }, expectations);
  return {
    run: TEST_RUN,
    scenario: { name: 'homeshield <test>', file: 'x.yaml' }, startedAtMs: T0, finishedAtMs: T0 + 70_000, durationMs: 70_000,
    runDir: '/tmp/run', exitCode: analysis.summary.exitCode, analysis,
    builds: [
      { build: 'old', firmware: { path: 'old.bin', version: '1.0.7' }, runDir: '/tmp/run/old', timings: {}, ok: true, queries: 48 },
      { build: 'new', firmware: { path: 'new.bin', version: '1.0.9' }, runDir: '/tmp/run/new', timings: {}, ok: true, queries: 6 },
    ],
  };
}

describe('reporters', () => {
  it('report.html names each build\'s firmware (model, format, arch, profile) and its phase timings', () => {
    const r = sampleReport();
    const withIdentity: RunReport = { ...r, builds: r.builds.map((b, i) => (i === 0 ? {
      ...b, firmware: { ...b.firmware, model: 'Archer AX55 v1', format: 'tplink-v1', sha256: 'c'.repeat(64), arch: 'armhf', profile: { name: 'fixture' } } as never,
      timings: { 'boot.kernelUpMs': 990, 'boot.readyMs': 6605, totalMs: 48_000 },
    } : b)) };
    const html = renderHtml(withIdentity);
    const row = /<tr data-build="old">([\s\S]*?)<\/tr>/.exec(html)![1]!;
    expect(row).to.contain('<td class="identity">Archer AX55 v1, tplink-v1, armhf, profile fixture</td>');
    expect(row).to.contain('<td class="timings">kernel 1.0 s, ready 6.6 s, total 48.0 s</td>');
    expect(row).to.contain(`title="${'c'.repeat(64)}"`);
  });

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
    // One model: no models x expectations grid, the verdict table says it all.
    expect(html).to.not.contain('id="grid"');
  });

  it('links each build\'s files that exist, relative to the report, so the directory can be browsed as uploaded', async () => {
    const r = sampleReport();
    const { mkdir, writeFile } = await import('node:fs/promises');
    const oldDir = join(dir, 'archer-ax55v1-old');
    await mkdir(oldDir);
    await writeFile(join(oldDir, 'console.log'), 'boot');
    await writeFile(join(oldDir, 'wan.pcap'), '');
    const report = { ...r, builds: [{ ...r.builds[0]!, runDir: oldDir }, r.builds[1]!] };
    const html = await readFile((await reporterByName('html').finish(report, { reportDir: dir, stdout: sink().s, stderr: sink().s }))!, 'utf8');
    expect(html).to.contain('<td class="artifacts"><a href="archer-ax55v1-old/console.log">console.log</a> <a href="archer-ax55v1-old/wan.pcap">wan.pcap</a></td>');
    expect(html).to.not.contain('dns.jsonl</a>');
    // A build whose run directory is gone gets no links, not broken ones.
    expect(html).to.contain('<td class="artifacts"></td>');
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
    expect(table).to.match(/build\s+window\s+traffic\s+contacts\s+per day \(95% CI\)\s+expectation\s+verdict/);
    expect(table).to.match(/old\s+disabled\s+\*\.safethings\.avira\.com\s+24\s/);
  });

  describe('what a short quiet window proves, egress, and where DNS went', () => {
    const DOMAIN = '*.safethings.avira.com';
    /** old queries every 1.25 s for 60 s, every other query to a hard-coded 8.8.8.8, and opens TLS to the cloud while off; new is quiet while off. */
    function quietReport(): RunReport {
      const old = queries('old', 0, 60_000, 1250).map((q, i) => ({ ...q, resolver: { address: i % 2 === 0 ? '10.200.0.1' : '8.8.8.8', port: 53 } }));
      const tls = [T0 + 40_000, T0 + 50_000].map((atMs) => ({
        atMs, transport: 'tcp', destination: { address: '203.0.113.10', port: 443 }, bytes: 517, sni: 'dfp-dual.safethings.avira.com',
      }));
      const expectations: Expectation[] = [
        { build: 'old', window: 'disabled', domain: DOMAIN, minPerDay: 20_000 },
        { build: 'new', window: 'disabled', domain: DOMAIN, none: true },
        { build: 'new', window: 'disabled', egress: { sni: DOMAIN }, none: true },
      ];
      const analysis = analyzeRun({
        records: [
          { build: 'old', dns: old, egress: tls },
          { build: 'new', dns: queries('new', 0, 30_000, 5000).map((q) => ({ ...q, resolver: { address: '10.200.0.1', port: 53 } })), egress: [] },
        ],
        windows: ['old', 'new'].flatMap((build) => [
          { build, window: 'enabled', startMs: T0, endMs: T0 + 30_000, labLive: true },
          { build, window: 'disabled', startMs: T0 + 30_000, endMs: T0 + 60_000, labLive: true },
        ]),
      }, expectations, { labResolver: { address: '10.200.0.1', port: 53 } });
      return { ...sampleReport(), analysis, exitCode: analysis.summary.exitCode };
    }
    const BOUND = '0 in 30.0 s: below 8,628/day at 95%';

    it('the console table carries a passing none\'s bound, the count split by source, and a line on other resolvers', async () => {
      const out = sink();
      await reporterByName('console').finish(quietReport(), { reportDir: dir, stdout: out.s, stderr: out.s });
      const text = out.text();
      expect(text).to.match(/new\s+disabled\s+\*\.safethings\.avira\.com\s+0\s+0 in 30\.0 s: below 8,628\/day at 95%\s+none\s+pass/);
      expect(text).to.match(/new\s+disabled\s+egress sni \*\.safethings\.avira\.com\s+0\s+0 in 30\.0 s: below 8,628\/day at 95%\s+none\s+pass/);
      expect(text).to.match(/old\s+disabled\s+\*\.safethings\.avira\.com\s+26 \(dns 24, sni 2, host 0\)\s/);
      expect(text).to.contain("resolvers: old: 24 of 48 queries went to resolvers other than the lab's 10.200.0.1:53: 8.8.8.8:53 x24\n");
      expect(text).not.to.contain('resolvers: new');
    });

    it('report.json keeps the bound on the verdict and the resolvers per build', async () => {
      const out = sink();
      const path = await reporterByName('json').finish(quietReport(), { reportDir: dir, stdout: out.s, stderr: out.s });
      const json = JSON.parse(await readFile(path!, 'utf8')) as RunReport;
      expect(json.analysis.verdicts.map((v) => v.bound)).to.deep.equal([undefined, BOUND, BOUND]);
      expect(json.analysis.verdicts[1]!.measured.upperBoundPerDay).to.be.closeTo(8627.7, 0.5);
      expect(json.analysis.resolvers.find((r) => r.build === 'old')).to.deep.include({ queries: 48, elsewhere: 24, unknown: 0 });
    });

    it('JUnit keeps a passing verdict\'s message, bound included, in system-out', async () => {
      const out = sink();
      const path = await reporterByName('junit').finish(quietReport(), { reportDir: dir, stdout: out.s, stderr: out.s });
      const xml = await readFile(path!, 'utf8');
      expect(xml.match(/<system-out>[^<]*expected none: pass \(0 in 30\.0 s: below 8,628\/day at 95%\)<\/system-out>/g)).to.have.length(2);
    });

    it('the HTML builds table names the other resolvers', async () => {
      const out = sink();
      const path = await reporterByName('html').finish(quietReport(), { reportDir: dir, stdout: out.s, stderr: out.s });
      const html = await readFile(path!, 'utf8');
      expect(html).to.contain('<th>other resolvers</th>').and.contain('8.8.8.8:53 x24').and.contain('<td>none</td>');
    });
  });

  describe('a finding about a build (its service should run and does not)', () => {
    const withFinding = (): RunReport => {
      const liveness = judgeWindowLiveness(
        { probe: { before: { name: 'a.probe.firmlab.test', seen: true }, after: { name: 'b.probe.firmlab.test', seen: true } } },
        [{ feature: 'homeshield', state: 'on', sinceMs: T0, process: 'homeshieldd', runningAtStart: false, runningAtEnd: false }],
        { dns: [] }, { startMs: T0, endMs: T0 + 30_000 });
      const analysis = analyzeRun({
        records: [{ build: 'new', dns: [] }],
        windows: [{ build: 'new', window: 'enabled', startMs: T0, endMs: T0 + 30_000, labLive: liveness.labLive, liveness }],
      }, [{ build: 'new', window: 'enabled', domain: '*.safethings.avira.com', none: true }]);
      return { ...sampleReport(), analysis, exitCode: analysis.summary.exitCode };
    };
    const FINDING = 'new/enabled: homeshield is on but its service (homeshieldd) is not running';

    it('the console prints it as a finding and counts it; the run exits 1', async () => {
      const report = withFinding();
      expect(report.exitCode).to.equal(1);
      const out = sink();
      await reporterByName('console').finish(report, { reportDir: dir, stdout: out.s, stderr: out.s });
      expect(out.text()).to.contain(`finding: ${FINDING}\n`).and.match(/1 passed, 0 failed, 0 inconclusive, 0 errors, 1 findings;/);
    });

    it('JUnit has a failed case for it; HTML lists it', async () => {
      const report = withFinding();
      const out = sink();
      const xml = await readFile((await reporterByName('junit').finish(report, { reportDir: dir, stdout: out.s, stderr: out.s }))!, 'utf8');
      expect(xml).to.contain(`<testcase classname="homeshield &lt;test&gt;" name="new/enabled homeshield service"><failure type="finding" message="${FINDING}"/></testcase>`);
      expect(xml).to.match(/<testsuites name="firmlab" tests="2" failures="1" errors="0"/);
      const html = await readFile((await reporterByName('html').finish(report, { reportDir: dir, stdout: out.s, stderr: out.s }))!, 'utf8');
      expect(html).to.contain(`<ul id="findings"><li data-build="new" data-window="enabled">${FINDING}</li></ul>`);
    });
  });

  it('rejects an unknown reporter name as a usage error', () => {
    expect(() => reporterByName('pdf')).to.throw(/unknown reporter pdf/);
  });
});
