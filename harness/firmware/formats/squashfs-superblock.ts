/**
 * Squashfs superblock (squashfs-tools, squashfs_fs.h struct squashfs_super_block).
 * v4 is always little-endian ('hsqs'); 'sqsh' marks a big-endian, older (v1-3)
 * filesystem whose layout differs, so only the magic and version are read.
 */
export const SQUASHFS_MAGIC_LE = 'hsqs';
export const SQUASHFS_MAGIC_BE = 'sqsh';
export const SQUASHFS_SUPERBLOCK_SIZE = 96;

const COMPRESSION: Record<number, string> = { 1: 'gzip', 2: 'lzma', 3: 'lzo', 4: 'xz', 5: 'lz4', 6: 'zstd' };

export interface SquashfsSuperblock {
  endian: 'little' | 'big';
  major: number;
  minor: number;
  compression: string;
  blockSize?: number;
  inodes?: number;
  /** Bytes of the filesystem image (v4); absent when unknown. */
  bytesUsed?: number;
}

export function squashfsMagic(b: Uint8Array): 'little' | 'big' | undefined {
  if (b.length < 4) return undefined;
  const m = Buffer.from(b.buffer, b.byteOffset, 4).toString('latin1');
  if (m === SQUASHFS_MAGIC_LE) return 'little';
  if (m === SQUASHFS_MAGIC_BE) return 'big';
  return undefined;
}

export function parseSquashfsSuperblock(b: Buffer): SquashfsSuperblock | undefined {
  const endian = squashfsMagic(b);
  if (endian === undefined || b.length < SQUASHFS_SUPERBLOCK_SIZE) return undefined;
  const u16 = (o: number) => (endian === 'little' ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const major = u16(28);
  const minor = u16(30);
  if (endian === 'big' || major !== 4) {
    // v3 and earlier: zlib unless a vendor patched in lzma; unsquashfs reports the rest.
    return { endian, major, minor, compression: major < 4 ? 'gzip' : 'unknown' };
  }
  const bytesUsed = Number(b.readBigUInt64LE(40));
  return {
    endian,
    major,
    minor,
    compression: COMPRESSION[u16(20)] ?? `unknown(${u16(20)})`,
    blockSize: b.readUInt32LE(12),
    inodes: b.readUInt32LE(4),
    bytesUsed,
  };
}
