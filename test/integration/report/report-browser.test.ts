import { expect } from 'chai';
import { access, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRun, type Expectation } from '../../../harness/analysis/index.js';
import { renderHtml, type RunReport } from '../../../harness/report/index.js';
import { CHROMIUM, inspectReportInBrowser } from '../../support/report-browser.js';
import { TEST_RUN } from '../../support/test-run.js';

const T0 = 1_700_000_000_000;
const AVIRA = '*.safethings.avira.com';
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function queries(from: number, to: number, everyMs: number) {
  const out = [];
  for (let t = from; t < to; t += everyMs) {
    out.push({ atMs: T0 + t, name: `n${t % 3}.safethings.avira.com`, type: 'A', response: { rcode: 'NOERROR', ttl: 300 } });
  }
  return out;
}

/** old keeps querying after HomeShield goes off at 30 s; new stops. */
function homeshieldReport(): RunReport {
  const expectations: Expectation[] = [
    { build: 'old', window: 'disabled', domain: AVIRA, minPerDay: 20_000 },
    { build: 'new', window: 'disabled', domain: AVIRA, none: true },
    { compare: { domain: AVIRA, window: 'disabled' }, newAtMost: 0.2 },
  ];
  const analysis = analyzeRun({
    records: [{ build: 'old', dns: queries(0, 60_000, 1000) }, { build: 'new', dns: queries(0, 30_000, 2000) }],
    windows: ['old', 'new'].flatMap((build) => [
      { build, window: 'enabled', startMs: T0, endMs: T0 + 30_000, labLive: true },
      { build, window: 'disabled', startMs: T0 + 30_000, endMs: T0 + 60_000, labLive: true },
    ]),
    markers: ['old', 'new'].map((build) => ({ atMs: T0 + 30_000, build, feature: 'homeshield', state: 'off' })),
  }, expectations, { binMs: 5000 });
  return {
    run: TEST_RUN,
    scenario: { name: 'homeshield-dns-request-logic', file: 'homeshield.yaml', description: 'HomeShield off must stop the queries' },
    startedAtMs: T0, finishedAtMs: T0 + 70_000, durationMs: 70_000, runDir: '/tmp/run',
    exitCode: analysis.summary.exitCode, analysis,
    builds: [
      { build: 'old', firmware: { path: 'old.bin', version: '1.0.7', sha256: 'a'.repeat(64) }, runDir: '/tmp/run/old', timings: {}, ok: true, queries: 60 },
      { build: 'new', firmware: { path: 'new.bin', version: '1.0.9', sha256: 'b'.repeat(64) }, runDir: '/tmp/run/new', timings: {}, ok: true, queries: 15 },
    ],
  };
}

describe('report.html in headless Chromium', function () {
  this.timeout(120_000);
  let dir: string;

  before(async () => {
    await access(CHROMIUM).catch(() => {
      throw new Error(`${CHROMIUM} is missing: this test needs Debian's chromium package (apt-get install -y chromium)`);
    });
  });
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'firmlab-report-browser-')); });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('renders a timeline per build with its series and the HomeShield-off marker, fetching nothing', async () => {
    const report = homeshieldReport();
    const html = join(dir, 'report.html');
    await writeFile(html, renderHtml(report));
    const shot = join(dir, 'report.png');

    const seen = await inspectReportInBrowser(html, shot);

    expect(seen.timelines.map((t) => t.build).sort()).to.deep.equal(['new', 'old']);
    for (const t of seen.timelines) {
      expect(t.series.map((s) => s.domain), t.build).to.deep.equal([AVIRA]);
      expect(t.seriesRendered, `${t.build} series drawn`).to.equal(1);
      // A step line across the whole plot (a constant rate is flat: its height may be 0).
      expect(t.series[0]!.width / t.svgWidth, `${t.build} series spans the chart`).to.be.greaterThan(0.8);
      expect(t.markers.map((m) => `${m.feature}=${m.state}`), t.build).to.deep.equal(['homeshield=off']);
      // Off at 30 s of a 60 s run: the marker sits mid-chart, inside the plot.
      expect(t.markers[0]!.x / t.svgWidth, `${t.build} marker x`).to.be.within(0.35, 0.65);
    }
    // new goes quiet at the marker: its line falls, so its box has a height.
    expect(seen.timelines.find((t) => t.build === 'new')!.series[0]!.height).to.be.greaterThan(0);
    expect(seen.verdictRows.map((r) => r.at(-1))).to.deep.equal(report.analysis.verdicts.map((v) => v.status));
    expect(seen.verdictRows[0]).to.include('old').and.to.include(AVIRA);
    // The answer first, in words, with the versions and figures.
    expect(seen.headlines).to.have.length(1);
    expect(seen.headlines[0]!.status).to.equal('fixed');
    expect(seen.headlines[0]!.text).to.match(/^The new build: fixed\. The bug shows on 1\.0\.7 \(disabled: 86,400\/day\); the fix holds on 1\.0\.9 \(disabled: 0 in 30\.0 s: below [\d,]+\/day at 95%\)\.$/);
    expect(seen.headlines[0]!.height).to.be.greaterThan(0);
    expect(seen.blockedRequests).to.deep.equal([]);
    expect(seen.pageErrors).to.deep.equal([]);
    // To look at the page yourself: FIRMLAB_REPORT_SCREENSHOT=/tmp/report.png
    if (process.env.FIRMLAB_REPORT_SCREENSHOT) await copyFile(shot, process.env.FIRMLAB_REPORT_SCREENSHOT);
    const png = await readFile(shot);
    expect(png.subarray(0, 8).equals(PNG_MAGIC), 'PNG signature').to.equal(true);
    expect(png.length).to.be.greaterThan(10_000);
  });

  it('counts and blocks a page\'s attempts to fetch anything not on disk', async () => {
    const html = join(dir, 'fetches.html');
    await writeFile(html, '<!doctype html><html><body><img src="http://127.0.0.1:9/beacon.png"><p>x</p></body></html>');
    const seen = await inspectReportInBrowser(html, join(dir, 'fetches.png'));
    expect(seen.blockedRequests).to.deep.equal(['http://127.0.0.1:9/beacon.png']);
    expect(seen.timelines).to.deep.equal([]);
  });
});
