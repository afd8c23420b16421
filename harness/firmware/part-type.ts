import { isUImage } from './formats/uimage-header.js';
import { parseSquashfsSuperblock, squashfsMagic } from './formats/squashfs-superblock.js';

/**
 * Names what a part's first bytes look like, so reports say `uimage` or
 * `squashfs-xz` instead of trusting the header's idea of what it holds.
 */
export function detectPartType(b: Buffer): string {
  if (b.length === 0) return 'empty';
  if (isUImage(b)) return 'uimage';
  if (squashfsMagic(b) !== undefined) {
    const sb = parseSquashfsSuperblock(b);
    return sb ? `squashfs-${sb.compression}` : 'squashfs';
  }
  if (b.length >= 4 && b.readUInt32BE(0) === 0x7f454c46) return 'elf';
  // ARM zImage: magic 0x016f2818 at offset 0x24 (arch/arm/boot/compressed/head.S).
  if (b.length >= 0x28 && b.readUInt32LE(0x24) === 0x016f2818) return 'zimage';
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (b.length >= 6 && b.subarray(0, 6).equals(Buffer.from('fd377a585a00', 'hex'))) return 'xz';
  if (b.length >= 4 && b.readUInt32BE(0) === 0xd00dfeed) return 'fdt';
  return 'unknown';
}
