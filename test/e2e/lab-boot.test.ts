import { expect } from 'chai';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebUiSession } from '../../harness/control/web-ui-session.js';
import { DockerEngine } from '../../harness/engine/index.js';
import type { Console } from '../../harness/emulator/console.js';
import type { Lab } from '../../harness/lab/lab.js';
import { fixtureFile, fixtureLab, leftovers, type FixtureBuild } from './lab-support.js';
import { runFirmlab } from './run-firmlab.js';

const BUILDS: FixtureBuild[] = ['1.0.7', '1.0.9'];
const PHASE_ORDER = ['preparedMs', 'labUpMs', 'containerStartedMs', 'kernelUpMs', 'consoleMarkerMs', 'readyMs'] as const;

describe('lab e2e: both fixture builds boot to ready', function () {
  let engine: DockerEngine;
  before(async () => { engine = await DockerEngine.connect(); });

  describe('through the real CLI (firmlab boot --json)', () => {
    const runs = new Map<FixtureBuild, { exitCode: number; stdout: string; stderr: string; runDir: string }>();

    before(async () => {
      // Both builds at once: two small VMs fit the two cores (RECIPES.md).
      await Promise.all(BUILDS.map(async (build) => {
        const runDir = join(await mkdtemp(join(tmpdir(), 'fl-cli-boot-')), 'run');
        runs.set(build, { ...(await runFirmlab(['boot', fixtureFile(build), '--json', '--run-dir', runDir])), runDir });
      }));
    });

    for (const build of BUILDS) {
      it(`${build}: exits 0 with every phase, in order, and a complete run directory`, async () => {
        const r = runs.get(build)!;
        expect(r.exitCode, r.stderr).to.equal(0);
        const out = JSON.parse(r.stdout) as { runDir: string; firmware: { version: string }; kernel: string; phases: Record<string, number>; webUrl: string };
        expect(out.firmware.version).to.include(build);
        expect(out.kernel, 'the fixture profile\'s kernel').to.equal('arm64-virt');
        expect(out.runDir).to.equal(r.runDir);
        expect(out.webUrl).to.match(/^http:\/\/10\.213\.\d+\.\d+:80\/$/);
        for (const k of [...PHASE_ORDER, 'webUiReadyMs']) expect(out.phases[k], k).to.be.a('number').and.at.least(0);
        const ordered = PHASE_ORDER.map((k) => out.phases[k]!);
        expect(ordered, 'phases in order').to.deep.equal([...ordered].sort((a, b) => a - b));
        expect(out.phases.webUiReadyMs).to.be.at.most(out.phases.readyMs!);

        const consoleLog = await readFile(join(r.runDir, 'console.log'), 'latin1');
        expect(consoleLog).to.include('Please press Enter to activate this console.');
        expect(consoleLog).to.include(`homeshield: started version=`);
        const pcap = await readFile(join(r.runDir, 'wan.pcap'));
        expect(pcap.readUInt32LE(0), 'pcap magic').to.equal(0xa1b2c3d4);
        const runJson = JSON.parse(await readFile(join(r.runDir, 'run.json'), 'utf8')) as { state: string; session: string; firmware: { version: string } };
        expect(runJson.state).to.equal('down');
        expect(runJson.firmware.version).to.include(build);
        expect(await leftovers(engine, runJson.session)).to.deep.equal([]);
      });
    }
  });

  describe('through Lab, driven by the web UI and the console', () => {
    const labs = new Map<FixtureBuild, { lab: Lab; console: Console }>();

    before(async () => {
      await Promise.all(BUILDS.map(async (build) => {
        const lab = await fixtureLab(engine, build);
        labs.set(build, { lab, console: undefined as unknown as Console });
        labs.get(build)!.console = await lab.boot.boot();
      }));
    });

    after(async () => {
      for (const { lab } of labs.values()) {
        await lab.down();
        expect(await leftovers(engine, lab.spec.session)).to.deep.equal([]);
      }
    });

    for (const build of BUILDS) {
      it(`${build}: logs in on the web UI and reads HomeShield (factory default on)`, async () => {
        const { lab } = labs.get(build)!;
        expect(lab.boot.state).to.equal('ready');
        const web = new WebUiSession({ baseUrl: (await lab.emulator.webBaseUrl()).replace(/\/$/, ''), password: 'admin' });
        expect(await web.login()).to.match(/^[0-9a-f]+$/);
        expect(await web.call('homeshield', 'enable', { operation: 'read' })).to.deep.equal({ enable: 'on' });
        const wrong = new WebUiSession({ baseUrl: (await lab.emulator.webBaseUrl()).replace(/\/$/, ''), password: 'not-the-password' });
        expect(((await wrong.login().catch((e: unknown) => e)) as { code?: string }).code).to.be.a('string');
      });

      it(`${build}: runs a command on the serial console`, async () => {
        const { console } = labs.get(build)!;
        const r = await console.exec('homeshield status');
        expect(r.exitCode).to.equal(0);
        expect(r.output.trim()).to.equal('enable=on');
        expect((await console.exec('false')).exitCode).to.equal(1);
      });
    }
  });
});
