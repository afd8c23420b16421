import { expect } from 'chai';
import { execa } from 'execa';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine } from '../../harness/engine/index.js';
import { projectRoot } from '../../harness/paths.js';
import type { RunReport } from '../../harness/report/index.js';

// Needs the emulator image and build/firmware (make test builds both first).
describe('e2e: Ctrl-C (SIGINT), a CI cancel (SIGTERM) or a kill (SIGKILL) during firmlab run', function () {
  this.timeout(300_000);

  for (const signal of ['SIGINT', 'SIGTERM'] as const) it(`${signal}: stops the builds, removes every lab, still writes the report, and exits 2`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-interrupt-'));
    const child = execa('node', [join(projectRoot(), 'dist/harness/cli/main.js'), 'run',
      join(projectRoot(), 'scenarios/homeshield-dns-request-logic.yaml'), '--report-dir', dir], { reject: false });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no observe step started; stderr: ${stderr.slice(-1000)}`)), 180_000);
      child.stderr!.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (/step 4: observe enabled/.test(stderr)) { clearTimeout(timer); resolve(); }
      });
    });
    child.kill(signal);
    const r = await child;
    expect(r.exitCode, stderr.slice(-1500)).to.equal(2);
    expect(String(r.stderr)).to.contain(`${signal}, cleaning up`);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as RunReport;
    expect(report.error?.code).to.equal('FIRMLAB_INTERRUPTED');
    expect((await stat(join(dir, 'report.html'))).size).to.be.greaterThan(0);
    expect(report.builds).to.have.length(2);
    // Its own objects only: another firmlab run on this machine is not this one's leak.
    expect(await ownedBy(child.pid!)).to.deep.equal([]);
  });

  /** Containers and networks whose owner label names `pid`, straight from the docker CLI (which reaps nothing). */
  async function ownedBy(pid: number): Promise<string[]> {
    const filter = `label=firmlab.owner.pid=${pid}`;
    const c = await execa('docker', ['ps', '-a', '--filter', filter, '--format', '{{.Names}}']);
    const n = await execa('docker', ['network', 'ls', '--filter', filter, '--format', '{{.Name}}']);
    return [...c.stdout.split('\n'), ...n.stdout.split('\n')].filter((x) => x !== '');
  }

  for (const moment of [{ at: 'booting', line: /step 1: boot/ }, { at: 'observing', line: /step 4: observe enabled/ }]) {
    it(`SIGKILL while ${moment.at} leaves labs no handler could remove; the next firmlab start reaps them, and only them`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'firmlab-e2e-kill-'));
      const child = execa('node', [join(projectRoot(), 'dist/harness/cli/main.js'), 'run',
        join(projectRoot(), 'scenarios/homeshield-dns-request-logic.yaml'), '--report-dir', dir], { reject: false });
      let stderr = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`never reached ${moment.line}; stderr: ${stderr.slice(-1000)}`)), 180_000);
        child.stderr!.on('data', (b: Buffer) => {
          stderr += b.toString();
          if (moment.line.test(stderr)) { clearTimeout(timer); resolve(); }
        });
      });
      // Give the lab a moment to have its container as well as its network.
      await new Promise((r) => setTimeout(r, 1500));
      child.kill('SIGKILL');
      await child;
      const pid = child.pid!;
      const orphans = await ownedBy(pid);
      expect(orphans.length, 'the killed run left its labs behind').to.be.greaterThan(0);
      // A live run's object (this test process owns it) must survive the reap.
      const engine = await DockerEngine.connect();
      const live = await engine.createNetwork({ session: `live-${pid}`, run: 'net' });
      try {
        // run, boot and images build reap on start; this one builds nothing (the image is there).
        const next = await execa('node', [join(projectRoot(), 'dist/harness/cli/main.js'), 'images', 'build', 'emulator', '--json'], { reject: false });
        expect(next.exitCode, next.stderr.slice(-1000)).to.equal(0);
        expect(await ownedBy(pid)).to.deep.equal([]);
        expect(await ownedBy(process.pid)).to.include(live.name);
      } finally {
        await live.remove();
      }
    });
  }
});
