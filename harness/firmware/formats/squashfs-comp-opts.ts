import { SQUASHFS_FLAGS_OFFSET, SQUASHFS_FLAG_COMP_OPT, parseSquashfsSuperblock } from './squashfs-superblock.js';

/**
 * OpenWrt's mksquashfs (its lzma/xz patches) stores an xz options block that
 * mainline kernels reject ("squashfs image failed sanity check"). With the
 * flag bit clear the kernel ignores the block and uses its defaults, which
 * decode any xz stream mksquashfs can write (its dictionary never exceeds the
 * block size). Changes `sq` in place: callers pass the harness's copy of the
 * root disk, never the user's file. Returns the adjustment to record, or
 * undefined when nothing was changed.
 */
export const XZ_OPTIONS_ADJUSTMENT =
  "cleared squashfs flag 0x0400 (xz compressor options) on the harness's copy of the root disk: mainline kernels refuse OpenWrt's xz options";

export function clearXzCompressorOptions(sq: Buffer): string | undefined {
  const sb = parseSquashfsSuperblock(sq);
  if (!sb || sb.major !== 4 || sb.compression !== 'xz' || sb.flags === undefined) return undefined;
  if ((sb.flags & SQUASHFS_FLAG_COMP_OPT) === 0) return undefined;
  sq.writeUInt16LE(sb.flags & ~SQUASHFS_FLAG_COMP_OPT, SQUASHFS_FLAGS_OFFSET);
  return XZ_OPTIONS_ADJUSTMENT;
}
