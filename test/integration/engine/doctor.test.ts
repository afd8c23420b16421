import { expect } from 'chai';
import { execa } from 'execa';
import { join } from 'node:path';
import { projectRoot } from '../../../harness/paths.js';

// Needs a running Docker engine.
describe('firmlab doctor --json', function () {
  this.timeout(120_000);
  const cli = join(projectRoot(), 'dist/harness/cli/main.js');

  it('prints one entry per check with ok true/false and exits by the overall result', async () => {
    const r = await execa('node', [cli, 'doctor', '--json'], { reject: false });
    const doc = JSON.parse(String(r.stdout)) as { ok: boolean; checks: { name: string; ok: boolean; detail: string; fix?: string }[] };
    expect(doc.checks.map((c) => c.name)).to.include.members(['engine', 'base-image', 'emulator-image', 'disk', 'tun']);
    for (const c of doc.checks) {
      expect(c.ok, c.name).to.be.a('boolean');
      if (!c.ok) expect(c.fix, `${c.name} says how to fix it`).to.be.a('string');
    }
    expect(doc.checks.find((c) => c.name === 'engine')!.ok).to.equal(true);
    expect(r.exitCode).to.equal(doc.ok ? 0 : 2);
  });

  it('fails the engine check with FIRMLAB_ENGINE_UNAVAILABLE when no engine answers, exit 2', async () => {
    const r = await execa('node', [cli, 'doctor', '--json'], { reject: false, env: { DOCKER_HOST: 'unix:///tmp/firmlab-nobody.sock' } });
    const doc = JSON.parse(String(r.stdout)) as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    const engine = doc.checks.find((c) => c.name === 'engine')!;
    expect(engine.ok).to.equal(false);
    expect(engine.detail).to.match(/^FIRMLAB_ENGINE_UNAVAILABLE: .*firmlab-nobody\.sock/);
    expect(r.exitCode).to.equal(2);
  });
});
