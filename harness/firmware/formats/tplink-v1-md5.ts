import { createHash } from 'node:crypto';
import { TPLINK_V1_MD5_OFFSET } from './tplink-v1-header.js';

/**
 * mktplinkfw's md5sum1 rule: the salt sits in the md5 field while hashing
 * bytes [0, length); the digest then replaces it. (firmware-utils
 * src/mktplinkfw.c, md5salt_normal / md5salt_boot; mktplinkfw2.c has its
 * own pair and keeps the field at 0x40.) `length` is what the tool wrote:
 * fw_length for a factory image, the file for one built with -s.
 */
export const TPLINK_MD5_SALT = Buffer.from('dcd73aa5c39598fbddf9e7f40eae4738', 'hex');
export const TPLINK_MD5_SALT_BOOT = Buffer.from('8cef335bd5c5cefaa79c28dab2e90f42', 'hex');

export interface Md5Rule {
  salt?: Buffer;
  /** Where md5sum1 sits in the header. */
  offset?: number;
}

export function computeTplinkMd5(image: Buffer, length: number, rule: Md5Rule = {}): Buffer {
  const copy = Buffer.from(image.subarray(0, length));
  (rule.salt ?? TPLINK_MD5_SALT).copy(copy, rule.offset ?? TPLINK_V1_MD5_OFFSET);
  return createHash('md5').update(copy).digest();
}

export function storedTplinkMd5(image: Buffer, offset = TPLINK_V1_MD5_OFFSET): Buffer {
  return Buffer.from(image.subarray(offset, offset + 16));
}

/** Writes the correct digest in place (used by test helpers that build images). */
export function signTplinkImage(image: Buffer, length = image.length, rule: Md5Rule = {}): Buffer {
  computeTplinkMd5(image, length, rule).copy(image, rule.offset ?? TPLINK_V1_MD5_OFFSET);
  return image;
}
