/**
 * Kernel version strings, from a uImage name (`ARM Linux-6.1.0-13-armmp-lpae`)
 * or from the banner an uncompressed kernel carries (init/version.c:
 * `Linux version 6.1.0-13-armmp-lpae (debian-kernel@...) ...`).
 */
const BANNER = /Linux version (\d+\.\d+(?:\.\d+)?[^\s\0]*)/;
const NAME = /Linux[- _](\d+\.\d+(?:\.\d+)?[^\s\0]*)/i;

export function kernelVersionFromName(name: string): string | undefined {
  return NAME.exec(name)?.[1];
}

/** Scans raw kernel bytes; a compressed kernel (zImage, gzip) has no readable banner. */
export function kernelVersionFromBytes(b: Buffer): string | undefined {
  const needle = Buffer.from('Linux version ');
  let at = b.indexOf(needle);
  while (at !== -1) {
    const m = BANNER.exec(b.subarray(at, at + 200).toString('latin1'));
    if (m) return m[1];
    at = b.indexOf(needle, at + 1);
  }
  return undefined;
}
