import { expect } from 'chai';
import { lstat, mkdir, readFile, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FirmwareCache, extractFirmware } from '../../../harness/firmware/index.js';
import { FirmlabError } from '../../../harness/errors.js';
import { buildSquashfs, snapshot, workDir, wrapTplink } from './helpers/test-firmware.js';

describe('extractFirmware (real mksquashfs/unsquashfs)', function () {
  this.timeout(60_000);
  let dir: string;
  let fw: string;
  let cacheDir: string;
  before(async () => {
    dir = await workDir();
    cacheDir = join(dir, 'cache');
    fw = join(dir, 'fw.bin');
    await writeFile(fw, wrapTplink(await buildSquashfs(dir)));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('unpacks the root, keeps in-root links as links, skips device nodes, leaves no temp dir', async () => {
    const out = join(dir, 'out', 'root');
    const r = await extractFirmware(fw, { out, cacheDir });
    expect(r.out).to.equal(out);
    expect(r.cached).to.equal(false);
    expect(r.devicesSkipped).to.have.members(['dev/null', 'dev/mtdblock0']);
    expect(await readdir(join(out, 'dev'))).to.deep.equal([]);
    expect(await readlink(join(out, 'bin'))).to.equal('usr/bin');
    expect(await readlink(join(out, 'usr/bin/sh'))).to.equal('busybox');
    expect((await lstat(join(out, 'usr/bin/busybox'))).isFile()).to.equal(true);
    expect(await readFile(join(out, 'etc/config/homeshield'), 'utf8')).to.contain("option enable '1'");
    expect((await stat(out)).mode & 0o777).to.equal(0o755);
    expect(await readdir(join(dir, 'out'))).to.deep.equal(['root']);
  });

  it('reuses the cache on a second run (its root disk: a squashfs is never unpacked into the cache) and unpacks into --out', async () => {
    const out = join(dir, 'second');
    const r = await extractFirmware(fw, { out, cacheDir });
    expect(r.cached).to.equal(true);
    const entry = new FirmwareCache(cacheDir).entryDir(r.image.sha256);
    expect((await readdir(entry)).sort(), 'no unpacked tree in the cache').to.deep.equal(['image.json', 'listing.json', 'rootfs.squashfs', 'tree.json']);
    expect(await readFile(join(out, 'usr/bin/busybox'))).to.deep.equal(await readFile(join(dir, 'out', 'root', 'usr/bin/busybox')));
  });

  it('refuses a non-empty --out without touching it, and fills an empty one', async () => {
    const busy = join(dir, 'busy');
    await mkdir(busy);
    await writeFile(join(busy, 'keep'), 'x');
    const err = await extractFirmware(fw, { out: busy, cacheDir }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(FirmlabError).with.property('code', 'FIRMLAB_USAGE');
    expect(await snapshot(busy)).to.deep.equal(['keep']);
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await extractFirmware(fw, { out: empty, cacheDir });
    expect(await readdir(empty)).to.include('usr');
  });
});
