import { expect } from 'chai';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../harness/paths.js';
import type { RunReport } from '../../harness/report/index.js';
import { runFirmlab } from './run-firmlab.js';

// Real firmware from before procd (test/fixtures/real): no shell on its
// console in the lab, so readiness is its first packet and each window's own
// traffic proves the lab.
describe('e2e: the bundled LibraryBox (OpenWrt 12.09) scenario, a router without a console', function () {
  this.timeout(600_000);
  let dir: string;
  let result: Awaited<ReturnType<typeof runFirmlab>>;
  let report: RunReport;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-librarybox-'));
    result = await runFirmlab(['run', join(projectRoot(), 'scenarios/librarybox-egress.yaml'), '--report-dir', dir]);
    report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
  });

  it('boots as OpenWrt through /etc/preinit on malta-be, takes the lab\'s DHCP lease, and exits 0', async () => {
    expect(result.exitCode, result.stdout + result.stderr.slice(-2000)).to.equal(0);
    const b = report.builds[0]!;
    expect(b.kernel).to.equal('malta-be');
    expect((b.firmware as { profile?: { name: string } }).profile?.name).to.equal('openwrt');
    expect(await readFile(join(b.runDir, 'console.log'), 'utf8')).to.contain('Run /etc/preinit as init process');
    expect(await readFile(join(b.runDir, 'dhcp.log'), 'utf8')).to.match(/sending ACK to 10\.200\.0\.2/);
  });

  it('counted its NTP pool queries and UDP 123 packets, and nothing of openwrt.org', () => {
    const row = (domain: string) => report.analysis.windowStats.find((w) => w.window === 'idle' && w.domain === domain)!;
    expect(row('*.openwrt.pool.ntp.org').count).to.be.at.least(3);
    expect(row('egress udp 203.0.113.123 port 123').count).to.be.at.least(2);
    expect(row('*.openwrt.org').count).to.equal(0);
  });

  it('proved the lab live by the router\'s own traffic, having no console probe', () => {
    expect(report.analysis.timeline[0]!.windows[0]!.labLive).to.equal(true);
    expect(result.stderr).to.match(/window idle: \d+ queries in 60\.0 s; lab live \(no console probe; the router's traffic was recorded in the window \(\d+ contacts\)\)/);
  });
});
