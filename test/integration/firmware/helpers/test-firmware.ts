import { execa } from 'execa';
import { copyFile, mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTplinkImage, buildUImage } from '../../../unit/firmware/helpers/firmware-bytes.js';

/**
 * Builds small real firmware at test time: a tiny root holding a genuine ARM
 * ELF (the armhf libc from libc6-dev-armhf-cross stands in for busybox),
 * packed with mksquashfs (xz) and wrapped in a TP-Link v1 header.
 */
export const ARM_ELF = '/usr/arm-linux-gnueabihf/lib/libc.so.6';

export interface RootSpec {
  /** Adds bin/up -> ../../etc and/or etc/pw -> /etc/passwd. */
  outsideLinks?: ('relative' | 'absolute')[];
  /** Extra zero-filled file of this size (compresses to nearly nothing). */
  padBytes?: number;
}

export async function workDir(prefix = 'firmlab-fw-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function buildSquashfs(dir: string, spec: RootSpec = {}): Promise<Buffer> {
  const root = join(dir, `tree-${Math.random().toString(36).slice(2)}`);
  await mkdir(join(root, 'usr/bin'), { recursive: true });
  await mkdir(join(root, 'etc/config'), { recursive: true });
  await copyFile(ARM_ELF, join(root, 'usr/bin/busybox'));
  await symlink('usr/bin', join(root, 'bin'));
  await symlink('busybox', join(root, 'usr/bin/sh'));
  await writeFile(join(root, 'etc/config/homeshield'), "config homeshield 'main'\n\toption enable '1'\n");
  if (spec.outsideLinks?.includes('relative')) await symlink('../../etc', join(root, 'usr/up'));
  if (spec.outsideLinks?.includes('absolute')) await symlink('/etc/passwd', join(root, 'etc/pw'));
  if (spec.padBytes) await writeFile(join(root, 'pad.bin'), Buffer.alloc(spec.padBytes));
  const out = `${root}.sqfs`;
  // Pseudo definitions add device nodes without needing mknod on the host (mksquashfs -p).
  await execa('mksquashfs', [root, out, '-comp', 'xz', '-noappend', '-quiet', '-no-progress',
    '-p', 'dev d 755 0 0', '-p', 'dev/null c 666 0 0 1 3', '-p', 'dev/mtdblock0 b 640 0 0 31 0']);
  return readFile(out);
}

export function wrapTplink(rootfs: Buffer, version = '1.0.7'): Buffer {
  const [hi, mid, lo] = version.split('.').map(Number) as [number, number, number];
  const kernel = buildUImage('ARM Linux-6.1.0-13-armmp-lpae', Buffer.alloc(4096, 0x5a));
  return buildTplinkImage({ kernel, rootfs, version: `ver. ${version} FIXTURE`, ver: [hi, mid, lo] });
}

/** Every path under dir (lstat only), for before/after comparisons. */
export async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      out.push(`${rel}${e.name}`);
      if (e.isDirectory()) await walk(join(d, e.name), `${rel}${e.name}/`);
    }
  };
  await walk(dir, '');
  return out.sort();
}
