import { signTplinkImage } from '../../../../harness/firmware/formats/tplink-v1-md5.js';
import { TPLINK_V2_MD5_SALT } from '../../../../harness/firmware/formats/tplink-v2-format.js';

/**
 * A TP-Link "v2" image (mktplinkfw2.c, struct fw_header) built in code, as
 * the stock TL-WR841N v14 firmware would be laid out: header version 3,
 * "ver. 2.0", hw_id 0x08410014, hw_rev 0x283, hw_ver_add 0x14, flash layout
 * 4Mmtk (fw_max_len 0x3c0000, kernel_la 0x80000000, rootfs at 0x140000).
 * No such real image is available here.
 */
export interface TplinkV2Spec {
  kernel: Buffer;
  rootfs: Buffer;
  headerVersion?: number;
  fwVersion?: string;
  hwId?: number;
  hwRev?: number;
  hwVerAdd?: number;
  fwLength?: number;
  rootfsOfs?: number;
  /** mktplinkfw2 -c: rootfs appended to the kernel part, rootfs_ofs/len left 0xffffffff. */
  combined?: boolean;
  /** Leave out the 0x55aa / 0xa5 constants. */
  noMagic?: boolean;
}

export function buildTplinkV2Image(s: TplinkV2Spec): Buffer {
  const fwLength = s.fwLength ?? 0x3c0000;
  const rootfsOfs = s.rootfsOfs ?? 0x140000;
  const b = Buffer.alloc(fwLength, 0xff);
  b.fill(0xff, 0, 0x200);
  b.writeUInt32LE(s.headerVersion ?? 3, 0);
  b.fill(0, 0x04, 0x34);
  b.write(s.fwVersion ?? 'ver. 2.0', 0x04, 47, 'latin1');
  b.writeUInt32BE(s.hwId ?? 0x08410014, 0x34);
  b.writeUInt32BE(s.hwRev ?? 0x283, 0x38);
  b.writeUInt32BE(s.hwVerAdd ?? 0x14, 0x3c);
  b.writeUInt32BE(0, 0x50);
  b.writeUInt32BE(0x80000000, 0x68);
  b.writeUInt32BE(0x80000000, 0x6c);
  b.writeUInt32BE(fwLength, 0x70);
  b.writeUInt32BE(0x200, 0x74);
  const kernel = s.combined ? Buffer.concat([s.kernel, s.rootfs]) : s.kernel;
  b.writeUInt32BE(kernel.length, 0x78);
  if (!s.combined) {
    b.writeUInt32BE(rootfsOfs, 0x7c);
    b.writeUInt32BE(s.rootfs.length, 0x80);
  }
  b.writeUInt32BE(0, 0x84);
  b.writeUInt32BE(0, 0x88);
  if (!s.noMagic) {
    b.writeUInt16BE(0x55aa, 0x8c);
    b[0x90] = 0xa5;
  }
  b[0x8e] = 1;
  b[0x8f] = 0;
  [b[0x91], b[0x92], b[0x93]] = [0, 9, 1];
  kernel.copy(b, 0x200);
  if (!s.combined) s.rootfs.copy(b, rootfsOfs);
  return signTplinkImage(b, fwLength, { salt: TPLINK_V2_MD5_SALT, offset: 0x40 });
}
