import type { FirmwareHeader } from '../firmware-image.js';
import { cString } from './tplink-v1-header.js';

/**
 * TP-Link firmware header "v2" (OpenWrt firmware-utils mktplinkfw2.c, struct
 * fw_header; header versions 2 and 3, the layout of stock MediaTek-era
 * images such as TL-WR841N v14, fw_version "ver. 2.0"). 512 bytes; integers
 * big-endian, except that the version field is stored byte-swapped (bytes
 * 03 00 00 00 for version 3). Layout in docs/contracts.md.
 */
export const TPLINK_V2_HEADER_SIZE = 0x200;
export const TPLINK_V2_MD5_OFFSET = 0x40;
/** unk4 (u16 at 0x8c) and unk5 (u8 at 0x90): constants mktplinkfw2 always writes. */
export const TPLINK_V2_MAGIC_55AA = 0x55aa;
export const TPLINK_V2_MAGIC_A5 = 0xa5;
/** mktplinkfw2 leaves rootfs_ofs/len at the 0xff fill for combined (-c) images. */
export const TPLINK_V2_ABSENT = 0xffffffff;

/** mktplinkfw2's flash layouts: fw_length is the layout's fw_max_len, so (fw_length, kernel_la) names one. */
const LAYOUTS: [id: string, fwMaxLen: number, kernelLa: number][] = [
  ['4Mmtk', 0x3c0000, 0x80000000], ['4MLmtk', 0x3d0000, 0x80000000], ['8Mmtk', 0x7a0000, 0x80000000],
  ['8MSUmtk', 0x770000, 0x80000000], ['8MLmtk', 0x7b0000, 0x80000000], ['8Mltq', 0x7a0000, 0x80002000],
  ['16Mltq', 0xf90000, 0x80002000], ['8Mqca', 0x7a0000, 0x80060000], ['16Mqca', 0xf90000, 0x80060000],
];
const SOC: Record<string, string> = { mtk: 'mediatek', ltq: 'lantiq', qca: 'qualcomm-atheros' };

/** The header version number (1, 2, 3) from the first four bytes, as mktplinkfw2 reads it. */
export function tplinkHeaderVersion(b: Buffer): number {
  return b.readUInt32LE(0);
}

export function parseTplinkV2Header(b: Buffer): FirmwareHeader {
  if (b.length < TPLINK_V2_HEADER_SIZE) {
    throw new RangeError(`TP-Link v2 header needs ${TPLINK_V2_HEADER_SIZE} bytes, got ${b.length}`);
  }
  const u32 = (o: number) => b.readUInt32BE(o);
  const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
  const fwLength = u32(0x70);
  const la = u32(0x68);
  // -e stores the load address little-endian; either byte order names the layout.
  const laSwapped = b.readUInt32LE(0x68);
  const layout = LAYOUTS.find(([, max, kla]) => max === fwLength && (kla === la || kla === laSwapped));
  const header: FirmwareHeader = {
    vendor: '',
    hwId: hex(u32(0x34)),
    hwRev: u32(0x38),
    regionCode: 0,
    versionString: cString(b, 0x04, 48),
    verHi: b[0x91]!,
    verMid: b[0x92]!,
    verLo: b[0x93]!,
    fwLength,
    kernelLoadAddress: hex(la),
    kernelEntryPoint: hex(u32(0x6c)),
    kernelOffset: u32(0x74),
    kernelLength: u32(0x78),
    rootfsOffset: u32(0x7c),
    rootfsLength: u32(0x80),
    bootOffset: u32(0x84),
    bootLength: u32(0x88),
    regionStrings: [],
    headerVersion: tplinkHeaderVersion(b),
    hwVerAdd: u32(0x3c),
    softwareVersion: `${b[0x8e]}.${b[0x8f]}`,
  };
  if (layout) {
    header.flashLayout = layout[0];
    header.soc = SOC[layout[0].slice(-3)]!;
  }
  return header;
}
