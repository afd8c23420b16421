import { crc32 } from 'node:zlib';
import { signTplinkImage } from '../../../../harness/firmware/formats/tplink-v1-md5.js';

/**
 * Hand-built firmware bytes for tests: a TP-Link v1 image (mktplinkfw layout,
 * docs/contracts.md), a legacy uImage, an ELF header. Correct by construction
 * so a test can then break exactly one thing.
 */
export interface TplinkImageSpec {
  kernel: Buffer;
  rootfs: Buffer;
  vendor?: string;
  version?: string;
  hwId?: number;
  hwRev?: number;
  ver?: [number, number, number];
  /** Rootfs alignment; the fixture uses 64 KiB. */
  align?: number;
  /**
   * OpenWrt's mktplinkfw -a: the rootfs sits right after the kernel (4-byte
   * aligned) while the header keeps the aligned rootfs_ofs.
   */
  rootfsAfterKernel?: boolean;
  /** Header fw_length (a flash layout's size); the file is padded with 0xff up to it. */
  fwLength?: number;
  /** mktplinkfw -s (sysupgrade): no padding, md5 over the bytes written. */
  strip?: boolean;
}

export function buildTplinkImage(s: TplinkImageSpec): Buffer {
  const align = s.align ?? 0x10000;
  const kernelOfs = 0x200;
  const rootfsOfs = Math.ceil((kernelOfs + s.kernel.length) / align) * align;
  const placed = s.rootfsAfterKernel ? Math.ceil((kernelOfs + s.kernel.length) / 4) * 4 : rootfsOfs;
  const dataEnd = placed + s.rootfs.length;
  const fwLength = s.fwLength ?? Math.max(dataEnd, rootfsOfs + s.rootfs.length);
  const b = Buffer.alloc(s.strip ? dataEnd : fwLength, s.fwLength === undefined ? 0 : 0xff);
  b.fill(0, 0, 0x200);
  b.writeUInt32BE(0x01000000, 0);
  b.write(s.vendor ?? 'TP-LINK Technologies', 0x04, 24, 'latin1');
  b.write(s.version ?? 'ver. 1.0 FIXTURE', 0x1c, 36, 'latin1');
  b.writeUInt32BE(s.hwId ?? 0x05500001, 0x40);
  b.writeUInt32BE(s.hwRev ?? 1, 0x44);
  b.writeUInt32BE(0x80008000, 0x74);
  b.writeUInt32BE(0x80008000, 0x78);
  b.writeUInt32BE(fwLength, 0x7c);
  b.writeUInt32BE(kernelOfs, 0x80);
  b.writeUInt32BE(s.kernel.length, 0x84);
  b.writeUInt32BE(rootfsOfs, 0x88);
  b.writeUInt32BE(s.rootfs.length, 0x8c);
  const [hi, mid, lo] = s.ver ?? [1, 0, 7];
  b.writeUInt16BE(hi, 0x98);
  b.writeUInt16BE(mid, 0x9a);
  b.writeUInt16BE(lo, 0x9c);
  b.write('EU', 0x120, 32, 'latin1');
  s.kernel.copy(b, kernelOfs);
  s.rootfs.copy(b, placed);
  return signTplinkImage(b, Math.min(fwLength, b.length));
}

/** Legacy U-Boot uImage (image.h): os linux, arch arm, type kernel, CRCs correct. */
export function buildUImage(name: string, data: Buffer, o: { arch?: number; comp?: number } = {}): Buffer {
  const h = Buffer.alloc(64);
  h.writeUInt32BE(0x27051956, 0);
  h.writeUInt32BE(1_700_000_000, 8);
  h.writeUInt32BE(data.length, 12);
  h.writeUInt32BE(0x80008000, 16);
  h.writeUInt32BE(0x80008000, 20);
  h.writeUInt32BE(crc32(data), 24);
  h[28] = 5;
  h[29] = o.arch ?? 2;
  h[30] = 2;
  h[31] = o.comp ?? 0;
  h.write(name, 0x20, 32, 'latin1');
  h.writeUInt32BE(crc32(h), 4);
  return Buffer.concat([h, data]);
}

export interface ElfSpec {
  bits: 32 | 64;
  endian: 'little' | 'big';
  machine: number;
  flags?: number;
}

export function buildElfHeader(s: ElfSpec): Buffer {
  const b = Buffer.alloc(64);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = s.bits === 32 ? 1 : 2;
  b[5] = s.endian === 'little' ? 1 : 2;
  b[6] = 1;
  const le = s.endian === 'little';
  const w16 = (v: number, o: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const w32 = (v: number, o: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  w16(2, 16);
  w16(s.machine, 18);
  w32(1, 20);
  w32(s.flags ?? 0, s.bits === 32 ? 36 : 48);
  return b;
}

/** A minimal v4 squashfs superblock (enough for identification, not for unsquashfs). */
export function buildSquashfsSuperblock(compression = 4, bytesUsed = 4096): Buffer {
  const b = Buffer.alloc(Math.max(96, bytesUsed));
  b.write('hsqs', 0, 'latin1');
  b.writeUInt32LE(3, 4);
  b.writeUInt32LE(131072, 12);
  b.writeUInt16LE(17, 22);
  b.writeUInt16LE(compression, 20);
  b.writeUInt16LE(4, 28);
  b.writeBigUInt64LE(BigInt(bytesUsed), 40);
  return b;
}
