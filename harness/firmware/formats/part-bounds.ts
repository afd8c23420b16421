import { TooLargeError, TruncatedError } from '../firmware-errors.js';

/**
 * Checks a part announced by a header before anything reads it: its length
 * against the size cap (a 4 GiB rootfs_len is a bomb or garbage), its end
 * against the bytes actually present.
 */
export function checkPartBounds(
  file: string,
  what: string,
  offset: number,
  length: number,
  available: number,
  maxBytes: number,
): void {
  if (length > maxBytes) throw new TooLargeError(file, `${what} (header length)`, length, maxBytes);
  if (offset + length > available) {
    throw new TruncatedError(file, `${what} at offset ${offset} with length ${length}`, offset + length, available);
  }
}
