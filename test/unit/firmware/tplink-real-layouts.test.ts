import { expect } from 'chai';
import { describeFirmware } from '../../../harness/firmware/identify-firmware.js';
import { buildSquashfsSuperblock, buildTplinkImage, buildUImage } from './helpers/firmware-bytes.js';
import { codeOf } from './helpers/code-of.js';

/**
 * The layouts real OpenWrt builds have (mktplinkfw -a 4 and -s): the rootfs
 * right after the kernel while the header keeps the layout's rootfs_ofs, and
 * sysupgrade images shorter than fw_length.
 */
const kernel = buildUImage('MIPS OpenWrt Linux-3.18.23', Buffer.alloc(3001, 7), { arch: 5 });
const rootfs = buildSquashfsSuperblock(4, 12_288);
const openwrt = (o: { strip?: boolean } = {}) => buildTplinkImage({ kernel, rootfs, rootfsAfterKernel: true, fwLength: 0x20000, ...o });
const describe_ = (bytes: Buffer) => describeFirmware({ path: 'owrt.bin', bytes });

describe('TP-Link v1: the rootfs found by its superblock', () => {
  it('uses the superblock after the kernel when the header offset holds none, and says so', () => {
    const img = describe_(openwrt());
    const root = img.parts.find((p) => p.kind === 'rootfs')!;
    const after = 0x200 + kernel.length + ((4 - (kernel.length % 4)) % 4);
    expect(root).to.include({ offset: after, length: 12_288, type: 'squashfs-xz' });
    expect(root.details).to.include({ offsetSource: 'superblock-scan', headerOffset: 0x10000, headerLength: 12_288 });
    expect(root.details!.note).to.equal(`header says rootfs at 0x10000 but no squashfs superblock there; found one at 0x${after.toString(16)} right after the kernel`);
    expect(img.checksum.status).to.equal('ok');
    expect(img.notes).to.equal(undefined);
  });

  it('believes the header when its offset holds a good superblock', () => {
    const img = describe_(buildTplinkImage({ kernel, rootfs }));
    expect(img.parts[1]!.details).to.include({ offsetSource: 'header' });
    expect(img.parts[1]!.details!.note).to.equal(undefined);
  });

  it('keeps the header part (not squashfs) when no superblock is anywhere', () => {
    const img = describe_(buildTplinkImage({ kernel, rootfs: Buffer.alloc(8192, 0x33), rootfsAfterKernel: true, fwLength: 0x20000 }));
    expect(img.parts[1]).to.include({ kind: 'rootfs', offset: 0x10000, type: 'unknown' });
  });
});

describe('TP-Link v1: sysupgrade images (fw_length longer than the file)', () => {
  it('accepts one whose kernel and rootfs are whole; the md5 checks out over the file', () => {
    const b = openwrt({ strip: true });
    expect(b.length).to.be.lessThan(0x20000);
    const img = describe_(b);
    expect(img.checksum).to.include({ status: 'ok', coveredBytes: b.length });
    expect(img.checksum.note).to.contain(`md5 over the file's ${b.length} bytes`);
    expect(img.notes).to.deep.equal([`sysupgrade image: fw_length ${0x20000} longer than the file ${b.length}; kernel and rootfs are whole`]);
  });

  it('calls the digest unverifiable when a factory image is cut in its padding', () => {
    const full = openwrt();
    const cut = full.subarray(0, full.length - 0x1000);
    const img = describe_(cut);
    expect(img.checksum.status).to.equal('unverifiable');
    expect(img.notes![0]).to.match(/^shorter than its header says: fw_length 131072 longer than the file/);
  });

  const truncations: [string, (b: Buffer) => Buffer, string][] = [
    ['cut inside the squashfs', (b) => b.subarray(0, b.length - 100), 'FIRMLAB_FIRMWARE_TRUNCATED'],
    ['cut inside the kernel', (b) => b.subarray(0, 0x400), 'FIRMLAB_FIRMWARE_TRUNCATED'],
    ['whole', (b) => b, 'no error'],
  ];
  for (const [name, cut, code] of truncations) {
    it(`a sysupgrade image ${name} -> ${code}`, () => {
      expect(codeOf(() => describe_(cut(openwrt({ strip: true }))))).to.equal(code);
    });
  }
});
