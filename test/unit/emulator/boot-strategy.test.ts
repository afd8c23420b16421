import { expect } from 'chai';
import { BootStrategy } from '../../../harness/emulator/boot-strategy.js';
import { BootTimeoutError, EmulatorExitedError, GuestPanicError } from '../../../harness/emulator/emulator-errors.js';
import { FakeBootTarget, tick } from './fake-boot-target.js';
import { fakeAsh } from './fake-serial.js';

/** The fixture profile's readiness: busybox askfirst AND the web UI. */
const askfirst = { console: /Please press Enter to activate this console\./, http: '/' };

describe('BootStrategy', () => {
  let clock = 0;
  const now = () => clock;
  const httpDown = () => Promise.reject(new Error('ECONNREFUSED'));

  it('is ready after the console marker AND an HTTP answer, recording each phase', async () => {
    const target = new FakeBootTarget();
    let webUp = false;
    const boot = new BootStrategy(target, { now, ready: askfirst, httpStatus: async () => { if (!webUp) throw new Error('down'); return 403; }, timeoutMs: 5000 });
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
    expect(boot.phases).to.deep.equal({ containerStartedMs: 0, kernelUpMs: 100, consoleMarkerMs: 2500, webUiReadyMs: 2700, readyMs: 2700, readyBy: ['consoleMarker', 'webUiReady'] });
    await boot.stop();
    expect(boot.state).to.equal('stopped');
    expect(target.stopped).to.equal(true);
  });

  it('fails with FIRMLAB_BOOT_TIMEOUT carrying the console tail, and stays failed', async () => {
    const target = new FakeBootTarget();
    const boot = new BootStrategy(target, { now, ready: askfirst, httpStatus: httpDown, timeoutMs: 60 });
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
    const boot = new BootStrategy(target, { now, ready: askfirst, httpStatus: httpDown, timeoutMs: 5000 });
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
    const boot = new BootStrategy(target, { now, ready: askfirst, httpStatus: async () => 200, timeoutMs: 5000 });
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
    const boot = new BootStrategy(target, { now, httpStatus: async () => 200, ready: { console: /^login:/, http: '/' }, timeoutMs: 5000 });
    const p = boot.boot();
    await tick();
    target.print('login: ');
    await p;
    expect(boot.state).to.equal('ready');
  });

  it('times the firmware init whichever program the kernel runs (OpenWrt boots /etc/preinit)', async () => {
    clock = 0;
    const target = new FakeBootTarget();
    const boot = new BootStrategy(target, { now, ready: { http: '/' }, httpStatus: async () => 200, timeoutMs: 5000 });
    const p = boot.boot();
    await tick();
    clock = 300;
    target.print('Linux version 6.1.192 (root@x) #1\r\n');
    await tick();
    clock = 4200;
    target.print('Run /etc/preinit as init process\r\n');
    await p;
    expect(boot.phases.kernelUpMs).to.equal(300);
    expect(boot.phases.initStartedMs).to.equal(4200);
  });

  it('is ready on the web UI alone when the profile names no console line, and says so', async () => {
    const target = new FakeBootTarget();
    let webUp = false;
    const boot = new BootStrategy(target, { now, ready: { http: '/' }, httpStatus: async () => { if (!webUp) throw new Error('down'); return 403; }, timeoutMs: 5000 });
    const p = boot.boot();
    await tick();
    expect(boot.state).to.equal('booting');
    webUp = true;
    await p;
    expect(boot.phases.readyBy).to.deep.equal(['webUiReady']);
    expect(boot.phases.consoleMarkerMs).to.equal(undefined);
  });

  it('a restoring target is ready once resumed and its web UI answers, without waiting for a boot marker', async () => {
    let resumed!: () => void;
    const target = Object.assign(new FakeBootTarget(), {
      restoring: true,
      resume: () => new Promise<void>((r) => (resumed = r)),
    });
    let webUp = false;
    clock = 0;
    const boot = new BootStrategy(target, { now, ready: askfirst, httpStatus: async () => { if (!webUp) throw new Error('down'); return 200; }, timeoutMs: 5000 });
    const p = boot.boot();
    await tick();
    webUp = true;
    clock = 300;
    await tick(20);
    expect(boot.state, 'not ready before QEMU let the VM run').to.equal('booting');
    clock = 400;
    resumed();
    await p;
    expect(boot.phases.readyBy).to.deep.equal(['restored', 'webUiReady']);
    expect(boot.phases).to.include({ restoredMs: 400, readyMs: 400 });
    expect(boot.phases.consoleMarkerMs).to.equal(undefined);
    expect(boot.phases.kernelUpMs, 'a restored router prints no boot').to.equal(undefined);
  });

  it('a restore QEMU cannot load fails the boot with its reason', async function () {
    this.timeout(5000); // a failed wait first gives the emulator 2 s to show it died
    const target = Object.assign(new FakeBootTarget(), {
      restoring: true,
      resume: () => Promise.reject(Object.assign(new Error('loading the saved state failed: load of migration failed'), { code: 'FIRMLAB_QMP' })),
    });
    const boot = new BootStrategy(target, { now, ready: askfirst, httpStatus: async () => 200, timeoutMs: 5000 });
    const e = await boot.boot().catch((x: unknown) => x);
    expect((e as Error).message).to.match(/load of migration failed/);
    expect(boot.state).to.equal('failed');
  });

  it('with neither web UI nor console line, waits for the first packet the target reports', async () => {
    const target = new FakeBootTarget();
    let sent!: () => void;
    const packet = new Promise<void>((r) => (sent = r));
    Object.assign(target, { firstPacket: () => packet });
    const boot = new BootStrategy(target, { now, ready: {}, httpStatus: async () => 200, timeoutMs: 5000 });
    const p = boot.boot();
    await tick();
    target.print('Please press Enter to activate this console. ');
    await tick();
    expect(boot.state, 'a console line or web answer is not what this firmware promised').to.equal('booting');
    sent();
    await p;
    expect(boot.phases.readyBy).to.deep.equal(['firstPacket']);
  });

  it('refuses a router with no readiness at all and no packet watch (FIRMLAB_BOOT_NO_READINESS)', () => {
    expect(() => new BootStrategy(new FakeBootTarget(), { now, ready: {}, httpStatus: async () => 200 }))
      .to.throw().with.property('code', 'FIRMLAB_BOOT_NO_READINESS');
  });

  it('fails at once with FIRMLAB_GUEST_PANIC on a kernel panic instead of waiting out a reboot loop', async () => {
    const target = new FakeBootTarget();
    const boot = new BootStrategy(target, { now, ready: askfirst, httpStatus: httpDown, timeoutMs: 60_000 });
    const p = boot.boot();
    await tick();
    target.print('[    1.200000] VFS: Cannot open root device "vda"\r\n');
    target.print('[    1.210000] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r\n');
    const err = await p.catch((e: unknown) => e);
    expect(err).to.be.instanceOf(GuestPanicError);
    const e = err as GuestPanicError;
    expect(e.code).to.equal('FIRMLAB_GUEST_PANIC');
    expect(e.message).to.include('Unable to mount root fs');
    expect(e.consoleTail[0]).to.include('Cannot open root device');
    expect(boot.state).to.equal('failed');
  });

  it('a panic after ready fails the router', async () => {
    const target = new FakeBootTarget();
    const boot = new BootStrategy(target, { now, ready: askfirst, httpStatus: async () => 200, timeoutMs: 5000 });
    const p = boot.boot();
    await tick();
    target.print('Please press Enter to activate this console. ');
    await p;
    target.print('\r\nKernel panic - not syncing: Attempted to kill init!\r\n');
    await tick();
    expect(boot.state).to.equal('failed');
    expect(boot.failure?.code).to.equal('FIRMLAB_GUEST_PANIC');
  });

  describe('reboot', () => {
    /** A router whose shell answers commands; typing `reboot` restarts it (the test prints the new boot). */
    function rebootingRouter() {
      let target!: FakeBootTarget;
      const ash = fakeAsh(() => ({ out: '', status: 0 }));
      target = new FakeBootTarget((line) => (line === 'reboot' ? 'reboot\r\n' : ash(line)));
      return target;
    }

    async function readyRouter(httpStatus: (url: string) => Promise<number>) {
      const target = rebootingRouter();
      const boot = new BootStrategy(target, { now, ready: askfirst, httpStatus, timeoutMs: 5000 });
      const p = boot.boot();
      await tick();
      target.print('Please press Enter to activate this console. ');
      await p;
      return { target, boot };
    }

    it('types reboot after a working shell command, then waits for a new kernel, marker and web UI', async () => {
      let webUp = true;
      const { target, boot } = await readyRouter(async () => { if (!webUp) throw new Error('down'); return 200; });
      clock = 10_000;
      const r = boot.reboot();
      await tick(20);
      expect(target.serial.typed.at(-1)).to.equal('reboot');
      expect(target.serial.typed.some((l) => l.includes("eval 'sync'"))).to.equal(true);
      expect(boot.state).to.equal('booting');
      webUp = false;
      clock = 10_300;
      target.print('[    0.000000] Booting Linux on physical CPU 0x0\r\n');
      await tick();
      clock = 13_000;
      target.print('Please press Enter to activate this console. ');
      await tick();
      expect(boot.state).to.equal('booting');
      clock = 13_500;
      webUp = true;
      const phases = await r;
      expect(phases).to.deep.equal({ kernelUpMs: 300, consoleMarkerMs: 3000, webUiReadyMs: 3500, readyMs: 3500, readyBy: ['consoleMarker', 'webUiReady'] });
      expect(boot.rebootPhases).to.equal(phases);
      expect(boot.state).to.equal('ready');
    });

    it('does not take the previous boot\'s marker or web UI for the new one', async () => {
      const { target, boot } = await readyRouter(async () => 200);
      let done = false;
      const r = boot.reboot().then(() => { done = true; });
      await tick(30);
      expect(done).to.equal(false);
      target.print('Booting Linux on physical CPU 0x0\r\n');
      await tick(30);
      expect(done).to.equal(false);
      target.print('Please press Enter to activate this console. ');
      await r;
      expect(boot.state).to.equal('ready');
    });

    it('fails with FIRMLAB_BOOT_TIMEOUT when the kernel never starts again', async () => {
      const { boot } = await readyRouter(async () => 200);
      const err = await boot.reboot({ timeoutMs: 80 }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(BootTimeoutError);
      expect((err as BootTimeoutError).details.waitingFor).to.equal('the kernel to start again');
      expect(boot.state).to.equal('failed');
    });

    it('fails with FIRMLAB_EMULATOR_EXITED when QEMU ends instead of rebooting', async () => {
      const { target, boot } = await readyRouter(async () => 200);
      const r = boot.reboot();
      await tick(20);
      target.die(0, ['qemu-system-aarch64: guest requested reboot']);
      const err = await r.catch((e: unknown) => e);
      expect(err).to.be.instanceOf(EmulatorExitedError);
      expect(boot.state).to.equal('failed');
    });

    it('refuses a router that is not ready', async () => {
      const boot = new BootStrategy(new FakeBootTarget(), { now, ready: askfirst, httpStatus: httpDown });
      const err = await boot.reboot().catch((e: unknown) => e);
      expect((err as { code?: string }).code).to.equal('FIRMLAB_BOOT_NOT_READY');
    });
  });
});
