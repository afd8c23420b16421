import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebUiSession } from '../../harness/control/web-ui-session.js';
import { DockerEngine } from '../../harness/engine/index.js';
import type { Console } from '../../harness/emulator/console.js';
import type { Lab } from '../../harness/lab/lab.js';
import type { StepContext } from '../../harness/scenario/step-context.js';
import { STEP_HANDLERS } from '../../harness/scenario/step-handlers.js';
import { fixtureLab, leftovers } from './lab-support.js';

describe('lab e2e: settings survive a reboot in place', function () {
  let engine: DockerEngine;
  let lab: Lab | undefined;
  let con: Console;
  let web: WebUiSession;
  let containerBefore: string;
  let detail: string | undefined;

  before(async () => {
    engine = await DockerEngine.connect();
    lab = await fixtureLab(engine, '1.0.9');
    con = await lab.boot.boot();
    containerBefore = lab.emulator.handle.id;
    web = new WebUiSession({ baseUrl: (await lab.emulator.webBaseUrl()).replace(/\/$/, ''), password: 'admin' });
    await web.login();
    expect(await web.call('homeshield', 'enable', { operation: 'write', enable: 'off' })).to.deep.equal({ enable: 'off' });
    // The scenario's own reboot step, on a context holding just what it uses.
    const ctx = { lab, console: con } as unknown as StepContext;
    detail = await STEP_HANDLERS.reboot({ kind: 'reboot', timeoutMs: 60_000, index: 0, line: 1 }, ctx);
  });

  after(async () => {
    if (!lab) return;
    await lab.down();
    expect(await leftovers(engine, lab.spec.session)).to.deep.equal([]);
  });

  it('the reboot step brought the same router (same QEMU, same container) back to ready', async () => {
    expect(detail).to.match(/^ready again after \d+\.\d s$/);
    expect(lab!.boot.state).to.equal('ready');
    expect(lab!.emulator.handle.id).to.equal(containerBefore);
    const phases = lab!.boot.rebootPhases!;
    expect(phases.kernelUpMs).to.be.a('number');
    expect(phases.consoleMarkerMs).to.be.at.least(phases.kernelUpMs!);
    expect(phases.readyMs).to.be.at.least(phases.consoleMarkerMs!);
    const log = await readFile(join(lab!.runDir, 'console.log'), 'latin1');
    expect(log.match(/Booting Linux on/g)?.length, 'two kernel starts in console.log').to.equal(2);
  });

  it('HomeShield is still off, read through the web UI (a new login: the old token died with the reboot)', async () => {
    const oldToken = web.token;
    expect(await web.call('homeshield', 'enable', { operation: 'read' })).to.deep.equal({ enable: 'off' });
    expect(web.token).to.not.equal(oldToken);
  });

  it('and on the console: restored from the config partition at boot', async () => {
    expect((await con.run('homeshield status')).trim()).to.equal('enable=off');
    const log = await readFile(join(lab!.runDir, 'console.log'), 'latin1');
    expect(log).to.match(/config: settings restored from \/dev\/vdb/);
    expect(log).to.match(/homeshield: started version=\S+ enable=off/);
  });
});
