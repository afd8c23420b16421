import { expect } from 'chai';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspectFirmware } from '../../../harness/firmware/index.js';
import { FirmlabError } from '../../../harness/errors.js';
import { parseSquashfsSuperblock } from '../../../harness/firmware/formats/squashfs-superblock.js';
import { projectRoot } from '../../../harness/paths.js';
import { inspectCli } from './helpers/inspect-cli.js';
import { workDir } from './helpers/test-firmware.js';

/**
 * Real third-party firmware (test/fixtures/real, provenance in its README):
 * two OpenWrt-built TP-Link v1 images whose header lies about the rootfs
 * offset, and a sysupgrade image shorter than its fw_length.
 */
const real = (name: string) => join(projectRoot(), 'test', 'fixtures', 'real', name);
const FACTORY = real('openwrt-15.05.1-r49587-ar71xx-tl-wr841n-v9-squashfs-factory.bin');
const SYSUPGRADE = real('openwrt-15.05.1-r49587-ar71xx-tl-wr841n-v9-squashfs-sysupgrade.bin');
const LIBRARYBOX = real('librarybox-2.1-openwrt-12.09-ar71xx-tl-wr703n-v1-squashfs-factory.bin');
const XZ_NOTE = "cleared squashfs flag 0x0400 (xz compressor options) on the harness's copy of the root disk: mainline kernels refuse OpenWrt's xz options";

const sha256 = async (p: string) => createHash('sha256').update(await readFile(p)).digest('hex');

describe('real firmware (test/fixtures/real)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await workDir('firmlab-real-');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('OpenWrt 15.05.1 factory: inspect --json finds the root by its superblock, MIPS big-endian, uClibc, procd', async () => {
    const r = await inspectCli(dir, FACTORY, '--json');
    expect(r.code, r.stderr).to.equal(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).to.include({ format: 'tplink-v1', sha256: '032c74db030ceeeea6f644f0cc1c6e58bc51cdf462818ca21f99b4079900f055' });
    expect(doc.header).to.include({ vendor: 'OpenWrt', hwId: '0x08410009', versionString: 'r49587', rootfsOffset: 0x100000 });
    expect(doc.checksum).to.include({ status: 'ok' });
    const root = doc.parts.find((p: { kind: string }) => p.kind === 'rootfs');
    // The squashfs starts at kernel_ofs + kernel_len (0x200 + 0xf2f78).
    expect(root).to.include({ offset: 0xf3178, length: 2_640_466, type: 'squashfs-xz' });
    expect(root.details).to.include({ offsetSource: 'superblock-scan', headerOffset: 0x100000 });
    expect(root.details.note).to.equal('header says rootfs at 0x100000 but no squashfs superblock there; found one at 0xf3178 right after the kernel');
    expect(doc.parts[0]).to.include({ kind: 'kernel', type: 'lzma' });
    expect(doc.cpu).to.include({ arch: 'mips', archKey: 'mips', endian: 'big', bits: 32 });
    expect(doc.userland).to.deep.equal({
      libc: { name: 'uClibc', version: '0.9.33.2', source: '/lib/libuClibc-0.9.33.2.so' },
      init: { name: 'procd', source: '/sbin/procd' },
    });
    expect(doc.adjustments).to.include(XZ_NOTE);
    expect(doc.root, 'its squashfs is read in place, not unpacked').to.equal(undefined);
    const release = await execa('unsquashfs', ['-cat', doc.rootfsImage, 'etc/openwrt_release']);
    expect(release.stdout).to.contain("DISTRIB_DESCRIPTION='OpenWrt Chaos Calmer 15.05.1'");
  });

  it('the root disk copy has flag 0x0400 cleared and unsquashfs -s reads it cleanly; the user file is unchanged', async () => {
    const before = await sha256(FACTORY);
    const r = await inspectFirmware(FACTORY, { cacheDir: join(dir, 'cache') });
    const disk = await readFile(r.rootfsImage!);
    const original = await readFile(FACTORY);
    expect(parseSquashfsSuperblock(original.subarray(0xf3178))!.flags! & 0x0400, 'the user file keeps the flag').to.equal(0x0400);
    expect(parseSquashfsSuperblock(disk)!.flags! & 0x0400).to.equal(0);
    expect(disk.length % 4096).to.equal(0);
    const s = await execa('unsquashfs', ['-s', r.rootfsImage!], { all: true });
    expect(s.all).to.contain('Found a valid SQUASHFS 4:0 superblock').and.not.match(/error/i);
    const original4 = await writeCarved(original);
    const bad = await execa('unsquashfs', ['-s', original4], { all: true, reject: false });
    expect(bad.all, 'the carve before the fix is what unsquashfs complains about').to.match(/error reading stored compressor options/);
    expect(await sha256(FACTORY)).to.equal(before);
    expect(r.root).to.equal(undefined);
  });

  it('OpenWrt 15.05.1 factory: the human view shows the offset source, libc, init and the adjustment', async () => {
    const r = await inspectCli(dir, FACTORY);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^rootfs offset\s+superblock-scan: header says rootfs at 0x100000/m);
    expect(r.stdout).to.match(/^libc\s+uClibc 0\.9\.33\.2/m).and.match(/^init\s+procd/m).and.match(/^cpu\s+mips: mips 32-bit big-endian/m);
    expect(r.stdout).to.match(/^adjustment\s+cleared squashfs flag 0x0400/m);
  });

  it('OpenWrt 15.05.1 sysupgrade: accepted with its note; the md5 checks out over the file', async () => {
    const r = await inspectFirmware(SYSUPGRADE, { cacheDir: join(dir, 'cache') });
    expect(r.image.notes).to.deep.equal(['sysupgrade image: fw_length 3932160 longer than the file 3670020; kernel and rootfs are whole']);
    expect(r.image.checksum).to.include({ status: 'ok', coveredBytes: 3_670_020 });
    expect(r.image.parts[1]).to.include({ offset: 0xf3178, type: 'squashfs-xz' });
    expect(r.image.userland?.init.name).to.equal('procd');
  });

  it('LibraryBox 2.1: superblock after the kernel, MIPS big-endian, uClibc, busybox init', async () => {
    const r = await inspectFirmware(LIBRARYBOX, { cacheDir: join(dir, 'cache') });
    expect(r.image.parts[1]).to.include({ offset: 0xed044, type: 'squashfs-xz' });
    expect(r.image.parts[1]!.details).to.include({ offsetSource: 'superblock-scan', headerOffset: 0x100000 });
    expect(r.image.cpu).to.include({ archKey: 'mips', endian: 'big' });
    expect(r.image.userland).to.deep.equal({
      libc: { name: 'uClibc', version: '0.9.33.2', source: '/lib/libuClibc-0.9.33.2.so' },
      init: { name: 'busybox-init', source: '/sbin/init -> /bin/busybox, /etc/inittab' },
    });
  });

  const cuts: [string, number, string][] = [
    ['inside the squashfs', 0xf3178 + 1_000_000, 'FIRMLAB_FIRMWARE_TRUNCATED'],
    ['inside the kernel', 0x80000, 'FIRMLAB_FIRMWARE_TRUNCATED'],
  ];
  for (const [where, at, code] of cuts) {
    it(`a copy cut ${where} -> ${code}, nothing cached`, async () => {
      const p = join(dir, `cut-${at}.bin`);
      await writeFile(p, (await readFile(FACTORY)).subarray(0, at));
      const cacheDir = join(dir, `cache-cut-${at}`);
      const e = await inspectFirmware(p, { cacheDir }).then(() => undefined, (err: unknown) => err);
      expect(e).to.be.instanceOf(FirmlabError);
      expect((e as FirmlabError).code).to.equal(code);
      expect((e as Error).message).to.contain(p);
      expect(await readdir(cacheDir).catch(() => [])).to.deep.equal([]);
    });
  }

  it('a factory copy cut in its padding: accepted, digest unverifiable', async () => {
    const p = join(dir, 'cut-padding.bin');
    await writeFile(p, (await readFile(FACTORY)).subarray(0, 0x3a0000));
    const r = await inspectFirmware(p, { cacheDir: join(dir, 'cache'), unpack: false });
    expect(r.image.checksum.status).to.equal('unverifiable');
    expect(r.image.notes![0]).to.contain('shorter than its header says');
  });

  async function writeCarved(original: Buffer): Promise<string> {
    const p = join(dir, 'carved-unfixed.sqfs');
    await writeFile(p, original.subarray(0xf3178, 0xf3178 + 2_640_466));
    return p;
  }
});
