import { expect } from 'chai';
import { BootStrategy } from '../../../harness/emulator/boot-strategy.js';
import type { Console } from '../../../harness/emulator/console.js';
import { EmulatorExitedError } from '../../../harness/emulator/emulator-errors.js';
import { LAB_WIRING } from '../../../harness/emulator/lab-wiring.js';
import { TinyLab } from './tiny-lab.js';

describe('emulator: a tiny busybox router in the sealed lab', function () {
  this.timeout(600_000);
  const lab = new TinyLab();

  before(async () => {
    await lab.up((l) => process.env.FIRMLAB_VERBOSE && process.stderr.write(`${l}\n`));
  });
  after(() => lab.down());

  // Debian's generic arm64 kernel with our initramfs, and our own monolithic one (images/kernel-virt).
  for (const kernel of ['arm64', 'arm64-virt']) describe(`on the ${kernel} kernel (armhf userland)`, () => {
    let boot: BootStrategy;
    let console: Console;
    let url: string;

    before(async () => {
      const emu = await lab.emulator(kernel, kernel);
      boot = new BootStrategy(emu, { timeoutMs: 90_000, ready: { console: /Please press Enter to activate this console\./, http: '/' } });
      console = await boot.boot();
      url = await emu.webBaseUrl();
      const rss = (await emu.qemuMemory()).rssBytes;
      process.stderr.write(`      ${kernel}: phases ${JSON.stringify(boot.phases)}, QEMU RSS ${(rss / 2 ** 20).toFixed(0)} MiB\n`);
    });

    it('reaches ready: the askfirst marker and the web UI', () => {
      expect(boot.state).to.equal('ready');
      expect(boot.phases.consoleMarkerMs).to.be.a('number');
      expect(boot.phases.webUiReadyMs).to.be.a('number');
    });

    it('gave the guest its root read-only on vda and WAN on eth0, LAN on eth1', async () => {
      const up = await console.waitFor(/tinyroot: up/, 1000, { includeTail: true });
      expect(up.text).to.include(`eth0=${LAB_WIRING.macs.wan}`).and.include(`eth1=${LAB_WIRING.macs.lan}`);
      // A kernel that mounts the root itself names it /dev/root.
      expect(up.text).to.match(/root=\/dev\/(vda|root) \/ squashfs ro/);
    });

    it('serves the web UI at the container address from the host', async () => {
      const res = await fetch(url);
      expect(res.status).to.equal(200);
      expect(await res.text()).to.include('tinyroot web ui');
    });

    it('runs console commands and reads their status', async () => {
      expect(await console.exec('uname -m', { timeoutMs: 20_000 })).to.deep.equal({ output: 'aarch64', exitCode: 0 });
      const r = await console.exec('ls /nonexistent', { timeoutMs: 20_000 });
      expect(r.exitCode).to.not.equal(0);
      expect(r.output).to.include('No such file');
    });

    it('carries the guest DNS query for a made-up resolver to the recorder', async () => {
      for (let i = 0; i < 50 && !lab.datagrams.some((d) => d.bytes.includes('firmlab-probe')); i++) await new Promise((r) => setTimeout(r, 100));
      const probe = lab.datagrams.find((d) => d.bytes.includes('firmlab-probe'));
      expect(probe, 'a datagram carrying the probe name').to.not.equal(undefined);
      expect(probe!.from).to.not.equal(LAB_WIRING.wanGuest);
    });
  });

  describe('on the malta-le kernel (mipsel userland, QEMU malta over PCI)', () => {
    let boot: BootStrategy;
    let console: Console;

    before(async () => {
      const emu = await lab.emulator('mipsel', 'malta-le', await lab.mipselRootfs());
      boot = new BootStrategy(emu, { timeoutMs: 120_000, ready: { console: /Please press Enter to activate this console\./, http: '/' } });
      console = await boot.boot();
      process.stderr.write(`      malta-le: phases ${JSON.stringify(boot.phases)}\n`);
    });

    it('boots the root straight from vda without an initramfs and reaches ready on the web UI and askfirst', async () => {
      expect(boot.state).to.equal('ready');
      expect(boot.phases.initStartedMs, 'the kernel ran the firmware init itself').to.be.a('number');
      const up = await console.waitFor(/tinyroot: up/, 1000, { includeTail: true });
      expect(up.text).to.include('kernel=mips').and.match(/root=\/dev\/root \/ squashfs ro|root=\/dev\/vda \/ squashfs ro/);
      expect(up.text).to.include(`eth0=${LAB_WIRING.macs.wan}`).and.include(`eth1=${LAB_WIRING.macs.lan}`);
    });

    it('is little-endian MIPS and runs console commands', async () => {
      const r = await console.exec('uname -m; printf IJ | od -An -tx2', { timeoutMs: 20_000 });
      expect(r.exitCode).to.equal(0);
      expect(r.output).to.match(/^mips\b/);
      // "IJ" read as one 16-bit word: 0x4a49 on a little-endian CPU, 0x494a on a big-endian one.
      expect(r.output).to.include('4a49');
    });
  });

  describe('counting blocked egress', () => {
    it('counts the guest ping to a documentation address in FIRMLAB_EGRESS', async () => {
      const emu = await lab.emulator('egress');
      const boot = new BootStrategy(emu, { timeoutMs: 90_000 });
      const console = await boot.boot();
      await console.exec('ping -c 2 -W 1 203.0.113.9', { timeoutMs: 20_000 });
      const counters = await emu.egressCounters();
      expect(counters.byProtocol.icmp?.packets).to.be.at.least(2);
    });
  });

  describe('with a sinkhole', () => {
    it('sends other TCP egress of the guest to the sinkhole instead of dropping it', async () => {
      const { createServer } = await import('node:net');
      const seen: string[] = [];
      const server = createServer((s) => { s.once('data', (b) => { seen.push(b.toString('latin1')); s.end(); }); });
      await new Promise<void>((resolve) => server.listen(0, lab.network.gateway, resolve));
      try {
        const port = (server.address() as { port: number }).port;
        const emu = await lab.emulator('sinkhole', 'arm64', lab.rootfs, `${lab.network.gateway}:${port}`);
        const console = await new BootStrategy(emu, { timeoutMs: 90_000 }).boot();
        await console.exec('echo GET-phone-home | nc -w 2 203.0.113.80 443', { timeoutMs: 20_000 });
        expect(seen.join('')).to.include('GET-phone-home');
        expect((await emu.egressCounters()).byProtocol.tcp?.packets).to.equal(0);
      } finally {
        server.close();
      }
    });
  });

  describe('on the armhf (armmp-lpae) kernel', () => {
    it('boots the same root to ready', async () => {
      const emu = await lab.emulator('armhf', 'armhf');
      const boot = new BootStrategy(emu, { timeoutMs: 120_000 });
      const console = await boot.boot();
      process.stderr.write(`      armhf: phases ${JSON.stringify(boot.phases)}, QEMU RSS ${((await emu.qemuMemory()).rssBytes / 2 ** 20).toFixed(0)} MiB\n`);
      expect((await console.exec('uname -m', { timeoutMs: 20_000 })).output).to.equal('armv7l');
    });
  });

  describe('when QEMU dies', () => {
    it('killing QEMU mid-boot fails the boot with FIRMLAB_EMULATOR_EXITED', async () => {
      const emu = await lab.emulator('killed');
      const boot = new BootStrategy(emu, { timeoutMs: 90_000 });
      const booting = boot.boot();
      booting.catch(() => undefined);
      // Once the kernel prints, QEMU is running the guest: stop it from inside the container.
      const first = await (await emu.connectConsole()).waitFor(/\S/, 60_000, { includeTail: true });
      expect(first.text, 'the kernel printed before the kill').to.not.equal('');
      await emu.handle.exec(['bash', '-c', 'kill -TERM 1'], { timeoutMs: 10_000 });
      const err = await booting.catch((e: unknown) => e);
      expect(err).to.be.instanceOf(EmulatorExitedError);
      expect((err as EmulatorExitedError).code).to.equal('FIRMLAB_EMULATOR_EXITED');
      expect((err as EmulatorExitedError).stderrTail.join('\n')).to.match(/terminating on signal 15/);
      expect(boot.state).to.equal('failed');
    });

    it('a root that is not squashfs fails with the initramfs error on the console', async () => {
      const { writeFile } = await import('node:fs/promises');
      const junk = `${lab.dir}/junk.img`;
      await writeFile(junk, Buffer.alloc(65536));
      const emu = await lab.emulator('junkroot', 'arm64', junk);
      const boot = new BootStrategy(emu, { timeoutMs: 90_000 });
      const err = await boot.boot().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(EmulatorExitedError);
      expect((err as EmulatorExitedError).consoleTail.join('\n')).to.include('firmlab-initramfs: ERROR: cannot mount /dev/vda');
    });
  });
});
