import { scanForSquashfs } from './squashfs-scan.js';
import { parseSquashfsSuperblock, squashfsProblem, type SquashfsSuperblock } from './squashfs-superblock.js';

/**
 * Where a TP-Link image's squashfs root really is. The header is believed
 * when its rootfs offset holds a superblock that checks out; otherwise the
 * image is scanned after the kernel (then inside it, for combined images),
 * and the answer says which offset was used and why.
 */
export interface Span {
  offset: number;
  length: number;
}

export interface RootfsLocation extends Span {
  superblock: SquashfsSuperblock;
  offsetSource: 'header' | 'superblock-scan';
  /** What the header said, when it said anything and was not believed. */
  header?: Span;
  note?: string;
}

const hex = (n: number) => `0x${n.toString(16)}`;

export function locateSquashfsRoot(b: Buffer, declared: Span | undefined, kernel: Span, headerEnd: number): RootfsLocation | undefined {
  let why = 'the header declares no rootfs part';
  if (declared) {
    const sb = declared.offset < b.length ? parseSquashfsSuperblock(b.subarray(declared.offset)) : undefined;
    const problem = squashfsProblem(sb);
    if (problem === undefined) return { ...declared, superblock: sb!, offsetSource: 'header' };
    why = sb
      ? `header says rootfs at ${hex(declared.offset)} but the superblock there fails its checks (${problem})`
      : `header says rootfs at ${hex(declared.offset)} but no squashfs superblock there`;
  }
  const kernelEnd = kernel.offset + kernel.length;
  const after = scanForSquashfs(b, { from: kernelEnd, to: b.length });
  const inside = after.hit ? undefined : scanForSquashfs(b, { from: headerEnd, to: kernelEnd }).hit;
  const hit = after.hit ?? inside;
  if (!hit) return undefined;
  const gap = hit.offset - kernelEnd;
  const where = inside ? 'inside the kernel part (a combined kernel+rootfs)' : gap < 4 ? 'right after the kernel' : `${gap} bytes after the kernel`;
  return {
    offset: hit.offset,
    length: hit.superblock.bytesUsed!,
    superblock: hit.superblock,
    offsetSource: 'superblock-scan',
    ...(declared ? { header: declared } : {}),
    note: `${why}; found one at ${hex(hit.offset)} ${where}`,
  };
}
