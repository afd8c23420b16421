import { expect } from 'chai';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../harness/paths.js';
import type { RunReport } from '../../harness/report/index.js';
import { runFirmlab } from './run-firmlab.js';

const BUILDS = ['tl-wr841n-v9/old', 'tl-wr841n-v9/new'];

// Real firmware driven through its own web UI: OpenWrt's NTP client switched
// in LuCI by the bundled scenario, both images side by side.
describe('e2e: the bundled OpenWrt NTP scenario (real firmware, switched through LuCI)', function () {
  this.timeout(900_000);
  let dir: string;
  let result: Awaited<ReturnType<typeof runFirmlab>>;
  let report: RunReport;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-openwrt-ntp-'));
    result = await runFirmlab(['run', join(projectRoot(), 'scenarios/openwrt-ntp.yaml'), '--report-dir', dir]);
    report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
  });

  it('exits 0 with every expectation passed, both images booted as OpenWrt', () => {
    expect(result.exitCode, `${result.stdout.slice(-3000)}\n${result.stderr.slice(-2000)}`).to.equal(0);
    expect(report.analysis.summary).to.include({ passed: 6, failed: 0, inconclusive: 0, errors: 0 });
    expect(report.builds.map((b) => b.build).sort()).to.deep.equal([...BUILDS].sort());
    for (const b of report.builds) expect((b.firmware as { profile?: { name: string } }).profile?.name, b.build).to.equal('openwrt');
  });

  it('logged in to LuCI as root, and every set step went through the web UI and was read back', () => {
    for (const build of BUILDS) {
      expect(result.stderr, build).to.match(new RegExp(`\\[${build}\\] step 2 done in [\\d.]+ s: logged in at http://[\\d.:]+ \\(luci, user root\\)`));
      expect(result.stderr, build).to.include(`[${build}] ntp -> on (via web, read back)`);
      expect(result.stderr, build).to.include(`[${build}] ntp -> off (via web, read back)`);
      expect(result.stderr, build).to.not.include(`[${build}] ntp -> on (via console`);
      expect(result.stderr, build).to.not.include(`[${build}] ntp -> off (via console`);
    }
  });

  it('while on, ntpd asked for its pool over and over; once off, nothing of NTP came, by name or to UDP 123', () => {
    const row = (build: string, window: string, domain: string) =>
      report.analysis.windowStats.find((w) => w.build === build && w.window === window && w.domain === domain);
    for (const build of BUILDS) {
      const on = row(build, 'ntp-on', '*.openwrt.pool.ntp.org')!;
      expect(on.count, build).to.be.at.least(8);
      expect(on.names.map((n) => n.name), build).to.include.members(['0.openwrt.pool.ntp.org', '3.openwrt.pool.ntp.org']);
      expect(row(build, 'ntp-off', '*.pool.ntp.org')?.count, build).to.equal(0);
    }
    const verdicts = report.analysis.verdicts.map((v) => `${v.status}: ${v.message}`);
    expect(verdicts.filter((v) => v.includes('ntp-off') && v.includes('udp')), verdicts.join('\n')).to.have.length(2);
    for (const v of verdicts) expect(v).to.match(/^pass: /);
  });
});
