import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FirmwareImage } from './firmware-image.js';
import type { IdentifiedFirmware } from './identify-firmware.js';
import { ExtractFailedError, TooLargeError, UnsafePathError } from './firmware-errors.js';
import { FirmwareCache, type CacheEntry } from './firmware-cache.js';
import { checkListing } from './path-safety.js';
import { detectRootArch } from './root-arch.js';
import { parseSquashfsListing } from './squashfs-listing.js';
import { auditTree } from './tree-audit.js';
import { LISTING_ROOT, unsquashfsExtract, unsquashfsList } from './unsquashfs.js';

export interface UnpackOptions {
  maxBytes: number;
  unsquashfs?: string;
  signal?: AbortSignal;
}

/**
 * Carves the rootfs part and unpacks it into the cache (or returns the cached
 * entry). Order matters: list, check every path and the total size, and only
 * then decompress; then sweep and re-measure what was written.
 * Links that leave the root are kept as links here (firmlab never follows
 * them); whether a caller may have them is decided per call from the report.
 */
export async function unpackRootfs(id: IdentifiedFirmware, cache: FirmwareCache, o: UnpackOptions): Promise<{ entry: CacheEntry; cached: boolean }> {
  const { image, file } = id;
  const hit = await cache.get(image.sha256);
  if (hit) return { entry: { ...hit, image: { ...hit.image, path: image.path } }, cached: true };

  const part = image.parts.find((p) => p.kind === 'rootfs');
  if (!part || !part.type.startsWith('squashfs')) {
    throw new ExtractFailedError(image.path, 'no squashfs rootfs part to unpack', '', { parts: image.parts.map((p) => `${p.kind}:${p.type}`) });
  }
  const tool = { label: image.path, tool: o.unsquashfs, signal: o.signal };
  const entry = await cache.put(image.sha256, async (tmp) => {
    const rootfsImage = join(tmp, 'rootfs.squashfs');
    await writeFile(rootfsImage, file.bytes.subarray(part.offset, part.offset + part.length));
    const report = checkListing(parseSquashfsListing(await unsquashfsList(rootfsImage, tool), LISTING_ROOT));
    if (report.problems.length > 0) throw new UnsafePathError(image.path, report.problems);
    if (report.unpackedBytes > o.maxBytes) throw new TooLargeError(image.path, 'the unpacked rootfs (from its listing)', report.unpackedBytes, o.maxBytes);

    const excludes = join(tmp, 'exclude.txt');
    await writeFile(excludes, report.devices.map((d) => `${d}\n`).join(''));
    await unsquashfsExtract(rootfsImage, join(tmp, 'root'), excludes, tool);
    await rm(excludes);
    const audit = await auditTree(join(tmp, 'root'));
    if (audit.bytes > o.maxBytes) throw new TooLargeError(image.path, 'the unpacked rootfs (as written)', audit.bytes, o.maxBytes);

    const described: FirmwareImage = {
      ...image,
      filesystem: {
        ...(image.filesystem ?? { type: 'squashfs', compression: 'unknown' }),
        unpackedBytes: report.unpackedBytes,
        entries: report.entries,
        outsideLinks: report.outsideLinks,
      },
    };
    const cpu = await detectRootArch(join(tmp, 'root'));
    if (cpu) described.cpu = cpu;
    return { image: described, report };
  });
  return { entry, cached: false };
}
