import { expect } from 'chai';
import { execa, type ResultPromise } from 'execa';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerEngine } from '../../harness/engine/index.js';
import { FirmlabError } from '../../harness/errors.js';
import type { Lab } from '../../harness/lab/lab.js';
import { projectRoot } from '../../harness/paths.js';
import { fixtureFile, fixtureLab, leftovers } from './lab-support.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Resolves once the kernel has printed (mid-boot: the marker comes ~3 s later). */
const kernelPrinting = (lab: Lab) => until('the kernel printing', async () => lab.boot.phases.kernelUpMs);

describe('lab e2e: faults end cleanly', function () {
  let engine: DockerEngine;
  before(async () => { engine = await DockerEngine.connect(); });

  describe('the emulator dies mid-boot', () => {
    const labs: Lab[] = [];
    const outcomes = new Map<string, unknown>();

    before(async () => {
      // Both faults at once, each on its own lab.
      await Promise.all([
        (async () => {
          const lab = await fixtureLab(engine, '1.0.9');
          labs.push(lab);
          const booting = lab.boot.boot();
          booting.catch(() => undefined);
          await kernelPrinting(lab);
          // QEMU is PID 1 of the container: SIGTERM from inside ends it (and the container).
          await lab.emulator.handle.exec(['sh', '-c', 'kill 1'], { timeoutMs: 10_000 }).catch(() => undefined);
          outcomes.set('kill', await booting.catch((e: unknown) => e));
          await lab.down();
          outcomes.set('kill:left', await leftovers(engine, lab.spec.session));
        })(),
        (async () => {
          const lab = await fixtureLab(engine, '1.0.7');
          labs.push(lab);
          const booting = lab.boot.boot();
          booting.catch(() => undefined);
          await kernelPrinting(lab);
          await engine.client.removeContainer(lab.emulator.handle.id); // docker rm -f, from outside
          outcomes.set('rm', await booting.catch((e: unknown) => e));
          await lab.down();
          outcomes.set('rm:left', await leftovers(engine, lab.spec.session));
        })(),
      ]);
    });

    after(async () => {
      for (const lab of labs) await lab.down().catch(() => undefined);
    });

    for (const [fault, what] of [['kill', 'QEMU killed inside the container'], ['rm', 'the container removed from outside']] as const) {
      it(`${what}: FIRMLAB_EMULATOR_EXITED, run directory intact, nothing left in Docker`, async () => {
        const err = outcomes.get(fault);
        expect(err).to.be.instanceOf(FirmlabError);
        expect((err as FirmlabError).code, (err as Error).message).to.equal('FIRMLAB_EMULATOR_EXITED');
        expect((err as Error).message).to.match(/the emulator exited with code \d+/);
        const lab = labs.find((l) => l.spec.firmware?.version?.toString().includes(fault === 'kill' ? '1.0.9' : '1.0.7'))!;
        expect(lab.boot.state).to.equal('failed');
        expect((await stat(join(lab.runDir, 'console.log'))).size).to.be.greaterThan(0);
        const runJson = JSON.parse(await readFile(join(lab.runDir, 'run.json'), 'utf8')) as { state: string; boot: string; failure: string };
        expect(runJson).to.deep.include({ state: 'down', boot: 'failed' });
        expect(runJson.failure).to.match(/^FIRMLAB_EMULATOR_EXITED: /);
        expect(outcomes.get(`${fault}:left`)).to.deep.equal([]);
      });
    }
  });

  describe('Ctrl-C on firmlab boot', () => {
    const children: ResultPromise[] = [];
    after(() => { for (const c of children) c.kill('SIGKILL'); });

    async function spawnBoot(args: string[]) {
      const runDir = join(await mkdtemp(join(tmpdir(), 'fl-sigint-')), 'run');
      const child = execa('node', [join(projectRoot(), 'dist/harness/cli/main.js'), 'boot', fixtureFile('1.0.9'), '--run-dir', runDir, ...args], {
        reject: false, cwd: projectRoot(),
      });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
      const session = () => until('run.json', async () => (JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as { session: string }).session);
      return { child, runDir, stderr: () => stderr, session };
    }

    it('after ready (--keep): exits 0 and leaves no container or network behind', async () => {
      const b = await spawnBoot(['--keep']);
      await until('the ready line', async () => (/^ready\. web UI: http:\/\//m.test(b.stderr()) ? true : undefined), 60_000);
      const session = await b.session();
      expect(await leftovers(engine, session), 'the lab is up while kept').to.have.length(2);
      b.child.kill('SIGINT');
      const r = await b.child;
      expect(r.exitCode, b.stderr()).to.equal(0);
      expect(b.stderr()).to.include('SIGINT, cleaning up');
      expect(await leftovers(engine, session)).to.deep.equal([]);
      expect(JSON.parse(await readFile(join(b.runDir, 'run.json'), 'utf8'))).to.deep.include({ state: 'down' });
    });

    it('mid-boot: exits 2 with FIRMLAB_INTERRUPTED and leaves nothing behind', async () => {
      const b = await spawnBoot([]);
      const session = await b.session();
      await until('the kernel printing', async () => ((await stat(join(b.runDir, 'console.log'))).size > 0 ? true : undefined));
      b.child.kill('SIGINT');
      const r = await b.child;
      expect(r.exitCode, b.stderr()).to.equal(2);
      expect(b.stderr()).to.match(/^FIRMLAB_INTERRUPTED: interrupted \(SIGINT\) while booting/m);
      expect(b.stderr()).to.not.include('Please press Enter');
      expect(await leftovers(engine, session)).to.deep.equal([]);
      const runJson = JSON.parse(await readFile(join(b.runDir, 'run.json'), 'utf8')) as { state: string; boot: string };
      expect(runJson.state).to.equal('down');
      expect(runJson.boot, 'stopped on purpose, not failed').to.equal('stopped');
    });
  });
});
