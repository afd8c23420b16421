import type { FirmwareFile, FirmwareFormat, ParseOptions, ParsedFirmware } from '../firmware-format.js';
import { TruncatedError } from '../firmware-errors.js';
import {
  TPLINK_V2_ABSENT, TPLINK_V2_HEADER_SIZE, TPLINK_V2_MAGIC_55AA, TPLINK_V2_MAGIC_A5, TPLINK_V2_MD5_OFFSET,
  parseTplinkV2Header, tplinkHeaderVersion,
} from './tplink-v2-header.js';
import { tplinkParts } from './tplink-parts.js';

/** mktplinkfw2.c md5salt_normal / md5salt_boot (not the same bytes as mktplinkfw's). */
export const TPLINK_V2_MD5_SALT = Buffer.from('dcd73aa5c39598fbdcf9e7f40eae4737', 'hex');
export const TPLINK_V2_MD5_SALT_BOOT = Buffer.from('8cef335fd5c5cefaac9c28dab2e90f42', 'hex');

/** TP-Link header v2/v3 (mktplinkfw2): the same parts as v1, another field layout. */
export const tplinkV2Format: FirmwareFormat = {
  name: 'tplink-v2',

  probe(head) {
    if (head.length < 4) return 0;
    const b = Buffer.from(head.buffer, head.byteOffset, head.length);
    const version = tplinkHeaderVersion(b);
    if (version !== 2 && version !== 3) return 0;
    // mktplinkfw (v1 layout) also writes 02 00 00 00 with -m 2; only v2's constants tell the layouts apart.
    return b.length >= 0x91 && b.readUInt16BE(0x8c) === TPLINK_V2_MAGIC_55AA && b[0x90] === TPLINK_V2_MAGIC_A5 ? 0.95 : 0;
  },

  parse(file: FirmwareFile, { maxBytes }: ParseOptions): ParsedFirmware {
    const b = file.bytes;
    if (b.length < TPLINK_V2_HEADER_SIZE) {
      throw new TruncatedError(file.path, 'the TP-Link v2 header', TPLINK_V2_HEADER_SIZE, b.length);
    }
    const h = parseTplinkV2Header(b);
    const combined = h.rootfsOffset === TPLINK_V2_ABSENT || h.rootfsLength === TPLINK_V2_ABSENT;
    const md5 = { offset: TPLINK_V2_MD5_OFFSET, salt: TPLINK_V2_MD5_SALT, bootSalt: TPLINK_V2_MD5_SALT_BOOT, algorithm: 'md5 (mktplinkfw2 salt)' };
    const parts = tplinkParts(file, h, { label: 'TP-Link v2 header', headerSize: TPLINK_V2_HEADER_SIZE, md5, combined }, maxBytes);
    return { header: h, ...parts };
  },
};
