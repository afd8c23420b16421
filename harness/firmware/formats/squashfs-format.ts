import type { FirmwareFile, FirmwareFormat, ParseOptions, ParsedFirmware } from '../firmware-format.js';
import { TruncatedError } from '../firmware-errors.js';
import { checkPartBounds } from './part-bounds.js';
import { SQUASHFS_SUPERBLOCK_SIZE, parseSquashfsSuperblock, squashfsMagic } from './squashfs-superblock.js';

/** A bare squashfs image (a rootfs dump, or what `binwalk -e` carved; v4 little-endian or an old big-endian 'sqsh'): one rootfs part. */
export const squashfsFormat: FirmwareFormat = {
  name: 'squashfs',

  probe(head) {
    return squashfsMagic(head) === undefined ? 0 : 0.8;
  },

  parse(file: FirmwareFile, { maxBytes }: ParseOptions): ParsedFirmware {
    const sb = parseSquashfsSuperblock(file.bytes);
    if (!sb) throw new TruncatedError(file.path, 'the squashfs superblock', SQUASHFS_SUPERBLOCK_SIZE, file.bytes.length);
    // bytes_used below a superblock's size says nothing (a v1/v2 image, or garbage): take the file.
    const length = sb.bytesUsed !== undefined && sb.bytesUsed >= SQUASHFS_SUPERBLOCK_SIZE ? sb.bytesUsed : file.bytes.length;
    checkPartBounds(file.path, 'squashfs image (bytes_used)', 0, length, file.bytes.length, maxBytes);
    return {
      checksum: { status: 'not-applicable' },
      parts: [{ kind: 'rootfs', offset: 0, length, type: `squashfs-${sb.compression}`, details: { ...sb } }],
    };
  },
};
