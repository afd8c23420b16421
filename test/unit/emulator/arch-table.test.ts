import { expect } from 'chai';
import { ARCH_TABLE, kernelFor, kernelNamed } from '../../../harness/emulator/arch-table.js';

describe('arch table', () => {
  const cases: { userland: string; preferred?: string; kernel?: string; code?: string }[] = [
    { userland: 'armhf', kernel: 'arm64' },
    { userland: 'armel', kernel: 'arm64' },
    { userland: 'arm64', kernel: 'arm64' },
    { userland: 'armhf', preferred: 'armhf', kernel: 'armhf' },
    { userland: 'arm64', preferred: 'armhf', code: 'FIRMLAB_UNSUPPORTED_ARCH' },
    { userland: 'mipsel', code: 'FIRMLAB_UNSUPPORTED_ARCH' },
    { userland: 'armhf', preferred: 'riscv', code: 'FIRMLAB_UNSUPPORTED_ARCH' },
  ];
  for (const c of cases) {
    it(`${c.userland}${c.preferred ? ` on ${c.preferred}` : ''} -> ${c.kernel ?? c.code}`, () => {
      if (c.kernel) expect(kernelFor(c.userland, c.preferred).name).to.equal(c.kernel);
      else expect(() => kernelFor(c.userland, c.preferred)).to.throw().with.property('code', c.code);
    });
  }

  it('every entry boots ARM virt with its own QEMU and the image paths of its kernel', () => {
    expect(kernelNamed('arm64')).to.include({ qemuBinary: 'qemu-system-aarch64', cpu: 'cortex-a53', machine: 'virt', console: 'ttyAMA0' });
    expect(kernelNamed('armhf')).to.include({ qemuBinary: 'qemu-system-arm', cpu: 'cortex-a7', machine: 'virt', console: 'ttyAMA0' });
    for (const k of ARCH_TABLE) {
      expect(k.kernelPath).to.equal(`/opt/firmlab/${k.name}/vmlinuz`);
      expect(k.initrdPath).to.equal(`/opt/firmlab/${k.name}/initrd.gz`);
    }
  });
});
