import { expect } from 'chai';
import { rm } from 'node:fs/promises';
import { runUnpackFuzz, type FuzzResult } from '../../support/unpack-fuzz.js';
import { workDir } from './helpers/test-firmware.js';

// Seeded, so a failing case can be replayed from its seed and index (test/support/unpack-fuzz.ts).
const SEED = 0xf1a7;
const CASES = 1000;

describe('firmware fuzz: 1,000 seeded hostile images (test/support/unpack-fuzz.ts)', function () {
  this.timeout(900_000);
  let dir: string;
  let r: FuzzResult;
  before(async () => {
    dir = await workDir('firmlab-fuzz-');
    r = await runUnpackFuzz({ seed: SEED, cases: CASES, dir });
    console.log(`      ${r.cases} images, outcomes ${JSON.stringify(r.outcomes)}, slowest ${r.slowestMs} ms`);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('every image unpacked inside its directory or failed with a FirmlabError code, within the time cap, the size cap held, the canary untouched', () => {
    expect(r.failures).to.deep.equal([]);
    expect(r.cases).to.equal(CASES);
  });

  it('reached every kind of mutation and both sides of every guard', () => {
    expect(Object.keys(r.kinds).sort()).to.deep.equal([
      'gzip-stream', 'junk-with-magic', 'squashfs-bomb', 'squashfs-superblock', 'squashfs-tables', 'tar', 'tar-bzip2', 'tar-gzip', 'tar-gzip-bomb',
      'tplink-header', 'truncated-at-boundary',
    ]);
    for (const code of ['ok', 'FIRMLAB_FIRMWARE_TOO_LARGE', 'FIRMLAB_FIRMWARE_UNSAFE_PATH', 'FIRMLAB_FIRMWARE_TRUNCATED', 'FIRMLAB_FIRMWARE_CHECKSUM', 'FIRMLAB_FIRMWARE_UNKNOWN_FORMAT', 'FIRMLAB_FIRMWARE_EXTRACT']) {
      expect(r.outcomes[code] ?? 0, code).to.be.above(0);
    }
  });
});
