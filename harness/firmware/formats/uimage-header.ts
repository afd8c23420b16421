import { crc32 } from 'node:zlib';
import { cString } from './tplink-v1-header.js';

/**
 * Legacy U-Boot image header (U-Boot include/image.h, struct legacy_img_hdr):
 * 64 bytes, big-endian, magic 0x27051956, CRC32 of the header with ih_hcrc
 * zeroed, CRC32 of the ih_size data bytes that follow.
 */
export const UIMAGE_MAGIC = 0x27051956;
export const UIMAGE_HEADER_SIZE = 64;

const OS: Record<number, string> = { 5: 'linux', 17: 'u-boot' };
const ARCH: Record<number, string> = { 2: 'arm', 3: 'x86', 5: 'mips', 7: 'powerpc', 22: 'arm64', 26: 'riscv' };
const TYPE: Record<number, string> = { 2: 'kernel', 3: 'ramdisk', 4: 'multi', 5: 'firmware', 7: 'filesystem', 8: 'flat_dt' };
const COMP: Record<number, string> = { 0: 'none', 1: 'gzip', 2: 'bzip2', 3: 'lzma', 4: 'lzo', 5: 'lz4', 6: 'zstd' };

export interface UImageHeader {
  name: string;
  os: string;
  arch: string;
  imageType: string;
  compression: string;
  dataSize: number;
  loadAddress: string;
  entryPoint: string;
  timeMs: number;
  headerCrcOk: boolean;
  /** undefined when the data is not all inside the buffer. */
  dataCrcOk?: boolean;
}

export function isUImage(b: Uint8Array): boolean {
  return b.length >= 4 && Buffer.from(b.buffer, b.byteOffset, 4).readUInt32BE(0) === UIMAGE_MAGIC;
}

/** Returns undefined when `b` does not start with a complete uImage header. */
export function parseUImageHeader(b: Buffer): UImageHeader | undefined {
  if (b.length < UIMAGE_HEADER_SIZE || !isUImage(b)) return undefined;
  const hdr = Buffer.from(b.subarray(0, UIMAGE_HEADER_SIZE));
  const hcrc = hdr.readUInt32BE(4);
  hdr.writeUInt32BE(0, 4);
  const dataSize = b.readUInt32BE(12);
  const dataEnd = UIMAGE_HEADER_SIZE + dataSize;
  const hex = (o: number) => `0x${b.readUInt32BE(o).toString(16).padStart(8, '0')}`;
  const name = (code: number, table: Record<number, string>) => table[code] ?? `unknown(${code})`;
  return {
    name: cString(b, 0x20, 32),
    os: name(b[28]!, OS),
    arch: name(b[29]!, ARCH),
    imageType: name(b[30]!, TYPE),
    compression: name(b[31]!, COMP),
    dataSize,
    loadAddress: hex(16),
    entryPoint: hex(20),
    timeMs: b.readUInt32BE(8) * 1000,
    headerCrcOk: crc32(hdr) === hcrc,
    dataCrcOk: dataEnd <= b.length ? crc32(b.subarray(UIMAGE_HEADER_SIZE, dataEnd)) === b.readUInt32BE(24) : undefined,
  };
}
