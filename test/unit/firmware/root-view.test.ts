import { expect } from 'chai';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirRootView, resolveInRoot } from '../../../harness/firmware/root-view.js';

describe('resolveInRoot', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'firmlab-resolve-'));
    await mkdir(join(root, 'usr/bin'), { recursive: true });
    await writeFile(join(root, 'usr/bin/busybox'), 'x');
    await symlink('usr/bin', join(root, 'bin'));
    await mkdir(join(root, 'sbin'));
    await symlink('/bin/busybox', join(root, 'sbin/init'));
    await symlink('../../../../../usr/bin/busybox', join(root, 'sbin/deep'));
    await symlink('/etc/passwd', join(root, 'sbin/host'));
    await symlink('loop', join(root, 'loop'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('follows relative and absolute links inside the root, as chroot would', async () => {
    const view = dirRootView(root);
    expect(await resolveInRoot(view, '/bin/busybox')).to.equal('/usr/bin/busybox');
    expect(await resolveInRoot(view, '/sbin/init')).to.equal('/usr/bin/busybox');
    expect(await resolveInRoot(view, '/sbin/deep')).to.equal('/usr/bin/busybox');
  });

  it('never reaches the host: absolute targets stay in the root, loops end', async () => {
    const view = dirRootView(root);
    expect(await resolveInRoot(view, '/sbin/host')).to.equal(undefined);
    expect(await resolveInRoot(view, '/loop')).to.equal(undefined);
    expect(await resolveInRoot(view, '/../../etc/passwd')).to.equal(undefined);
  });
});
