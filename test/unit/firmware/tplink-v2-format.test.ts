import { expect } from 'chai';
import { describeFirmware } from '../../../harness/firmware/identify-firmware.js';
import { parseTplinkV2Header } from '../../../harness/firmware/formats/tplink-v2-header.js';
import { signTplinkImage } from '../../../harness/firmware/formats/tplink-v1-md5.js';
import { buildSquashfsSuperblock, buildUImage } from './helpers/firmware-bytes.js';
import { buildTplinkV2Image } from './helpers/tplink-v2-bytes.js';
import { codeOf } from './helpers/code-of.js';

const kernel = buildUImage('MIPS Linux-2.6.36', Buffer.alloc(5000, 3), { arch: 5, comp: 3 });
const rootfs = buildSquashfsSuperblock(4, 16_384);
const describe_ = (bytes: Buffer) => describeFirmware({ path: 'wr841nv14.bin', bytes });

describe('TP-Link v2 header (mktplinkfw2, header version 3)', () => {
  it('reads model, versions and part offsets at the mktplinkfw2 offsets', () => {
    const h = parseTplinkV2Header(buildTplinkV2Image({ kernel, rootfs }));
    expect(h).to.include({ headerVersion: 3, versionString: 'ver. 2.0', hwId: '0x08410014', hwRev: 0x283, hwVerAdd: 0x14, softwareVersion: '1.0' });
    expect([h.verHi, h.verMid, h.verLo]).to.deep.equal([0, 9, 1]);
    expect(h).to.include({ fwLength: 0x3c0000, kernelOffset: 0x200, kernelLength: kernel.length, rootfsOffset: 0x140000, rootfsLength: 16_384 });
    expect(h).to.include({ kernelLoadAddress: '0x80000000', flashLayout: '4Mmtk', soc: 'mediatek', vendor: '' });
  });

  it('names no layout when fw_length matches none', () => {
    expect(parseTplinkV2Header(buildTplinkV2Image({ kernel, rootfs, fwLength: 0x300000 })).flashLayout).to.equal(undefined);
  });
});

describe('tplink-v2 format', () => {
  it('describes parts and checks md5sum1 with mktplinkfw2 salt', () => {
    const img = describe_(buildTplinkV2Image({ kernel, rootfs }));
    expect(img.format).to.equal('tplink-v2');
    expect(img.checksum).to.include({ status: 'ok', algorithm: 'md5 (mktplinkfw2 salt)' });
    expect(img.parts.map((p) => [p.kind, p.type, p.offset])).to.deep.equal([['kernel', 'uimage', 0x200], ['rootfs', 'squashfs-xz', 0x140000]]);
    expect(img.kernelVersion).to.equal('2.6.36');
    expect(img.header?.versionString).to.equal('ver. 2.0');
  });

  it('says bad when the digest was made with mktplinkfw (v1) salt', () => {
    const b = buildTplinkV2Image({ kernel, rootfs });
    signTplinkImage(b, b.length, { offset: 0x40 });
    expect(describe_(b).checksum.status).to.equal('bad');
  });

  it('finds the rootfs of a combined (-c) image inside the kernel part', () => {
    const img = describe_(buildTplinkV2Image({ kernel, rootfs, combined: true }));
    const root = img.parts.find((p) => p.kind === 'rootfs')!;
    expect(root).to.include({ offset: 0x200 + kernel.length, type: 'squashfs-xz', length: 16_384 });
    expect(root.details!.note).to.match(/^the header declares no rootfs part; found one at 0x[0-9a-f]+ inside the kernel part/);
  });

  it('is not claimed without the 0x55aa / 0xa5 constants (mktplinkfw -m 2 writes 02 00 00 00 too)', () => {
    expect(codeOf(() => describe_(buildTplinkV2Image({ kernel, rootfs, headerVersion: 2, noMagic: true })))).to.equal('FIRMLAB_FIRMWARE_UNKNOWN_FORMAT');
  });

  it('raises the stable codes for a cut header, a cut rootfs and an oversized part', () => {
    const b = buildTplinkV2Image({ kernel, rootfs });
    expect(codeOf(() => describe_(b.subarray(0, 0x100)))).to.equal('FIRMLAB_FIRMWARE_TRUNCATED');
    expect(codeOf(() => describe_(b.subarray(0, 0x140000 + 1000)))).to.equal('FIRMLAB_FIRMWARE_TRUNCATED');
    const huge = Buffer.from(b);
    huge.writeUInt32BE(0xfffff000, 0x80);
    expect(codeOf(() => describe_(huge))).to.equal('FIRMLAB_FIRMWARE_TOO_LARGE');
  });
});
