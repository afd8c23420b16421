/**
 * Squashfs superblock (squashfs-tools squashfs_fs.h; v3 layout from
 * squashfs-tools 3.x, struct squashfs_super_block, packed). v4 is always
 * little-endian ('hsqs'); 'sqsh' marks a big-endian filesystem, which is v3 or
 * older. v1/v2 are named but their sizes are not read.
 */
export const SQUASHFS_MAGIC_LE = 'hsqs';
export const SQUASHFS_MAGIC_BE = 'sqsh';
export const SQUASHFS_SUPERBLOCK_SIZE = 96;
/** v4 flags (u16 at +24): compressor options stored after the superblock. */
export const SQUASHFS_FLAG_COMP_OPT = 0x0400;
export const SQUASHFS_FLAGS_OFFSET = 24;

const COMPRESSION: Record<number, string> = { 1: 'gzip', 2: 'lzma', 3: 'lzo', 4: 'xz', 5: 'lz4', 6: 'zstd' };

export interface SquashfsSuperblock {
  endian: 'little' | 'big';
  major: number;
  minor: number;
  compression: string;
  blockSize?: number;
  blockLog?: number;
  inodes?: number;
  flags?: number;
  /** Bytes of the filesystem image (v3, v4); absent when unknown. */
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
  const le = endian === 'little';
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u64 = (o: number) => Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o));
  const major = u16(28);
  const minor = u16(30);
  if (le && major === 4) {
    return {
      endian, major, minor,
      compression: COMPRESSION[u16(20)] ?? `unknown(${u16(20)})`,
      blockSize: u32(12), blockLog: u16(22), inodes: u32(4), flags: u16(SQUASHFS_FLAGS_OFFSET), bytesUsed: u64(40),
    };
  }
  // v3 and earlier: zlib unless a vendor patched in lzma; unsquashfs reports the rest.
  const sb: SquashfsSuperblock = { endian, major, minor, compression: major < 4 ? 'gzip' : 'unknown' };
  if (major === 3) Object.assign(sb, { inodes: u32(4), blockLog: u16(34), flags: b[36], blockSize: u32(51), bytesUsed: u64(63) });
  return sb;
}

/**
 * Why these bytes are not a squashfs to trust, or undefined when they are
 * (magic, v3/v4, block_size == 1 << block_log, a known compressor, an inode
 * count below bytes_used). Whether bytes_used fits the file is the caller's
 * question: a superblock that checks out but runs past the end is a
 * truncated root, not a false match.
 */
export function squashfsProblem(sb: SquashfsSuperblock | undefined): string | undefined {
  if (!sb) return 'no squashfs magic or short superblock';
  if (sb.major !== 4 && sb.major !== 3) return `squashfs version ${sb.major}.${sb.minor} is not 3.x or 4.0`;
  if (sb.major === 4 && sb.endian === 'big') return 'big-endian squashfs 4 does not exist';
  const { blockSize = 0, blockLog = 0, inodes = 0, bytesUsed = 0 } = sb;
  if (blockLog < 12 || blockLog > 20 || blockSize !== 2 ** blockLog) return `block_size ${blockSize} is not 1 << block_log (${blockLog})`;
  if (sb.compression.startsWith('unknown')) return `compression id ${sb.compression} is not one squashfs defines`;
  if (bytesUsed < SQUASHFS_SUPERBLOCK_SIZE) return `bytes_used ${bytesUsed} is smaller than a superblock`;
  if (inodes === 0 || inodes >= bytesUsed) return `inode count ${inodes} is implausible for ${bytesUsed} bytes`;
  return undefined;
}
