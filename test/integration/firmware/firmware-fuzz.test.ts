import { expect } from 'chai';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractFirmware } from '../../../harness/firmware/index.js';
import { FirmlabError } from '../../../harness/errors.js';
import { signTplinkImage } from '../../../harness/firmware/formats/tplink-v1-md5.js';
import { buildSquashfs, snapshot, workDir, wrapTplink } from './helpers/test-firmware.js';
// Seeded, so a failing case can be replayed from its seed and index.
import { seededRandom as rng } from '../../../harness/util/seeded-random.js';


const SEED = 0xf1a7;
const CASES = 300;

/**
 * Mutated headers (some re-signed so they get past the MD5), random
 * truncations and bytes flipped inside the squashfs: the code must only ever
 * throw FirmlabErrors, and write nothing outside its output dir and cache.
 */
describe('firmware fuzz (seeded, bounded)', function () {
  this.timeout(300_000);
  let dir: string;
  let good: Buffer;
  before(async () => {
    dir = await workDir('firmlab-fuzz-');
    good = wrapTplink(await buildSquashfs(dir));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it(`${CASES} mutated images end in success or a FirmlabError, and stay inside their directory`, async () => {
    const rand = rng(SEED);
    const int = (n: number) => Math.floor(rand() * n);
    const work = join(dir, 'work');
    const codes = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      let b = Buffer.from(good);
      const mode = int(4);
      if (mode === 0) b = b.subarray(0, int(good.length));
      else {
        const region = mode === 3 ? [b.readUInt32BE(0x88), 4096] : [0, 0x200];
        for (let k = 1 + int(8); k > 0; k--) b[region[0]! + int(region[1]!)] = int(256);
        if (mode >= 2 && b.length >= 0x200) signTplinkImage(b, Math.min(b.readUInt32BE(0x7c), b.length));
      }
      await rm(work, { recursive: true, force: true });
      await mkdir(work);
      const file = join(work, 'fw.bin');
      await writeFile(file, b);
      const before = await snapshot(dir);
      const outcome = await extractFirmware(file, { out: join(work, 'out'), cacheDir: join(work, 'cache'), maxBytes: 64 * 1024 * 1024 }).then(
        () => 'ok',
        (e: unknown) => {
          if (!(e instanceof FirmlabError)) throw new Error(`case ${i} (seed ${SEED}, mode ${mode}) threw a non-FirmlabError: ${String((e as Error)?.stack ?? e)}`);
          return e.code;
        },
      );
      codes.set(outcome, (codes.get(outcome) ?? 0) + 1);
      const outside = (await snapshot(dir)).filter((p) => !p.startsWith('work/') && !before.includes(p));
      expect(outside, `case ${i} wrote outside its directories`).to.deep.equal([]);
      const stray = (await readdir(work)).filter((n) => !['fw.bin', 'out', 'cache'].includes(n));
      expect(stray, `case ${i} left temp files beside the output`).to.deep.equal([]);
    }
    console.log(`      outcomes: ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(codes.size, 'the fuzz should reach more than one outcome').to.be.greaterThan(2);
  });
});
