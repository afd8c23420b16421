import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { describeFirmware } from '../../../harness/firmware/identify-firmware.js';
import { parseTplinkV1Header } from '../../../harness/firmware/formats/tplink-v1-header.js';
import { TPLINK_MD5_SALT, computeTplinkMd5 } from '../../../harness/firmware/formats/tplink-v1-md5.js';
import { FirmlabError } from '../../../harness/errors.js';
import { buildSquashfsSuperblock, buildTplinkImage, buildUImage } from './helpers/firmware-bytes.js';
import { codeOf } from './helpers/code-of.js';

const kernel = buildUImage('ARM Linux-6.1.0-13-armmp-lpae', Buffer.alloc(1000, 7));
const rootfs = buildSquashfsSuperblock(4, 8192);
const good = () => buildTplinkImage({ kernel, rootfs, version: 'ver. 1.0.7 FIXTURE', ver: [1, 0, 7] });
const describe_ = (bytes: Buffer, maxBytes?: number) => describeFirmware({ path: 'fw.bin', bytes }, maxBytes);

describe('TP-Link v1 header', () => {
  it('parses the fields at the mktplinkfw offsets', () => {
    const h = parseTplinkV1Header(good());
    expect(h).to.include({ vendor: 'TP-LINK Technologies', versionString: 'ver. 1.0.7 FIXTURE', hwId: '0x05500001', hwRev: 1 });
    expect([h.verHi, h.verMid, h.verLo]).to.deep.equal([1, 0, 7]);
    expect(h).to.include({ kernelOffset: 0x200, kernelLength: kernel.length, rootfsOffset: 0x10000, rootfsLength: 8192 });
    expect(h.fwLength).to.equal(0x10000 + 8192);
    expect(h.regionStrings).to.deep.equal(['EU']);
  });

  it('computes md5sum1 over [0, fw_length) with the salt in the digest field', () => {
    const img = good();
    const copy = Buffer.from(img);
    TPLINK_MD5_SALT.copy(copy, 0x4c);
    const independent = createHash('md5').update(copy).digest('hex');
    expect(computeTplinkMd5(img, img.length).toString('hex')).to.equal(independent);
    expect(img.subarray(0x4c, 0x5c).toString('hex')).to.equal(independent);
  });
});

describe('tplink-v1 format', () => {
  it('describes parts, checksum and the kernel version from the uImage name', () => {
    const img = describe_(good());
    expect(img.format).to.equal('tplink-v1');
    expect(img.checksum.status).to.equal('ok');
    expect(img.parts.map((p) => [p.kind, p.type, p.offset])).to.deep.equal([
      ['kernel', 'uimage', 0x200],
      ['rootfs', 'squashfs-xz', 0x10000],
    ]);
    expect(img.parts[0]!.details).to.include({ name: 'ARM Linux-6.1.0-13-armmp-lpae', arch: 'arm', headerCrcOk: true, dataCrcOk: true });
    expect(img.kernelVersion).to.equal('6.1.0-13-armmp-lpae');
    expect(img.filesystem).to.deep.equal({ type: 'squashfs', compression: 'xz' });
  });

  it('reports a bad checksum as a verdict with expected and actual digests', () => {
    const b = good();
    b[0x10000 + 200] ^= 0xff;
    const img = describe_(b);
    expect(img.checksum.status).to.equal('bad');
    expect(img.checksum.expected).to.not.equal(img.checksum.actual);
  });

  it('ignores bytes after fw_length for the checksum', () => {
    expect(describe_(Buffer.concat([good(), Buffer.alloc(100, 1)])).checksum.status).to.equal('ok');
  });

  it('raises stable codes for truncation, lengths past the end and oversized parts', () => {
    const b = good();
    expect(codeOf(() => describe_(b.subarray(0, 300)))).to.equal('FIRMLAB_FIRMWARE_TRUNCATED');
    expect(codeOf(() => describe_(b.subarray(0, b.length - 1)))).to.equal('FIRMLAB_FIRMWARE_TRUNCATED');
    const past = Buffer.from(b);
    past.writeUInt32BE(9000, 0x8c); // rootfs_len beyond fw_length
    expect(codeOf(() => describe_(past))).to.equal('FIRMLAB_FIRMWARE_TRUNCATED');
    const tiny = Buffer.from(b);
    tiny.writeUInt32BE(16, 0x7c);
    expect(codeOf(() => describe_(tiny))).to.equal('FIRMLAB_FIRMWARE_TRUNCATED');
    const huge = Buffer.from(b);
    huge.writeUInt32BE(0xfffffff0, 0x8c);
    expect(codeOf(() => describe_(huge))).to.equal('FIRMLAB_FIRMWARE_TOO_LARGE');
    expect(codeOf(() => describe_(b, 4096))).to.equal('FIRMLAB_FIRMWARE_TOO_LARGE');
  });

  it('refuses unknown magic and names what it tried', () => {
    const b = good();
    b.writeUInt32BE(0x02000000, 0);
    try {
      describe_(b);
      expect.fail('should throw');
    } catch (e) {
      expect((e as FirmlabError).code).to.equal('FIRMLAB_FIRMWARE_UNKNOWN_FORMAT');
      expect((e as Error).message).to.contain('fw.bin').and.contain('tplink-v1, squashfs').and.contain('02000000');
    }
  });
});

describe('squashfs format', () => {
  it('accepts a raw squashfs as one rootfs part without a checksum', () => {
    const img = describe_(buildSquashfsSuperblock(6, 4096));
    expect(img.format).to.equal('squashfs');
    expect(img.checksum.status).to.equal('not-applicable');
    expect(img.parts).to.have.length(1);
    expect(img.parts[0]).to.include({ kind: 'rootfs', offset: 0, length: 4096, type: 'squashfs-zstd' });
  });

  it('accepts big-endian sqsh and flags bytes_used past the end', () => {
    const be = Buffer.alloc(200);
    be.write('sqsh', 0, 'latin1');
    be.writeUInt16BE(3, 28);
    expect(describe_(be).parts[0]).to.include({ type: 'squashfs-gzip', length: 200 });
    const short = buildSquashfsSuperblock(4, 4096).subarray(0, 2000);
    expect(codeOf(() => describe_(short))).to.equal('FIRMLAB_FIRMWARE_TRUNCATED');
  });
});
