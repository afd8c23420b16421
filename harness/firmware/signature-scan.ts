import { isElf } from './elf-ident.js';
import { parseSquashfsSuperblock, squashfsProblem } from './formats/squashfs-superblock.js';
import { UIMAGE_HEADER_SIZE, UIMAGE_MAGIC } from './formats/uimage-header.js';

/**
 * A small, bounded signature scanner: names what a file holds and where, so
 * an image no format claims still gets a useful answer ("found: squashfs-xz
 * at 0x120000, uimage at 0x200"). Not binwalk or unblob: neither is in the
 * harness image (Debian's binwalk and unblob pull a Python stack with dozens
 * of extractors), and firmlab only needs these few signatures, each checked
 * past its magic so random compressed bytes rarely match.
 */
export interface SignatureHit {
  name: string;
  offset: number;
}

interface Signature {
  magics: Buffer[];
  /** Where the magic sits from the start of the thing (zImage: 0x24). */
  magicOffset: number;
  /** The name to report when the bytes at `at` really are this, else undefined. */
  check(b: Buffer, at: number): string | undefined;
}

const u32be = (n: number) => Buffer.from([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
const u32le = (n: number) => Buffer.from([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24]);

// LZMA "alone" header (xz-utils, .lzma): props byte, u32 LE dictionary size,
// u64 LE uncompressed size. OpenWrt's kernels use props 0x5d or 0x6d (lc1 lp2)
// and a power-of-two dictionary; those 5 bytes are the "magic".
const LZMA_MAGICS = [0x5d, 0x6d].flatMap((props) =>
  Array.from({ length: 11 }, (_, i) => Buffer.concat([Buffer.from([props]), u32le(2 ** (16 + i))])),
);

const SIGNATURES: Signature[] = [
  {
    magics: [Buffer.from('hsqs'), Buffer.from('sqsh')],
    magicOffset: 0,
    check(b, at) {
      const sb = parseSquashfsSuperblock(b.subarray(at));
      return squashfsProblem(sb) === undefined ? `squashfs-${sb!.compression}` : undefined;
    },
  },
  { magics: [u32be(UIMAGE_MAGIC)], magicOffset: 0, check: (b, at) => (b.length - at >= UIMAGE_HEADER_SIZE ? 'uimage' : undefined) },
  {
    magics: LZMA_MAGICS,
    magicOffset: 0,
    check(b, at) {
      if (b.length - at < 13) return undefined;
      const size = b.readBigUInt64LE(at + 5);
      return size === 0xffffffffffffffffn || (size > 0n && size < 1n << 30n) ? 'lzma' : undefined;
    },
  },
  {
    magics: [Buffer.from([0x1f, 0x8b, 0x08])],
    magicOffset: 0,
    // RFC 1952: reserved flag bits clear, OS byte a defined value.
    check: (b, at) => (b.length - at >= 10 && (b[at + 3]! & 0xe0) === 0 && (b[at + 9]! <= 13 || b[at + 9] === 255) ? 'gzip' : undefined),
  },
  { magics: [Buffer.from('fd377a585a00', 'hex')], magicOffset: 0, check: () => 'xz' },
  {
    magics: [Buffer.from('\x7fELF', 'latin1')],
    magicOffset: 0,
    check: (b, at) => (isElf(b.subarray(at)) && [1, 2].includes(b[at + 4]!) && [1, 2].includes(b[at + 5]!) && b[at + 6] === 1 ? 'elf' : undefined),
  },
  {
    magics: [u32be(0xd00dfeed)],
    magicOffset: 0,
    // devicetree spec 5.2: totalsize, then version (17 today).
    check(b, at) {
      if (b.length - at < 40) return undefined;
      const total = b.readUInt32BE(at + 4);
      const version = b.readUInt32BE(at + 20);
      return total >= 40 && total <= b.length - at && version >= 1 && version <= 17 ? 'fdt' : undefined;
    },
  },
  // ARM zImage: magic 0x016f2818 at 0x24 (arch/arm/boot/compressed/head.S).
  { magics: [u32le(0x016f2818)], magicOffset: 0x24, check: () => 'zimage' },
  { magics: [Buffer.from('ustar')], magicOffset: 257, check: () => 'tar' },
];

export const MAX_SIGNATURE_HITS = 32;
/** Only this much of a file is scanned: firmware puts its parts near the start, and time stays bounded. */
export const SIGNATURE_SCAN_BYTES = 64 * 1024 * 1024;

/** Every signature in the first SIGNATURE_SCAN_BYTES of `all`, by offset; at most `maxHits` (per signature too). */
export function scanSignatures(all: Buffer, maxHits = MAX_SIGNATURE_HITS): SignatureHit[] {
  const b = all.subarray(0, SIGNATURE_SCAN_BYTES);
  const hits: SignatureHit[] = [];
  for (const sig of SIGNATURES) {
    let found = 0;
    for (const magic of sig.magics) {
      for (let at = b.indexOf(magic); at !== -1 && found < maxHits; at = b.indexOf(magic, at + 1)) {
        const start = at - sig.magicOffset;
        const name = start >= 0 ? sig.check(b, start) : undefined;
        if (name !== undefined) {
          hits.push({ name, offset: start });
          found += 1;
        }
      }
    }
  }
  return hits.sort((x, y) => x.offset - y.offset).slice(0, maxHits);
}

/** The signature at exactly `at`, or undefined. */
export function signatureAt(b: Buffer, at = 0): string | undefined {
  for (const sig of SIGNATURES) {
    const m = at + sig.magicOffset;
    if (sig.magics.some((magic) => b.length >= m + magic.length && b.subarray(m, m + magic.length).equals(magic))) {
      const name = sig.check(b, at);
      if (name !== undefined) return name;
    }
  }
  return undefined;
}

export function formatSignatures(hits: readonly SignatureHit[]): string {
  return hits.length === 0 ? 'no known signatures' : hits.map((h) => `${h.name} at 0x${h.offset.toString(16)}`).join(', ');
}
