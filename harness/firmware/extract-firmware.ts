import { chmod, cp, mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { FirmwareImage } from './firmware-image.js';
import { TooLargeError, UnsafePathError } from './firmware-errors.js';
import { assertChecksumOk, identifyFirmware } from './identify-firmware.js';
import { resolveFirmwareOptions, type FirmwareOptions } from './firmware-options.js';
import { unpackRootfs } from './unpack-rootfs.js';
import { unsquashfsExtract } from './unsquashfs.js';

export interface ExtractOptions extends FirmwareOptions {
  out: string;
  /** Keep symlinks whose target leaves the root (absolute or above it) instead of refusing the image. */
  allowOutsideLinks?: boolean;
}

export interface ExtractResult {
  image: FirmwareImage;
  out: string;
  cached: boolean;
  outsideLinks: { path: string; target: string }[];
  devicesSkipped: string[];
}

/**
 * Unpacks a firmware's root into `out`, which must not exist or be empty:
 * a squashfs root from the cached root disk, a tar root's cached tree copied
 * (not hard-linked: editing a file under `out` must not change the cache). The copy
 * lands in a temp dir beside `out` and is renamed into place, so `out` is
 * either complete or absent.
 */
export async function extractFirmware(path: string, o: ExtractOptions): Promise<ExtractResult> {
  const { maxBytes, cache } = resolveFirmwareOptions(o);
  const out = resolve(o.cwd ?? process.cwd(), o.out);
  await assertEmptyOrAbsent(out);
  const id = await identifyFirmware(path, { maxBytes });
  if (!o.ignoreChecksum) assertChecksumOk(id.image);
  const { entry, cached } = await unpackRootfs(id, cache, { maxBytes, unsquashfs: o.unsquashfs, signal: o.signal });
  const { report } = entry;
  // Re-checked on every call: the cached entry may have been made with other options.
  if (report.unpackedBytes > maxBytes) throw new TooLargeError(path, 'the unpacked rootfs', report.unpackedBytes, maxBytes);
  if (report.outsideLinks.length > 0 && !o.allowOutsideLinks) {
    const problems = report.outsideLinks.map((l) => ({ path: l.path, reason: `symlink to ${l.target} points outside the root` }));
    throw new UnsafePathError(path, problems, '; pass --allow-outside-links to keep them as links (firmlab never follows them)');
  }
  await mkdir(dirname(out), { recursive: true });
  const tmp = await mkdtemp(join(dirname(out), `.${basename(out)}.firmlab-`));
  // A squashfs root is unpacked only here, straight from the cached root disk
  // (its listing was checked when it was cached; devices are left out).
  const staged = entry.root === undefined ? join(tmp, 'root') : tmp;
  try {
    if (entry.root === undefined) {
      const excludes = join(tmp, 'exclude.txt');
      await writeFile(excludes, report.devices.map((d) => `${d}\n`).join(''));
      await unsquashfsExtract(entry.rootfsImage, staged, excludes, { label: path, tool: o.unsquashfs, signal: o.signal, maxBytes });
    } else {
      await cp(entry.root, tmp, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, errorOnExist: true, force: false });
      await chmod(tmp, (await stat(entry.root)).mode & 0o7777); // mkdtemp made it 0700
    }
    await rmdir(out).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await rename(staged, out);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  if (staged !== tmp) await rm(tmp, { recursive: true, force: true });
  return { image: entry.image, out, cached, outsideLinks: report.outsideLinks, devicesSkipped: report.devices };
}

async function assertEmptyOrAbsent(out: string): Promise<void> {
  const names = await readdir(out).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [];
    if (e.code === 'ENOTDIR') throw new UsageError(`--out ${out} exists and is not a directory`);
    throw e;
  });
  if (names.length > 0) throw new UsageError(`--out ${out} exists and is not empty; choose a new directory`, { out });
}
