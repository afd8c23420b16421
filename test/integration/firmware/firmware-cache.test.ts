import { expect } from 'chai';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CACHE_FORMAT, FirmwareCache, inspectFirmware } from '../../../harness/firmware/index.js';
import { processStart } from '../../../harness/util/process-owner.js';
import { buildSquashfs, workDir, wrapTplink } from './helpers/test-firmware.js';

/** The cache's format version and its repair of damaged entries. */
describe('firmware cache (format version, damaged entries)', function () {
  this.timeout(60_000);
  let dir: string;
  let fw: string;
  before(async () => {
    dir = await workDir('firmlab-cache-');
    fw = join(dir, 'fw.bin');
    await writeFile(fw, wrapTplink(await buildSquashfs(dir)));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function freshCache(name: string): Promise<{ cacheDir: string; cache: FirmwareCache; sha: string }> {
    const cacheDir = join(dir, name);
    const first = await inspectFirmware(fw, { cacheDir, unpack: false });
    return { cacheDir, cache: new FirmwareCache(cacheDir), sha: first.image.sha256 };
  }

  it(`keeps entries under v${CACHE_FORMAT}/ and never reads what older code left at <cacheDir>/<sha256>/`, async () => {
    const { cacheDir, cache, sha } = await freshCache('old-layout');
    const old = join(cacheDir, sha);
    await mkdir(join(old, 'root'), { recursive: true });
    await writeFile(join(old, 'image.json'), JSON.stringify({ sha256: sha, format: 'tplink-v1', parts: [] }));
    await writeFile(join(old, 'listing.json'), '{}');
    await writeFile(join(old, 'rootfs.squashfs'), 'stale');
    const r = await inspectFirmware(fw, { cacheDir });
    expect(r.cached).to.equal(false);
    expect(r.cacheDir).to.equal(cache.entryDir(sha));
    expect(r.image.userland?.libc.name).to.be.a('string');
    expect((await inspectFirmware(fw, { cacheDir })).cached).to.equal(true);
  });

  const damage: [string, (entry: string, sha: string) => Promise<void>][] = [
    ['unreadable image.json', (e) => writeFile(join(e, 'image.json'), '{"sha256": "trunc')],
    ['an image.json for another file', (e) => writeFile(join(e, 'image.json'), JSON.stringify({ sha256: '0'.repeat(64) }))],
    ['a missing root disk', (e) => rm(join(e, 'rootfs.squashfs'))],
  ];
  for (const [name, hurt] of damage) {
    it(`an entry with ${name} is rebuilt, not fatal, and nothing is left beside it`, async () => {
      const { cacheDir, cache, sha } = await freshCache(`damaged-${name.replace(/\W+/g, '-')}`);
      await inspectFirmware(fw, { cacheDir });
      await hurt(cache.entryDir(sha), sha);
      expect(await cache.get(sha)).to.equal(undefined);
      const r = await inspectFirmware(fw, { cacheDir });
      expect(r.cached).to.equal(false);
      expect(JSON.parse(await readFile(join(r.cacheDir!, 'image.json'), 'utf8')).sha256).to.equal(sha);
      expect((await inspectFirmware(fw, { cacheDir })).cached).to.equal(true);
      expect(await readdir(cache.entriesDir)).to.deep.equal([sha]);
    });
  }

  it('the next unpack sweeps the temp dirs of killed processes and keeps those of live ones', async () => {
    const { cacheDir, cache, sha } = await freshCache('sweep');
    await mkdir(cache.entriesDir, { recursive: true });
    const here = processStart(process.pid)!;
    // A killed writer (pid 1 never has this start time), one mid-replace, this live process, an older firmlab's.
    const dead = `.tmp-${sha.slice(0, 12)}-1-999999999-AbC123`;
    const deadAside = `.damaged-${sha.slice(0, 12)}-1-999999999-XyZ789`;
    const live = `.tmp-${sha.slice(0, 12)}-${process.pid}-${here}-LiVe01`;
    const unowned = `.tmp-${sha.slice(0, 12)}-OlDer1`;
    for (const d of [dead, deadAside, live, unowned]) {
      await mkdir(join(cache.entriesDir, d, 'root'), { recursive: true });
      await writeFile(join(cache.entriesDir, d, 'root', 'half-written'), 'x');
    }
    await inspectFirmware(fw, { cacheDir });
    expect((await readdir(cache.entriesDir)).sort()).to.deep.equal([live, unowned, sha].sort());
    // An owner-less temp dir goes once it is an hour old.
    expect(await cache.sweep(processStart, Date.now() + 2 * 3_600_000)).to.deep.equal([unowned]);
    await rm(join(cache.entriesDir, live), { recursive: true });
  });
});
