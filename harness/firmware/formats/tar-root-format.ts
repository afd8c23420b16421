import { constants, gunzipSync } from 'node:zlib';
import type { FirmwareFile, FirmwareFormat, ParsedFirmware } from '../firmware-format.js';

/**
 * A bare root filesystem as a tar archive (`.tar`, `.tar.gz`, `.tar.bz2`), the
 * way rehosting projects (Firmadyne, FirmAE) hand roots around. One rootfs
 * part, the whole file; listing, checking and extraction happen at unpack
 * (tar-root-source.ts), which also builds the squashfs the emulator boots.
 */
export type TarCompression = 'none' | 'gzip' | 'bzip2';

const USTAR_OFFSET = 257;
const BZIP2_BLOCK = Buffer.from('314159265359', 'hex');
const hasUstar = (b: Uint8Array) => b.length >= USTAR_OFFSET + 5 && Buffer.from(b.buffer, b.byteOffset + USTAR_OFFSET, 5).toString('latin1') === 'ustar';

/** How the tar is wrapped, from its first bytes; undefined when it does not look like a tar. */
export function tarCompression(head: Uint8Array): TarCompression | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.length);
  if (hasUstar(b)) return 'none';
  if (b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08) {
    // Inflate growing prefixes (partial input is fine with a sync flush) until the first header is out;
    // small prefixes first, so a bomb's first bytes cannot blow past the output cap.
    for (const n of [64, 256, 1024, 4096]) {
      try {
        const out = gunzipSync(b.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 1 << 20 });
        if (out.length >= USTAR_OFFSET + 5) return hasUstar(out) ? 'gzip' : undefined;
      } catch {
        // Too short to say yet, or over the cap: try the next size.
      }
    }
    return undefined;
  }
  // bzip2: 'BZh' + block size digit + the block magic (pi); what it holds is known only once bzip2 runs.
  if (b.length >= 10 && b.subarray(0, 3).toString('latin1') === 'BZh' && b[3]! >= 0x31 && b[3]! <= 0x39 && b.subarray(4, 10).equals(BZIP2_BLOCK)) return 'bzip2';
  return undefined;
}

const SCORE: Record<TarCompression, number> = { none: 0.85, gzip: 0.85, bzip2: 0.4 };

export const tarRootFormat: FirmwareFormat = {
  name: 'tar-root',

  probe(head) {
    const c = tarCompression(head);
    return c === undefined ? 0 : SCORE[c];
  },

  parse(file: FirmwareFile): ParsedFirmware {
    const c = tarCompression(file.bytes.subarray(0, 4096)) ?? 'none';
    return {
      checksum: { status: 'not-applicable' },
      parts: [{ kind: 'rootfs', offset: 0, length: file.bytes.length, type: `tar-${c}` }],
    };
  },
};
