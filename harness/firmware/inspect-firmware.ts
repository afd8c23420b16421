import type { FirmwareImage } from './firmware-image.js';
import { assertChecksumOk, identifyFirmware } from './identify-firmware.js';
import { resolveFirmwareOptions, type FirmwareOptions } from './firmware-options.js';
import { unpackRootfs } from './unpack-rootfs.js';

export interface InspectResult {
  image: FirmwareImage;
  /** The harness's root disk in the cache (what an emulator attaches; never the user's file). */
  rootfsImage?: string;
  /** The cached unpacked tree, for layers that read the firmware's own files (/etc/openwrt_release...). Read-only. */
  root?: string;
  cacheDir?: string;
  cached: boolean;
}

/**
 * Everything firmlab can tell about a firmware file. The CPU comes from ELF
 * headers inside the root, so the rootfs is unpacked into the cache
 * (`unpack: false` stops at the header and parts).
 */
export async function inspectFirmware(path: string, o: FirmwareOptions & { unpack?: boolean } = {}): Promise<InspectResult> {
  const { maxBytes, cache } = resolveFirmwareOptions(o);
  const id = await identifyFirmware(path, { maxBytes });
  if (!o.ignoreChecksum) assertChecksumOk(id.image);
  if (o.unpack === false) return { image: id.image, cached: false };
  const { entry, cached } = await unpackRootfs(id, cache, { maxBytes, unsquashfs: o.unsquashfs, signal: o.signal });
  return { image: entry.image, rootfsImage: entry.rootfsImage, root: entry.root, cacheDir: entry.dir, cached };
}
