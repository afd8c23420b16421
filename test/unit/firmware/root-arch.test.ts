import { expect } from 'chai';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectRootArch } from '../../../harness/firmware/root-arch.js';
import { dirRootView } from '../../../harness/firmware/root-view.js';
import { buildElfHeader } from './helpers/firmware-bytes.js';

describe('detectRootArch', () => {
  let base: string;
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'firmlab-arch-'));
  });
  after(() => rm(base, { recursive: true, force: true }));

  it('prefers /sbin/init resolved inside the root over other ELFs', async () => {
    const root = join(base, 'a');
    await mkdir(join(root, 'sbin'), { recursive: true });
    await mkdir(join(root, 'lib'));
    await writeFile(join(root, 'lib/aaa.so'), buildElfHeader({ bits: 32, endian: 'little', machine: 40, flags: 0x05000400 }));
    await writeFile(join(root, 'sbin/procd'), buildElfHeader({ bits: 32, endian: 'big', machine: 8 }));
    await symlink('/sbin/procd', join(root, 'sbin/init'));
    expect(await detectRootArch(dirRootView(root))).to.include({ archKey: 'mips', source: '/sbin/procd' });
  });

  it('falls back to the first ELF in a sorted walk, skipping scripts and links', async () => {
    const root = join(base, 'b');
    await mkdir(join(root, 'bin'), { recursive: true });
    await mkdir(join(root, 'usr/lib'), { recursive: true });
    await writeFile(join(root, 'bin/init'), '#!/bin/sh\n'.padEnd(80, '#'));
    await symlink('/usr/bin/x', join(root, 'bin/busybox'));
    await writeFile(join(root, 'usr/lib/ld.so'), buildElfHeader({ bits: 64, endian: 'little', machine: 183 }));
    expect(await detectRootArch(dirRootView(root))).to.include({ archKey: 'arm64', source: '/usr/lib/ld.so' });
    expect(await detectRootArch(dirRootView(join(root, 'bin')))).to.equal(undefined);
  });
});
