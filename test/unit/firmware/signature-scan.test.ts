import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { formatSignatures, scanSignatures, signatureAt } from '../../../harness/firmware/signature-scan.js';
import { describeFirmware } from '../../../harness/firmware/identify-firmware.js';
import { FirmlabError } from '../../../harness/errors.js';
import { buildElfHeader, buildSquashfsSuperblock, buildUImage } from './helpers/firmware-bytes.js';

function fdt(): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0xd00dfeed, 0);
  b.writeUInt32BE(64, 4);
  b.writeUInt32BE(17, 20);
  return b;
}
const lzma = Buffer.from('5d000080000000400000000000', 'hex'); // props 0x5d, 8 MiB dict, 4 MiB out
const xz = Buffer.from('fd377a585a000004e6d6b446', 'hex');

/** Noise (a byte no signature starts with) with one thing planted at 0x1000. */
function planted(what: Buffer): Buffer {
  const b = Buffer.alloc(0x3000, 0xee);
  what.copy(b, 0x1000);
  return b;
}

describe('signature scan', () => {
  const cases: [string, Buffer, string | undefined][] = [
    ['squashfs (xz)', buildSquashfsSuperblock(4, 4096).subarray(0, 96), 'squashfs-xz'],
    ['a uImage', buildUImage('Linux-6.1', Buffer.alloc(10)), 'uimage'],
    ['an LZMA kernel header', lzma, 'lzma'],
    ['gzip', gzipSync(Buffer.from('hello')), 'gzip'],
    ['xz', xz, 'xz'],
    ['ELF', buildElfHeader({ bits: 32, endian: 'big', machine: 8 }), 'elf'],
    ['a device tree', fdt(), 'fdt'],
    ['a bare squashfs magic (superblock fails its checks)', Buffer.from('hsqs'), undefined],
    ['gzip magic with reserved flag bits set', Buffer.from('1f8b08e0000000000000', 'hex'), undefined],
    ['an LZMA-looking header with an absurd size', Buffer.from('5d0000800000000000000000ff', 'hex'), undefined],
    ['a device-tree magic with a size past the end', fdt().fill(0xff, 4, 8), undefined],
  ];
  for (const [name, bytes, expected] of cases) {
    it(`${name} -> ${expected ?? 'nothing'}`, () => {
      const hits = scanSignatures(planted(bytes));
      expect(hits).to.deep.equal(expected ? [{ name: expected, offset: 0x1000 }] : []);
      expect(signatureAt(planted(bytes), 0x1000)).to.equal(expected);
    });
  }

  it('finds a zImage by its magic at 0x24 and reports where the zImage starts', () => {
    const z = Buffer.alloc(0x40);
    z.writeUInt32LE(0x016f2818, 0x24);
    expect(scanSignatures(planted(z))).to.deep.equal([{ name: 'zimage', offset: 0x1000 }]);
  });

  it('sorts by offset, caps the list, and formats it for messages', () => {
    const b = Buffer.alloc(0x10000, 0xee);
    for (let i = 0; i < 40; i++) xz.copy(b, 0x100 + i * 0x100);
    buildUImage('x', Buffer.alloc(4)).copy(b, 0x80);
    const hits = scanSignatures(b, 5);
    expect(hits).to.have.length(5);
    expect(hits[0]).to.deep.equal({ name: 'uimage', offset: 0x80 });
    expect(formatSignatures(hits.slice(0, 2))).to.equal('uimage at 0x80, xz at 0x100');
    expect(formatSignatures([])).to.equal('no known signatures');
  });

  it('an unknown format lists what the scan found, with the existing code', () => {
    const b = planted(buildSquashfsSuperblock(4, 4096).subarray(0, 96));
    buildUImage('Linux-6.1', Buffer.alloc(10)).copy(b, 0x200);
    try {
      describeFirmware({ path: 'blob.bin', bytes: b });
      expect.fail('should throw');
    } catch (e) {
      expect((e as FirmlabError).code).to.equal('FIRMLAB_FIRMWARE_UNKNOWN_FORMAT');
      expect((e as Error).message).to.contain('found: uimage at 0x200, squashfs-xz at 0x1000');
      expect((e as FirmlabError).details.found).to.deep.equal([{ name: 'uimage', offset: 0x200 }, { name: 'squashfs-xz', offset: 0x1000 }]);
    }
  });
});
