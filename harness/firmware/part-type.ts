import { isUImage } from './formats/uimage-header.js';
import { parseSquashfsSuperblock, squashfsMagic } from './formats/squashfs-superblock.js';
import { signatureAt } from './signature-scan.js';

/**
 * Names what a part's first bytes look like, so reports say `uimage` or
 * `squashfs-xz` instead of trusting the header's idea of what it holds.
 * A squashfs magic is named even when its superblock fails the checks (the
 * unpack step then reports what unsquashfs says about it).
 */
export function detectPartType(b: Buffer): string {
  if (b.length === 0) return 'empty';
  if (isUImage(b)) return 'uimage';
  if (squashfsMagic(b) !== undefined) {
    const sb = parseSquashfsSuperblock(b);
    return sb ? `squashfs-${sb.compression}` : 'squashfs';
  }
  return signatureAt(b, 0) ?? 'unknown';
}
