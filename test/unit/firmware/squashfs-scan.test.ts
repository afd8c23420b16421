import { expect } from 'chai';
import { scanForSquashfs } from '../../../harness/firmware/formats/squashfs-scan.js';
import { buildSquashfsSuperblock } from './helpers/firmware-bytes.js';

/** Noise with superblocks (or bare magics) planted at given offsets. */
function image(size: number, plant: [number, Buffer][]): Buffer {
  const b = Buffer.alloc(size, 0x5a);
  for (const [at, what] of plant) what.copy(b, at);
  return b;
}
const good = buildSquashfsSuperblock(4, 4096).subarray(0, 96);
const magicOnly = Buffer.from('hsqs');

describe('squashfs superblock scan', () => {
  const cases: [string, Buffer, { from: number; to: number; maxCandidates?: number }, number | undefined][] = [
    ['a superblock on 4-byte alignment', image(20_000, [[0x1004, good]]), { from: 0x200, to: 20_000 }, 0x1004],
    ['skips a bare magic, finds the real one after it', image(20_000, [[0x800, magicOnly], [0x2000, good]]), { from: 0, to: 20_000 }, 0x2000],
    ['ignores a superblock off alignment', image(20_000, [[0x1002, good]]), { from: 0, to: 20_000 }, undefined],
    ['does not look before `from`', image(20_000, [[0x100, good]]), { from: 0x200, to: 20_000 }, undefined],
    ['does not look at or past `to`', image(20_000, [[0x3000, good]]), { from: 0, to: 0x3000 }, undefined],
    ['stops after maxCandidates magic hits', image(20_000, [[0x100, magicOnly], [0x200, magicOnly], [0x300, good]]), { from: 0, to: 20_000, maxCandidates: 2 }, undefined],
  ];
  for (const [name, bytes, o, expected] of cases) {
    it(`${name} -> ${expected === undefined ? 'nothing' : `0x${expected.toString(16)}`}`, () => {
      const r = scanForSquashfs(bytes, o);
      expect(r.hit?.offset).to.equal(expected);
    });
  }

  it('says why each rejected candidate was refused', () => {
    const r = scanForSquashfs(image(20_000, [[0x800, magicOnly], [0x2000, good]]), { from: 0, to: 20_000 });
    expect(r.rejected).to.have.length(1);
    expect(r.rejected[0]).to.include({ offset: 0x800 });
    expect(r.rejected[0]!.reason).to.match(/not 3.x or 4.0/);
    expect(r.hit!.superblock).to.include({ compression: 'xz', bytesUsed: 4096 });
  });
});
