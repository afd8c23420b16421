import { expect } from 'chai';
import { parseSquashfsSuperblock, squashfsProblem } from '../../../harness/firmware/formats/squashfs-superblock.js';
import { clearXzCompressorOptions, XZ_OPTIONS_ADJUSTMENT } from '../../../harness/firmware/formats/squashfs-comp-opts.js';
import { buildSquashfsSuperblock } from './helpers/firmware-bytes.js';

/** A big-endian squashfs 3.x superblock (squashfs-tools 3.x layout, packed). */
function v3be(o: { blockLog?: number; blockSize?: number; bytesUsed?: number; inodes?: number } = {}): Buffer {
  const b = Buffer.alloc(128);
  b.write('sqsh', 0, 'latin1');
  b.writeUInt32BE(o.inodes ?? 40, 4);
  b.writeUInt16BE(3, 28);
  b.writeUInt16BE(1, 30);
  b.writeUInt16BE(o.blockLog ?? 16, 34);
  b.writeUInt32BE(o.blockSize ?? 65536, 51);
  b.writeBigUInt64BE(BigInt(o.bytesUsed ?? 100_000), 63);
  return b;
}

const v4 = (edit: (b: Buffer) => void = () => {}) => {
  const b = buildSquashfsSuperblock(4, 8192);
  edit(b);
  return b;
};

describe('squashfs superblock checks', () => {
  const cases: [string, Buffer, RegExp | undefined][] = [
    ['a v4 xz superblock', v4(), undefined],
    ['a v3 big-endian superblock', v3be(), undefined],
    ['no magic', v4((b) => b.write('hsqx', 0, 'latin1')), /no squashfs magic/],
    ['major 5', v4((b) => b.writeUInt16LE(5, 28)), /not 3.x or 4.0/],
    ['block_size not 1 << block_log', v4((b) => b.writeUInt16LE(16, 22)), /block_size 131072 is not 1 << block_log \(16\)/],
    ['a v3 block_size not 1 << block_log', v3be({ blockLog: 15 }), /block_log \(15\)/],
    ['an unknown compressor id', v4((b) => b.writeUInt16LE(9, 20)), /compression id unknown\(9\)/],
    ['no inodes', v4((b) => b.writeUInt32LE(0, 4)), /inode count 0/],
    ['more inodes than bytes', v4((b) => b.writeUInt32LE(9000, 4)), /inode count 9000 is implausible for 8192/],
    ['bytes_used below a superblock', v4((b) => b.writeBigUInt64LE(50n, 40)), /bytes_used 50/],
  ];
  for (const [name, bytes, problem] of cases) {
    it(`${name}: ${problem ? 'refused' : 'accepted'}`, () => {
      const got = squashfsProblem(parseSquashfsSuperblock(bytes));
      if (problem) expect(got).to.match(problem);
      else expect(got).to.equal(undefined);
    });
  }

  it('reads the v4 flags, block_log and bytes_used, and the v3 big-endian fields', () => {
    expect(parseSquashfsSuperblock(v4((b) => b.writeUInt16LE(0x06c0, 24)))).to.include({ flags: 0x06c0, blockLog: 17, bytesUsed: 8192, compression: 'xz' });
    expect(parseSquashfsSuperblock(v3be())).to.include({ endian: 'big', major: 3, blockLog: 16, blockSize: 65536, bytesUsed: 100_000, compression: 'gzip' });
  });
});

describe('clearing the xz compressor-options flag', () => {
  const cases: [string, Buffer, boolean][] = [
    ['xz with flag 0x0400 (OpenWrt)', v4((b) => b.writeUInt16LE(0x06c0, 24)), true],
    ['xz without the flag', v4((b) => b.writeUInt16LE(0x02c0, 24)), false],
    ['gzip with the flag (mainline reads gzip options)', buildSquashfsSuperblock(1, 8192).fill(0, 24, 26).fill(0x04, 25, 26), false],
    ['not a squashfs', Buffer.alloc(96), false],
  ];
  for (const [name, bytes, changes] of cases) {
    it(`${name}: ${changes ? 'cleared, recorded' : 'left alone'}`, () => {
      const before = Buffer.from(bytes);
      const note = clearXzCompressorOptions(bytes);
      if (changes) {
        expect(note).to.equal(XZ_OPTIONS_ADJUSTMENT);
        expect(bytes.readUInt16LE(24)).to.equal(0x02c0);
        expect(bytes.subarray(26).equals(before.subarray(26)), 'only the flags change').to.equal(true);
      } else {
        expect(note).to.equal(undefined);
        expect(bytes.equals(before)).to.equal(true);
      }
    });
  }
});
