import { expect } from 'chai';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../harness/paths.js';
import type { RunReport } from '../../harness/report/index.js';
import { runFirmlab } from './run-firmlab.js';

// The real-firmware counterpart of the HomeShield demo: real OpenWrt images
// from test/fixtures/real, booted side by side, nobody touching them.
describe('e2e: the bundled OpenWrt egress scenario (real firmware)', function () {
  this.timeout(600_000);
  let dir: string;
  let result: Awaited<ReturnType<typeof runFirmlab>>;
  let report: RunReport;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-openwrt-'));
    result = await runFirmlab(['run', join(projectRoot(), 'scenarios/openwrt-egress.yaml'), '--report-dir', dir]);
    report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
  });

  it('boots both images as OpenWrt on the malta-be kernel and exits 0', () => {
    expect(result.exitCode, result.stderr.slice(-2000)).to.equal(0);
    expect(report.analysis.summary).to.include({ failed: 0, inconclusive: 0, errors: 0 });
    for (const b of report.builds) {
      expect(b.kernel, b.build).to.equal('malta-be');
      expect((b.firmware as { profile?: { name: string } }).profile?.name, b.build).to.equal('openwrt');
    }
  });

  it('recorded the NTP pool names each build resolved by itself, and nothing of openwrt.org', () => {
    const row = (build: string, domain: string) =>
      report.analysis.windowStats.find((w) => w.build === build && w.window === 'first-minutes' && w.domain === domain)!;
    for (const build of ['tl-wr841n-v9/old', 'tl-wr841n-v9/new']) {
      const pool = row(build, '*.openwrt.pool.ntp.org');
      expect(pool.count, build).to.be.at.least(8);
      expect(pool.names.map((n) => n.name)).to.include.members(['0.openwrt.pool.ntp.org', '3.openwrt.pool.ntp.org']);
      expect(row(build, '*.openwrt.org').count, build).to.equal(0);
    }
    expect(result.stdout).to.match(/tl-wr841n-v9\/new\s+first-minutes\s+\*\.openwrt\.pool\.ntp\.org\s+\d+\s+[\d,]+ \(/);
  });

  it('each build took its WAN lease from the lab (dhcp.log) and kept its console log', async () => {
    for (const b of report.builds) {
      expect(await readFile(join(b.runDir, 'dhcp.log'), 'utf8'), b.build).to.include('sending ACK to 10.200.0.2');
      expect(await readFile(join(b.runDir, 'console.log'), 'latin1'), b.build).to.include('procd: - init -');
    }
  });
});
