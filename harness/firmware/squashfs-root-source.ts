import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TooLargeError, UnsafePathError } from './firmware-errors.js';
import { clearXzCompressorOptions } from './formats/squashfs-comp-opts.js';
import { checkListing } from './path-safety.js';
import type { RootSource } from './root-source.js';
import { parseSquashfsListing } from './squashfs-listing.js';
import { LISTING_ROOT, unsquashfsList } from './unsquashfs.js';

/** A virtual disk is read in whole sectors; 4 KiB also matches what mksquashfs pads to by default. */
const DISK_BLOCK = 4096;

/**
 * A squashfs root: carve the part into the harness's root disk (kernel-safe
 * flags, padded to whole blocks), list it and check every path and the
 * total size. Nothing is decompressed: the harness reads the few files it
 * needs in place (root-view.ts); `firmlab extract` unpacks on demand.
 */
export const squashfsRootSource: RootSource = async ({ image, file, part, tmp, maxBytes, unsquashfs, signal }) => {
  const adjustments: string[] = [];
  const padded = Math.ceil(part.length / DISK_BLOCK) * DISK_BLOCK;
  const disk = Buffer.alloc(padded);
  file.bytes.copy(disk, 0, part.offset, part.offset + part.length);
  const fix = clearXzCompressorOptions(disk);
  if (fix) adjustments.push(fix);
  if (padded !== part.length) {
    adjustments.push(`padded the harness's copy of the root disk with zeros from ${part.length} to ${padded} bytes: a virtual disk is read in whole blocks`);
  }
  const rootfsImage = join(tmp, 'rootfs.squashfs');
  await writeFile(rootfsImage, disk);

  const tool = { label: image.path, tool: unsquashfs, signal };
  const listing = parseSquashfsListing(await unsquashfsList(rootfsImage, tool), LISTING_ROOT);
  const report = checkListing(listing);
  if (report.problems.length > 0) throw new UnsafePathError(image.path, report.problems);
  if (report.unpackedBytes > maxBytes) throw new TooLargeError(image.path, 'the unpacked rootfs (from its listing)', report.unpackedBytes, maxBytes);

  return { report, adjustments, tree: listing.entries };
};
