import { expect } from 'chai';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspectFirmware } from '../../../harness/firmware/index.js';
import { readInRoot } from '../../../harness/firmware/root-view.js';
import { buildSquashfs, workDir, wrapTplink } from './helpers/test-firmware.js';
import { buildUImage } from '../../unit/firmware/helpers/firmware-bytes.js';
import { buildTplinkV2Image } from '../../unit/firmware/helpers/tplink-v2-bytes.js';

describe('inspectFirmware (real mksquashfs/unsquashfs)', function () {
  this.timeout(60_000);
  let dir: string;
  let fw: string;
  let raw: string;
  let sqfs: Buffer;
  before(async () => {
    dir = await workDir();
    sqfs = await buildSquashfs(dir);
    fw = join(dir, 'archer-test-1.0.7.bin');
    raw = join(dir, 'root.sqfs');
    await writeFile(fw, wrapTplink(sqfs));
    await writeFile(raw, sqfs);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('describes a TP-Link image: header, checksum, parts, filesystem, CPU, kernel', async () => {
    const r = await inspectFirmware(fw, { cacheDir: join(dir, 'cache') });
    const img = r.image;
    expect(img).to.include({ path: fw, format: 'tplink-v1', kernelVersion: '6.1.0-13-armmp-lpae' });
    expect(img.sha256).to.match(/^[0-9a-f]{64}$/);
    expect(img.header).to.include({ vendor: 'TP-LINK Technologies', versionString: 'ver. 1.0.7 FIXTURE', verLo: 7 });
    expect(img.checksum.status).to.equal('ok');
    expect(img.parts.map((p) => `${p.kind}:${p.type}`)).to.deep.equal(['kernel:uimage', 'rootfs:squashfs-xz']);
    expect(img.parts[1]!.offset % 0x10000).to.equal(0);
    expect(img.filesystem).to.include({ type: 'squashfs', compression: 'xz' });
    expect(img.filesystem!.unpackedBytes).to.be.greaterThan(100_000);
    expect(img.cpu).to.deep.include({ arch: 'arm', bits: 32, endian: 'little', archKey: 'armhf', source: '/usr/bin/busybox' });
    expect(img.cpu!.abi).to.contain('hard-float');
    expect(r.cached).to.equal(false);
    expect((await stat(r.rootfsImage!)).size).to.equal(img.parts[1]!.length);
  });

  it('reads a squashfs root in place, unpacking nothing, and answers a second run from the cache', async () => {
    const cacheDir = join(dir, 'cache2');
    const first = await inspectFirmware(fw, { cacheDir });
    expect(first.root, 'no unpacked tree').to.equal(undefined);
    expect((await readdir(first.cacheDir!)).sort()).to.deep.equal(['image.json', 'listing.json', 'rootfs.squashfs', 'tree.json']);
    expect((await readInRoot(first.view!, '/etc/config/homeshield', 4096))?.toString()).to.contain("option enable '1'");
    const marker = join(first.cacheDir!, 'image.json');
    const before = await stat(marker);
    const second = await inspectFirmware(fw, { cacheDir });
    expect(second.cached).to.equal(true);
    expect(second.image).to.deep.equal(first.image);
    expect((await stat(marker)).ino).to.equal(before.ino);
  });

  it('takes a raw squashfs as a firmware with one rootfs part', async () => {
    const r = await inspectFirmware(raw, { cacheDir: join(dir, 'cache') });
    expect(r.image.format).to.equal('squashfs');
    expect(r.image.checksum.status).to.equal('not-applicable');
    expect(r.image.cpu?.archKey).to.equal('armhf');
    expect(r.image.header).to.equal(undefined);
  });

  it('takes a TP-Link v2 image (mktplinkfw2, header version 3): model and layout, the root unpacked', async () => {
    const v2 = join(dir, 'wr841nv14-like.bin');
    const kernel = buildUImage('MIPS Linux-2.6.36', Buffer.alloc(4096, 0x5a), { arch: 5 });
    await writeFile(v2, buildTplinkV2Image({ kernel, rootfs: sqfs }));
    const r = await inspectFirmware(v2, { cacheDir: join(dir, 'cache') });
    expect(r.image.format).to.equal('tplink-v2');
    expect(r.image.header).to.include({ headerVersion: 3, versionString: 'ver. 2.0', hwId: '0x08410014', flashLayout: '4Mmtk', soc: 'mediatek' });
    expect(r.image.checksum.status).to.equal('ok');
    expect(r.image.cpu?.archKey).to.equal('armhf');
  });

  it('stops at the header with unpack: false and writes no cache', async () => {
    const cacheDir = join(dir, 'cache-none');
    const r = await inspectFirmware(fw, { cacheDir, unpack: false });
    expect(r.image.cpu).to.equal(undefined);
    expect(r.image.parts).to.have.length(2);
    await stat(cacheDir).then(
      () => expect.fail('cache dir should not exist'),
      (e: NodeJS.ErrnoException) => expect(e.code).to.equal('ENOENT'),
    );
  });
});
