import { expect } from 'chai';
import { ARCH_TABLE, kernelFor, kernelNamed } from '../../../harness/emulator/arch-table.js';
import { KERNELS } from '../../../harness/scenario/scenario-schema.js';

describe('arch table', () => {
  it('a scenario can name every kernel of the table, and only those (scenario-schema KERNELS)', () => {
    expect([...KERNELS].sort()).to.deep.equal(ARCH_TABLE.map((k) => k.name).sort());
  });

  const cases: { userland: string; preferred?: string; kernel?: string; code?: string }[] = [
    { userland: 'armhf', kernel: 'arm64' },
    { userland: 'armel', kernel: 'arm64' },
    { userland: 'arm64', kernel: 'arm64' },
    { userland: 'armhf', preferred: 'armhf', kernel: 'armhf' },
    { userland: 'armhf', preferred: 'arm64-virt', kernel: 'arm64-virt' },
    { userland: 'arm64', preferred: 'arm64-virt', kernel: 'arm64-virt' },
    { userland: 'arm64', preferred: 'armhf', code: 'FIRMLAB_UNSUPPORTED_ARCH' },
    { userland: 'mips', kernel: 'malta-be' },
    { userland: 'mips', preferred: 'arm64', code: 'FIRMLAB_UNSUPPORTED_ARCH' },
    { userland: 'mipsel', kernel: 'malta-le' },
    { userland: 'mipsel', preferred: 'malta-be', code: 'FIRMLAB_UNSUPPORTED_ARCH' },
    { userland: 'mips64', code: 'FIRMLAB_UNSUPPORTED_ARCH' },
    { userland: 'armhf', preferred: 'riscv', code: 'FIRMLAB_UNSUPPORTED_ARCH' },
  ];
  for (const c of cases) {
    it(`${c.userland}${c.preferred ? ` on ${c.preferred}` : ''} -> ${c.kernel ?? c.code}`, () => {
      if (c.kernel) expect(kernelFor(c.userland, c.preferred).name).to.equal(c.kernel);
      else expect(() => kernelFor(c.userland, c.preferred)).to.throw().with.property('code', c.code);
    });
  }

  it('Debian\'s ARM kernels boot ARM virt with their own QEMU and an initramfs', () => {
    expect(kernelNamed('arm64')).to.include({ qemuBinary: 'qemu-system-aarch64', cpu: 'cortex-a53', machine: 'virt', console: 'ttyAMA0', bus: 'mmio' });
    expect(kernelNamed('armhf')).to.include({ qemuBinary: 'qemu-system-arm', cpu: 'cortex-a7', machine: 'virt', console: 'ttyAMA0', bus: 'mmio' });
    for (const k of ARCH_TABLE.filter((e) => e.machine === 'virt' && e.name !== 'arm64-virt')) {
      expect(k.kernelPath).to.equal(`/opt/firmlab/${k.name}/vmlinuz`);
      expect(k.initrdPath).to.equal(`/opt/firmlab/${k.name}/initrd.gz`);
    }
  });

  it('arm64-virt boots the monolithic kernel of images/kernel-virt on ARM virt, no initramfs, waiting for its root', () => {
    expect(kernelNamed('arm64-virt')).to.include({
      qemuBinary: 'qemu-system-aarch64', machine: 'virt', cpu: 'cortex-a53', console: 'ttyAMA0', bus: 'mmio', kernelPath: '/opt/firmlab/arm64-virt/Image',
    });
    expect(kernelNamed('arm64-virt').initrdPath).to.equal(undefined);
    expect(kernelNamed('arm64-virt').rootAppend).to.deep.equal(['rootwait']);
  });

  it('the MIPS entry boots malta over PCI with the monolithic kernel of images/kernel-malta', () => {
    expect(kernelNamed('malta-be')).to.include({
      qemuBinary: 'qemu-system-mips', machine: 'malta', cpu: '24Kc', console: 'ttyS0', bus: 'pci',
      kernelPath: '/opt/firmlab/malta-be/vmlinux',
    });
    expect(kernelNamed('malta-be').initrdPath).to.equal(undefined);
    expect(kernelNamed('malta-le')).to.include({ qemuBinary: 'qemu-system-mipsel', machine: 'malta', kernelPath: '/opt/firmlab/malta-le/vmlinux', bus: 'pci' });
  });
});
