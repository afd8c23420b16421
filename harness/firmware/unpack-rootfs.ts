import { join } from 'node:path';
import type { FirmwareImage } from './firmware-image.js';
import type { IdentifiedFirmware } from './identify-firmware.js';
import { ExtractFailedError, TooLargeError } from './firmware-errors.js';
import { entryRootView, FirmwareCache, type CacheEntry } from './firmware-cache.js';
import { mksquashfs } from './mksquashfs.js';
import { detectRootArch } from './root-arch.js';
import type { RootSource } from './root-source.js';
import { detectUserland } from './root-userland.js';
import { formatSignatures, scanSignatures } from './signature-scan.js';
import { squashfsRootSource } from './squashfs-root-source.js';
import { tarRootSource } from './tar-root-source.js';
import { auditTree } from './tree-audit.js';

export interface UnpackOptions {
  maxBytes: number;
  unsquashfs?: string;
  signal?: AbortSignal;
}

/** Root part type prefix -> how to unpack it. */
const SOURCES: [prefix: string, source: RootSource][] = [['squashfs', squashfsRootSource], ['tar-', tarRootSource]];

/**
 * Puts the rootfs part into the cache (or returns the cached entry): the
 * source lists and checks before it writes; a tar's tree is then swept and
 * re-measured and the root disk built from it; the CPU and userland are
 * read from the root (a squashfs in place, never unpacked). Links that leave the root are kept as links
 * (firmlab never follows them); whether a caller may have them is decided
 * per call from the report.
 */
export async function unpackRootfs(id: IdentifiedFirmware, cache: FirmwareCache, o: UnpackOptions): Promise<{ entry: CacheEntry; cached: boolean }> {
  const { image, file } = id;
  const tool = { label: image.path, tool: o.unsquashfs, signal: o.signal };
  const hit = await cache.get(image.sha256);
  if (hit) return { entry: { ...hit, image: { ...hit.image, path: image.path } }, cached: true };

  const part = image.parts.find((p) => p.kind === 'rootfs');
  const source = part && SOURCES.find(([prefix]) => part.type.startsWith(prefix))?.[1];
  if (!part || !source) {
    const parts = image.parts.map((p) => `${p.kind}:${p.type}`);
    const found = `parts ${parts.join(', ') || 'none'}; found: ${formatSignatures(scanSignatures(file.bytes))}`;
    throw new ExtractFailedError(image.path, 'no squashfs or tar root filesystem part to unpack', found, { parts });
  }
  const entry = await cache.put(image.sha256, async (tmp) => {
    const root = join(tmp, 'root');
    const result = await source({ image, file, part, tmp, maxBytes: o.maxBytes, unsquashfs: o.unsquashfs, signal: o.signal });
    if (!result.tree) {
      const audit = await auditTree(root);
      if (audit.bytes > o.maxBytes) throw new TooLargeError(image.path, 'the unpacked rootfs (as written)', audit.bytes, o.maxBytes);
    }
    if (result.build) await mksquashfs(root, join(tmp, 'rootfs.squashfs'), { label: image.path, signal: o.signal, pseudo: result.build.pseudo });
    const view = entryRootView({ dir: tmp, rootfsImage: join(tmp, 'rootfs.squashfs'), image, report: result.report, ...(result.tree ? { tree: result.tree } : { root }) }, tool);

    const { report } = result;
    const described: FirmwareImage = {
      ...image,
      filesystem: {
        ...(image.filesystem ?? { type: 'squashfs', compression: 'unknown' }),
        unpackedBytes: report.unpackedBytes,
        entries: report.entries,
        outsideLinks: report.outsideLinks,
      },
    };
    const cpu = await detectRootArch(view);
    if (cpu) described.cpu = cpu;
    described.userland = await detectUserland(view);
    if (result.adjustments.length > 0) described.adjustments = result.adjustments;
    return { image: described, report, ...(result.tree && { tree: result.tree }) };
  });
  return { entry, cached: false };
}
