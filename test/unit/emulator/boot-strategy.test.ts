import { expect } from 'chai';
import { BootStrategy } from '../../../harness/emulator/boot-strategy.js';
import { BootTimeoutError, EmulatorExitedError } from '../../../harness/emulator/emulator-errors.js';
import { FakeBootTarget, tick } from './fake-boot-target.js';

describe('BootStrategy', () => {
  let clock = 0;
  const now = () => clock;
  const httpDown = () => Promise.reject(new Error('ECONNREFUSED'));

  it('is ready after the console marker AND an HTTP answer, recording each phase', async () => {
    const target = new FakeBootTarget();
    let webUp = false;
    const boot = new BootStrategy(target, { now, httpStatus: async () => { if (!webUp) throw new Error('down'); return 403; }, timeoutMs: 5000 });
    expect(boot.state).to.equal('off');
    const ready = boot.boot();
    expect(boot.state).to.equal('booting');
    await tick();
    clock = 100;
    target.print('[    0.000000] Booting Linux on physical CPU 0x0\r\n');
    await tick();
    clock = 2500;
    target.print('\r\nPlease press Enter to activate this console. ');
    await tick();
    expect(boot.state).to.equal('booting');
    clock = 2700;
    webUp = true;
    await ready;
    expect(boot.state).to.equal('ready');
    expect(boot.phases).to.deep.equal({ containerStartedMs: 0, kernelUpMs: 100, consoleMarkerMs: 2500, webUiReadyMs: 2700, readyMs: 2700 });
    await boot.stop();
    expect(boot.state).to.equal('stopped');
    expect(target.stopped).to.equal(true);
  });

  it('fails with FIRMLAB_BOOT_TIMEOUT carrying the console tail, and stays failed', async () => {
    const target = new FakeBootTarget();
    const boot = new BootStrategy(target, { now, httpStatus: httpDown, timeoutMs: 60 });
    const p = boot.boot();
    await tick();
    target.print('firmlab-initramfs: switching to firmware /sbin/init\r\nPlease press Enter to activate this console. ');
    const err = await p.catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BootTimeoutError);
    const e = err as BootTimeoutError;
    expect(e.code).to.equal('FIRMLAB_BOOT_TIMEOUT');
    expect(e.consoleTail).to.deep.equal(['firmlab-initramfs: switching to firmware /sbin/init']);
    expect(e.details.waitingFor).to.equal('webUiReady');
    expect(e.message).to.include('switching to firmware');
    expect(boot.state).to.equal('failed');
    expect(await boot.boot().catch((x: unknown) => x)).to.equal(err);
    await boot.stop();
    expect(boot.state).to.equal('failed');
  });

  it('fails with FIRMLAB_EMULATOR_EXITED when QEMU exits during boot', async () => {
    const target = new FakeBootTarget();
    const boot = new BootStrategy(target, { now, httpStatus: httpDown, timeoutMs: 5000 });
    const p = boot.boot();
    await tick();
    target.print('firmlab-initramfs: ERROR: cannot mount /dev/vda as squashfs root\r\n');
    await tick();
    target.die(1, ['qemu-system-aarch64: terminating on signal 15']);
    const err = await p.catch((e: unknown) => e);
    expect(err).to.be.instanceOf(EmulatorExitedError);
    const e = err as EmulatorExitedError;
    expect(e.code).to.equal('FIRMLAB_EMULATOR_EXITED');
    expect(e.exitCode).to.equal(1);
    expect(e.stderrTail).to.deep.equal(['qemu-system-aarch64: terminating on signal 15']);
    expect(e.consoleTail).to.deep.equal(['firmlab-initramfs: ERROR: cannot mount /dev/vda as squashfs root']);
    expect(boot.failure).to.equal(err);
  });

  it('a router that dies after it was ready is failed', async () => {
    const target = new FakeBootTarget();
    const boot = new BootStrategy(target, { now, httpStatus: async () => 200, timeoutMs: 5000 });
    const p = boot.boot();
    await tick();
    target.print('Please press Enter to activate this console. ');
    await p;
    target.die(137, []);
    await tick();
    expect(boot.state).to.equal('failed');
    expect(boot.failure?.code).to.equal('FIRMLAB_EMULATOR_EXITED');
  });

  it('a custom marker replaces busybox askfirst', async () => {
    const target = new FakeBootTarget();
    const boot = new BootStrategy(target, { now, httpStatus: async () => 200, marker: /^login:/, timeoutMs: 5000 });
    const p = boot.boot();
    await tick();
    target.print('login: ');
    await p;
    expect(boot.state).to.equal('ready');
  });
});
