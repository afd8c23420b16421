import { createHash } from 'node:crypto';
import { TPLINK_V1_MD5_OFFSET } from './tplink-v1-header.js';

/**
 * mktplinkfw's md5sum1 rule: the salt sits in the md5 field while hashing
 * bytes [0, fw_length); the digest then replaces it. (firmware-utils
 * src/mktplinkfw-lib.c, md5salt_normal.)
 */
export const TPLINK_MD5_SALT = Buffer.from('dcd73aa5c39598fbddf9e7f40eae4738', 'hex');

export function computeTplinkMd5(image: Buffer, fwLength: number): Buffer {
  const copy = Buffer.from(image.subarray(0, fwLength));
  TPLINK_MD5_SALT.copy(copy, TPLINK_V1_MD5_OFFSET);
  return createHash('md5').update(copy).digest();
}

export function storedTplinkMd5(image: Buffer): Buffer {
  return Buffer.from(image.subarray(TPLINK_V1_MD5_OFFSET, TPLINK_V1_MD5_OFFSET + 16));
}

/** Writes the correct digest in place (used by test helpers that build images). */
export function signTplinkImage(image: Buffer, fwLength = image.length): Buffer {
  computeTplinkMd5(image, fwLength).copy(image, TPLINK_V1_MD5_OFFSET);
  return image;
}
