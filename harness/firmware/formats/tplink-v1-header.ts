import type { FirmwareHeader } from '../firmware-image.js';

/**
 * TP-Link firmware header v1, as written by OpenWrt firmware-utils mktplinkfw
 * (layout in docs/contracts.md). 512 bytes, integers big-endian.
 */
export const TPLINK_V1_HEADER_SIZE = 0x200;
export const TPLINK_V1_VERSION = 0x01000000;
export const TPLINK_V1_MD5_OFFSET = 0x4c;

export function parseTplinkV1Header(b: Buffer): FirmwareHeader {
  if (b.length < TPLINK_V1_HEADER_SIZE) {
    throw new RangeError(`TP-Link v1 header needs ${TPLINK_V1_HEADER_SIZE} bytes, got ${b.length}`);
  }
  const u32 = (o: number) => b.readUInt32BE(o);
  const hex = (o: number) => `0x${u32(o).toString(16).padStart(8, '0')}`;
  return {
    vendor: cString(b, 0x04, 24),
    hwId: hex(0x40),
    hwRev: u32(0x44),
    regionCode: u32(0x48),
    versionString: cString(b, 0x1c, 36),
    verHi: b.readUInt16BE(0x98),
    verMid: b.readUInt16BE(0x9a),
    verLo: b.readUInt16BE(0x9c),
    fwLength: u32(0x7c),
    kernelLoadAddress: hex(0x74),
    kernelEntryPoint: hex(0x78),
    kernelOffset: u32(0x80),
    kernelLength: u32(0x84),
    rootfsOffset: u32(0x88),
    rootfsLength: u32(0x8c),
    bootOffset: u32(0x90),
    bootLength: u32(0x94),
    regionStrings: [cString(b, 0x120, 32), cString(b, 0x140, 32)].filter((s) => s !== ''),
  };
}

/** NUL-padded ASCII field; non-printable bytes are shown escaped so reports stay one line. */
export function cString(b: Buffer, offset: number, size: number): string {
  const field = b.subarray(offset, offset + size);
  const end = field.indexOf(0);
  const raw = field.subarray(0, end === -1 ? field.length : end);
  let out = '';
  for (const c of raw) out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  return out;
}
