import { expect } from 'chai';
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirRootView, isFileInRoot, readInRoot, resolveInRoot, squashfsRootView, type RootView } from '../../../harness/firmware/root-view.js';
import { parseSquashfsListing } from '../../../harness/firmware/squashfs-listing.js';
import { LISTING_ROOT, unsquashfsList } from '../../../harness/firmware/unsquashfs.js';

/*
 * A squashfs root is read in place (its listing and `unsquashfs -cat`), never
 * unpacked: it must answer exactly as the same tree unpacked on the host,
 * links resolved the firmware's way and nothing outside the root reached.
 */
describe('firmware root views: a squashfs read in place answers as its unpacked tree', () => {
  let dir: string;
  let tree: RootView;
  let squashfs: RootView;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-rootview-'));
    const root = join(dir, 'root');
    for (const d of ['usr/bin', 'sbin', 'etc/config', 'lib', 'empty']) await mkdir(join(root, d), { recursive: true });
    await writeFile(join(root, 'usr/bin/busybox'), Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(5000, 7)]));
    await writeFile(join(root, 'etc/openwrt_release'), "DISTRIB_ID='OpenWrt'\n");
    await writeFile(join(root, 'etc/inside'), "config interface 'lan'\n\toption ipaddr '10.1.2.3'\n");
    await writeFile(join(root, 'lib/libuClibc-0.9.33.2.so'), 'x');
    await writeFile(join(root, 'etc/empty-file'), '');
    await symlink('usr/bin', join(root, 'bin'));
    await symlink('/bin/busybox', join(root, 'sbin/init'));
    await symlink('../../inside', join(root, 'etc/config/too-far'));
    await symlink('/etc/inside', join(root, 'etc/config/network'));
    await symlink('/etc/passwd', join(root, 'etc/host-passwd'));
    await symlink('loop', join(root, 'loop'));
    const image = join(dir, 'root.squashfs');
    await execa('mksquashfs', [root, image, '-comp', 'xz', '-all-root', '-noappend', '-quiet']);
    const tool = { label: 'root.squashfs' };
    const listing = parseSquashfsListing(await unsquashfsList(image, tool), LISTING_ROOT);
    tree = dirRootView(root);
    squashfs = squashfsRootView(image, listing.entries, tool);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const paths = ['/bin/busybox', '/sbin/init', '/etc/config/network', '/etc/config/too-far', '/etc/host-passwd', '/loop', '/../../etc/openwrt_release', '/empty', '/nope', '/lib'];

  it('resolves every path to the same place (or nowhere) in both', async () => {
    const want = ['/usr/bin/busybox', '/usr/bin/busybox', '/etc/inside', undefined, undefined, undefined, '/etc/openwrt_release', '/empty', undefined, '/lib'];
    for (const view of [tree, squashfs]) expect(await Promise.all(paths.map((p) => resolveInRoot(view, p)))).to.deep.equal(want);
  });

  it('reads the same bytes, bounded, and nothing from a directory, a link or a missing file', async () => {
    for (const view of [tree, squashfs]) {
      expect((await readInRoot(view, '/sbin/init', 4))?.toString('latin1')).to.equal('\x7fELF');
      expect((await readInRoot(view, '/sbin/init', 1 << 20))?.length).to.equal(5004);
      expect((await readInRoot(view, '/etc/config/network', 1024))?.toString()).to.contain("option ipaddr '10.1.2.3'");
      expect((await readInRoot(view, '/etc/empty-file', 10))?.length).to.equal(0);
      expect(await view.read('/lib', 10)).to.equal(undefined);
      expect(await view.read('/bin', 10), 'a link is not followed by read').to.equal(undefined);
      expect(await readInRoot(view, '/etc/host-passwd', 10), 'the host\'s /etc/passwd is never reached').to.equal(undefined);
    }
  });

  it('lists the same names and tells files from the rest', async () => {
    for (const view of [tree, squashfs]) {
      expect((await view.list('/lib'))?.sort()).to.deep.equal(['libuClibc-0.9.33.2.so']);
      expect((await view.list('/'))?.sort()).to.deep.equal(['bin', 'empty', 'etc', 'lib', 'loop', 'sbin', 'usr']);
      expect(await view.list('/bin'), 'a link to a directory is no directory').to.equal(undefined);
      expect(await view.list('/empty')).to.deep.equal([]);
      expect(await isFileInRoot(view, '/sbin/init')).to.equal(true);
      expect(await isFileInRoot(view, '/lib')).to.equal(false);
      expect(await view.entry('/sbin/init')).to.deep.include({ type: 'symlink', target: '/bin/busybox' });
    }
  });
});
