import { expect } from 'chai';
import { execa } from 'execa';
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { extractFirmware, inspectFirmware } from '../../../harness/firmware/index.js';
import { FirmlabError } from '../../../harness/errors.js';
import { buildTar, type TarSpec } from '../../unit/firmware/helpers/tar-bytes.js';
import { ARM_ELF, snapshot, workDir } from './helpers/test-firmware.js';

/**
 * Bare tar roots (.tar, .tar.gz, .tar.bz2) as rehosting projects ship them:
 * made by GNU tar from a real tree, and byte-built ones carrying what GNU
 * tar will not make (device nodes without mknod, '..' names).
 */
describe('tar roots (GNU tar, mksquashfs, unsquashfs)', function () {
  this.timeout(120_000);
  let dir: string;
  let tree: string;
  before(async () => {
    dir = await workDir('firmlab-tar-');
    tree = join(dir, 'tree');
    await mkdir(join(tree, 'bin'), { recursive: true });
    await mkdir(join(tree, 'lib'));
    await mkdir(join(tree, 'sbin'));
    await mkdir(join(tree, 'etc/init.d'), { recursive: true });
    await copyFile(ARM_ELF, join(tree, 'bin/busybox'));
    await symlink('../bin/busybox', join(tree, 'sbin/init'));
    await writeFile(join(tree, 'lib/ld-musl-armhf.so.1'), 'not really musl');
    await writeFile(join(tree, 'etc/inittab'), '::sysinit:/etc/init.d/rcS\n');
    await writeFile(join(tree, 'etc/init.d/rcS'), '#!/bin/sh\n', { mode: 0o755 });
    await symlink('/tmp/resolv.conf', join(tree, 'etc/resolv.conf'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const [ext, flag, compression] of [['tar', '-cf', 'none'], ['tar.gz', '-czf', 'gzip'], ['tar.bz2', '-cjf', 'bzip2']] as const) {
    it(`a .${ext} root: listed, extracted, a squashfs disk built; armhf, musl, busybox init`, async () => {
      const file = join(dir, `root.${ext}`);
      await execa('tar', [flag, file, '-C', tree, '.']);
      const r = await inspectFirmware(file, { cacheDir: join(dir, `cache-${ext}`) });
      expect(r.image).to.include({ format: 'tar-root' });
      expect(r.image.filesystem).to.include({ type: 'tar', compression });
      expect(r.image.checksum.status).to.equal('not-applicable');
      expect(r.image.cpu?.archKey).to.equal('armhf');
      expect(r.image.userland).to.deep.equal({
        libc: { name: 'musl', source: '/lib/ld-musl-armhf.so.1' },
        init: { name: 'busybox-init', source: '/sbin/init -> /bin/busybox, /etc/inittab' },
      });
      expect(r.image.filesystem!.outsideLinks).to.deep.equal([{ path: 'etc/resolv.conf', target: '/tmp/resolv.conf' }]);
      expect(r.image.adjustments![0]).to.match(/^built the harness's root disk \(rootfs.squashfs/);
      const listing = (await execa('unsquashfs', ['-lln', '-d', 'r', r.rootfsImage!])).stdout;
      expect(listing).to.match(/^-rwx.* 0\/0 .* r\/bin\/busybox$/m).and.match(/^lrwx.* r\/sbin\/init -> \.\.\/bin\/busybox$/m);
      expect(await readFile(join(r.root!, 'etc/inittab'), 'utf8')).to.equal('::sysinit:/etc/init.d/rcS\n');
    });
  }

  it('device nodes in the tar become pseudo entries of the disk, never nodes on the host', async () => {
    const entries: TarSpec[] = [
      { name: './', type: '5' }, { name: './dev/', type: '5' },
      { name: './dev/console', type: '3', dev: [5, 1], mode: 0o600 },
      { name: './dev/mtdblock0', type: '4', dev: [31, 0], mode: 0o640 },
      { name: './bin/', type: '5' }, { name: './bin/busybox', data: await readFile(ARM_ELF), mode: 0o755 },
    ];
    const file = join(dir, 'devices.tar.gz');
    await writeFile(file, gzipSync(buildTar(entries)));
    const r = await inspectFirmware(file, { cacheDir: join(dir, 'cache-dev') });
    expect(await snapshot(join(r.root!, 'dev'))).to.deep.equal([]);
    const listing = (await execa('unsquashfs', ['-lln', '-d', 'r', r.rootfsImage!])).stdout;
    expect(listing).to.match(/^crw------- 0\/0 +5, *1 .* r\/dev\/console$/m).and.match(/^brw-r----- 0\/0 +31, *0 .* r\/dev\/mtdblock0$/m);
    expect(r.image.adjustments![0]).to.contain('2 device nodes from the tar added as mksquashfs pseudo entries');
  });

  const unsafe: [string, TarSpec[], string][] = [
    ['a ../ name', [{ name: '../../evil', data: 'x' }], 'FIRMLAB_FIRMWARE_UNSAFE_PATH'],
    ['a file through a symlink', [{ name: 'www', type: '2', linkname: '/tmp' }, { name: 'www/planted', data: 'x' }], 'FIRMLAB_FIRMWARE_UNSAFE_PATH'],
    ['a hard link to a host file', [{ name: 'pw', type: '1', linkname: '/etc/passwd' }], 'FIRMLAB_FIRMWARE_UNSAFE_PATH'],
    ['a truncated archive', [{ name: 'big', data: 'z'.repeat(5000) }], 'FIRMLAB_FIRMWARE_TRUNCATED'],
  ];
  for (const [name, entries, code] of unsafe) {
    it(`${name} -> ${code}, nothing written outside the cache`, async () => {
      const file = join(dir, `unsafe-${name.replace(/\W+/g, '-')}.tar`);
      const bytes = buildTar(entries);
      await writeFile(file, name.startsWith('a truncated') ? bytes.subarray(0, 1536) : bytes);
      const before = (await snapshot(dir)).filter((p) => !p.startsWith('cache'));
      const e = await extractFirmware(file, { cacheDir: join(dir, 'cache-unsafe'), out: join(dir, 'out-unsafe') }).then(() => undefined, (err: unknown) => err);
      expect(e).to.be.instanceOf(FirmlabError);
      expect((e as FirmlabError).code, (e as Error).message).to.equal(code);
      expect((await snapshot(dir)).filter((p) => !p.startsWith('cache'))).to.deep.equal(before);
      await execa('test', ['!', '-e', '/tmp/planted']);
    });
  }

  it('a gzip bomb stops at maxBytes with FIRMLAB_FIRMWARE_TOO_LARGE', async () => {
    const file = join(dir, 'bomb.tar.gz');
    await writeFile(file, gzipSync(buildTar([{ name: 'zeros', data: Buffer.alloc(8 * 1024 * 1024) }])));
    const e = await inspectFirmware(file, { cacheDir: join(dir, 'cache-bomb'), maxBytes: 1024 * 1024 }).then(() => undefined, (err: unknown) => err);
    expect((e as FirmlabError).code).to.equal('FIRMLAB_FIRMWARE_TOO_LARGE');
    expect((e as Error).message).to.contain('decompressed tar root');
  });
});
