import { expect } from 'chai';
import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../../harness/paths.js';
import type { RunReport } from '../../harness/report/index.js';
import { inspectReportInBrowser } from '../support/report-browser.js';
import { runFirmlab } from './run-firmlab.js';

// Needs the emulator image and build/firmware (make test builds both first).
describe('e2e: the bundled HomeShield old-vs-new scenario', function () {
  this.timeout(600_000);
  let dir: string;
  let result: Awaited<ReturnType<typeof runFirmlab>>;
  let report: RunReport;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-demo-'));
    result = await runFirmlab(['run', join(projectRoot(), 'scenarios/homeshield-dns-request-logic.yaml'),
      '--report-dir', dir, '--junit', join(dir, 'ci-junit.xml')]);
    report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
  });

  it('reproduces the bug on 1.0.7, shows the fix on 1.0.9, and exits 0', () => {
    expect(result.exitCode, result.stderr.slice(-2000)).to.equal(0);
    expect(report.analysis.summary).to.include({ failed: 0, inconclusive: 0, errors: 0 });
    const row = (build: string, window: string) =>
      report.analysis.windowStats.find((w) => w.build === build && w.window === window && w.domain === '*.safethings.avira.com')!;
    // The positive control: 1.0.7 keeps querying with HomeShield off.
    expect(row('archer-ax55v1/old', 'disabled').count).to.be.greaterThan(12);
    expect(row('archer-ax55v1/new', 'disabled').count).to.equal(0);
    expect(row('archer-ax55v1/new', 'enabled').count).to.be.greaterThan(0);
    expect(result.stdout).to.match(/archer-ax55v1\/old\s+disabled\s+\*\.safethings\.avira\.com\s+\d+\s+[\d,]+ \(/);
    // The headline, in words: versions from the firmware headers, the figures from the verdicts.
    expect(result.stdout).to.match(/^archer-ax55v1: fixed\. The bug shows on 1\.0\.7\b[^(]*\(disabled: [\d,]+\/day\); the fix holds on 1\.0\.9\b[^(]*\(disabled: 0 in 30\.0 s: below [\d,]+\/day at 95%\)\.$/m);
  });

  it('keeps each build\'s artifacts: console log, pcap, dns.jsonl and dns.dnstap, run.json', async () => {
    for (const b of report.builds) {
      for (const f of ['console.log', 'wan.pcap', 'dns.jsonl', 'dns.dnstap', 'run.json']) {
        expect((await stat(join(b.runDir, f))).size, `${b.build}/${f}`).to.be.greaterThan(0);
      }
      const lines = (await readFile(join(b.runDir, 'dns.jsonl'), 'utf8')).trim().split('\n');
      expect(lines.length, `${b.build} dns.jsonl lines`).to.equal(b.queries);
      // Every query the recorder answered or dropped is in dns.dnstap too, as BIND's reader reads it.
      const recorded = lines.map((l) => JSON.parse(l) as { kind: string; blocked?: string }).filter((r) => r.kind === 'dns-query' && r.blocked === undefined);
      const tap = (await execa('dnstap-read', [join(b.runDir, 'dns.dnstap')])).stdout.split('\n').filter((l) => / CQ /.test(l));
      expect(tap.length, `${b.build} dnstap client queries`).to.equal(recorded.length);
    }
  });

  it('writes JUnit with one testcase per expectation', async () => {
    const xml = await readFile(join(dir, 'ci-junit.xml'), 'utf8');
    expect(xml.match(/<testcase /g)).to.have.length(report.analysis.verdicts.length);
    expect(xml).to.match(/failures="0" errors="0"/);
  });

  it('renders report.html in headless Chromium: headline, contact tables, the old-vs-new difference, a timeline per build; screenshot kept', async () => {
    // Kept as an artifact of the test run (CI can upload .firmlab/test-artifacts/).
    const shot = join(projectRoot(), '.firmlab', 'test-artifacts', 'homeshield-report.png');
    await mkdir(dirname(shot), { recursive: true });
    const seen = await inspectReportInBrowser(join(dir, 'report.html'), shot);
    expect(seen.timelines.map((t) => t.build)).to.deep.equal(['archer-ax55v1/new', 'archer-ax55v1/old']);
    for (const t of seen.timelines) {
      expect(t.seriesRendered, `${t.build} series`).to.be.greaterThan(0);
      expect(t.markers.map((m) => `${m.feature}=${m.state}`), `${t.build} markers`).to.deep.equal(['homeshield=on', 'homeshield=off']);
      expect(t.markers[1]!.x).to.be.greaterThan(t.markers[0]!.x);
    }
    expect(seen.blockedRequests).to.deep.equal([]);
    expect(seen.pageErrors).to.deep.equal([]);
    expect((await stat(shot)).size).to.be.greaterThan(10_000);
    // The headline says fixed, in words, and shows.
    expect(seen.headlines.map((h) => h.status)).to.deep.equal(['fixed']);
    expect(seen.headlines[0]!.text).to.match(/^archer-ax55v1: fixed\. The bug shows on 1\.0\.7 .*; the fix holds on 1\.0\.9 /);
    expect(seen.headlines[0]!.height).to.be.greaterThan(0);
    // Each build's contact tables list the names its dns.jsonl holds in its windows.
    expect(seen.contacts.map((c) => c.build)).to.deep.equal(report.builds.map((b) => b.build));
    for (const c of seen.contacts) {
      // At most 50 rows per table, then a row that says how many more report.json has.
      const expected = report.analysis.names.filter((n) => n.build === c.build)
        .flatMap((n) => [...n.names.slice(0, 50).map((x) => x.name), ...(n.names.length > 50 ? [`${n.names.length - 50} more in report.json`] : [])]);
      expect(c.names, c.build).to.deep.equal(expected);
      expect(c.names.some((n) => n.endsWith('.safethings.avira.com')), c.build).to.equal(true);
      expect(c.height).to.be.greaterThan(0);
    }
    // The difference a reviewer looks for: what 1.0.9 contacted that 1.0.7 did not, as analysis found it.
    const diff = report.analysis.newContacts.flatMap((n) => [...n.names, ...n.destinations].map((what) => `${n.new}/${n.window}: ${what} (not contacted by ${n.old})`));
    expect(seen.newContacts.map((n) => n.text)).to.deep.equal(diff);
  });
});
