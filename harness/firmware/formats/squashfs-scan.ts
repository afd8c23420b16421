import { SQUASHFS_MAGIC_BE, SQUASHFS_MAGIC_LE, parseSquashfsSuperblock, squashfsProblem, type SquashfsSuperblock } from './squashfs-superblock.js';

/**
 * Finds a squashfs by its superblock when a header's offsets cannot be
 * trusted (mktplinkfw -a aligns the rootfs after the kernel but leaves the
 * layout's rootfs_ofs in the header). Bounded: only [from, to), only offsets
 * on `align`, at most `maxCandidates` magic hits examined, so a file full of
 * 'hsqs' cannot stall inspect.
 */
export interface SquashfsScanOptions {
  from: number;
  to: number;
  /** mktplinkfw aligns to 4 bytes or more; 4 finds every such root. */
  align?: number;
  maxCandidates?: number;
}

export interface SquashfsHit {
  offset: number;
  superblock: SquashfsSuperblock;
}

export interface SquashfsScan {
  hit?: SquashfsHit;
  /** Magic matches that failed the superblock checks, with why (for reports). */
  rejected: { offset: number; reason: string }[];
}

const MAGICS = [Buffer.from(SQUASHFS_MAGIC_LE, 'latin1'), Buffer.from(SQUASHFS_MAGIC_BE, 'latin1')];

export function scanForSquashfs(b: Buffer, o: SquashfsScanOptions): SquashfsScan {
  const align = o.align ?? 4;
  const to = Math.min(o.to, b.length);
  const max = o.maxCandidates ?? 256;
  const rejected: SquashfsScan['rejected'] = [];
  const next = MAGICS.map((m) => b.indexOf(m, o.from));
  let examined = 0;
  for (;;) {
    const live = next.filter((n) => n !== -1 && n < to);
    if (live.length === 0 || examined >= max) return { rejected };
    const at = Math.min(...live);
    const which = next.indexOf(at);
    next[which] = b.indexOf(MAGICS[which]!, at + 1);
    if (at % align !== 0) continue;
    examined += 1;
    const superblock = parseSquashfsSuperblock(b.subarray(at));
    const reason = squashfsProblem(superblock);
    if (reason === undefined) return { hit: { offset: at, superblock: superblock! }, rejected };
    rejected.push({ offset: at, reason });
  }
}
