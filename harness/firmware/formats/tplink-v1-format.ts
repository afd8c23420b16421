import type { FirmwareFile, FirmwareFormat, ParseOptions, ParsedFirmware } from '../firmware-format.js';
import { TruncatedError } from '../firmware-errors.js';
import { TPLINK_V1_HEADER_SIZE, TPLINK_V1_MD5_OFFSET, TPLINK_V1_VERSION, parseTplinkV1Header } from './tplink-v1-header.js';
import { TPLINK_MD5_SALT, TPLINK_MD5_SALT_BOOT } from './tplink-v1-md5.js';
import { tplinkParts } from './tplink-parts.js';

/** TP-Link header v1 (mktplinkfw): kernel, rootfs and optional bootloader parts. */
export const tplinkV1Format: FirmwareFormat = {
  name: 'tplink-v1',

  probe(head) {
    if (head.length < 4) return 0;
    const b = Buffer.from(head.buffer, head.byteOffset, head.length);
    if (b.readUInt32BE(0) !== TPLINK_V1_VERSION) return 0;
    // A printable vendor name makes a coincidental 01 00 00 00 unlikely.
    const vendor = b.subarray(4, Math.min(b.length, 28));
    const printable = vendor.length > 0 && vendor[0]! >= 0x20 && vendor[0]! < 0x7f;
    return printable ? 0.9 : 0.5;
  },

  parse(file: FirmwareFile, { maxBytes }: ParseOptions): ParsedFirmware {
    const b = file.bytes;
    if (b.length < TPLINK_V1_HEADER_SIZE) {
      throw new TruncatedError(file.path, 'the TP-Link v1 header', TPLINK_V1_HEADER_SIZE, b.length);
    }
    const header = { ...parseTplinkV1Header(b), headerVersion: 1 };
    const md5 = { offset: TPLINK_V1_MD5_OFFSET, salt: TPLINK_MD5_SALT, bootSalt: TPLINK_MD5_SALT_BOOT, algorithm: 'md5 (mktplinkfw salt)' };
    const parts = tplinkParts(file, header, { label: 'TP-Link v1 header', headerSize: TPLINK_V1_HEADER_SIZE, md5 }, maxBytes);
    return { header, ...parts };
  },
};
