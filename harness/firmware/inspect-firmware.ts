import type { FirmwareImage } from './firmware-image.js';
import { assertChecksumOk, identifyFirmware } from './identify-firmware.js';
import { resolveFirmwareOptions, type FirmwareOptions } from './firmware-options.js';
import { entryRootView } from './firmware-cache.js';
import type { RootView } from './root-view.js';
import { unpackRootfs } from './unpack-rootfs.js';

export interface InspectResult {
  image: FirmwareImage;
  /** The harness's root disk in the cache (what an emulator attaches; never the user's file). */
  rootfsImage?: string;
  /** A tar root's cached unpacked tree (a squashfs root is never unpacked: read it through `view`). Read-only. */
  root?: string;
  /** The firmware's own files (/etc/openwrt_release...), for the layers that read them. */
  view?: RootView;
  cacheDir?: string;
  cached: boolean;
}

/**
 * Everything firmlab can tell about a firmware file. The CPU comes from ELF
 * headers inside the root, so the root part goes into the cache: a squashfs
 * listed and checked and read in place, a tar root unpacked (`unpack:
 * false` stops at the header and parts).
 */
export async function inspectFirmware(path: string, o: FirmwareOptions & { unpack?: boolean } = {}): Promise<InspectResult> {
  const { maxBytes, cache } = resolveFirmwareOptions(o);
  const id = await identifyFirmware(path, { maxBytes });
  if (!o.ignoreChecksum) assertChecksumOk(id.image);
  if (o.unpack === false) return { image: id.image, cached: false };
  const { entry, cached } = await unpackRootfs(id, cache, { maxBytes, unsquashfs: o.unsquashfs, signal: o.signal });
  const view = entryRootView(entry, { label: path, tool: o.unsquashfs, signal: o.signal });
  return { image: entry.image, rootfsImage: entry.rootfsImage, ...(entry.root !== undefined && { root: entry.root }), view, cacheDir: entry.dir, cached };
}
