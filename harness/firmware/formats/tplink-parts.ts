import type { FirmwareFile, ParsedFirmware } from '../firmware-format.js';
import type { ChecksumVerdict, FirmwareHeader, FirmwarePart } from '../firmware-image.js';
import { TruncatedError } from '../firmware-errors.js';
import { detectPartType } from '../part-type.js';
import { kernelVersionFromBytes, kernelVersionFromName } from '../kernel-version.js';
import { checkPartBounds } from './part-bounds.js';
import { locateSquashfsRoot, type RootfsLocation, type Span } from './rootfs-locator.js';
import { computeTplinkMd5, storedTplinkMd5 } from './tplink-v1-md5.js';
import { parseUImageHeader } from './uimage-header.js';

/**
 * What the TP-Link v1 and v2 headers share once their fields are read: a
 * kernel, a rootfs and an optional bootloader inside fw_length, and a salted
 * md5. Checks run in this order: size caps (a 4 GiB length is "too large",
 * not "truncated"), parts inside fw_length, then the parts against the bytes
 * present. A file shorter than fw_length (an OpenWrt sysupgrade image, which
 * mktplinkfw -s writes without its padding) is accepted when the kernel and
 * the root filesystem are whole.
 */
export interface TplinkRules {
  /** 'TP-Link v1 header', for messages. */
  label: string;
  headerSize: number;
  /** Where md5sum1 sits, and the salts for images without / with a bootloader part. */
  md5: { offset: number; salt: Buffer; bootSalt: Buffer; algorithm: string };
  /** A combined image (mktplinkfw2 -c): no rootfs part of its own, the root is inside the kernel part. */
  combined?: boolean;
}

export function tplinkParts(file: FirmwareFile, h: FirmwareHeader, rules: TplinkRules, maxBytes: number): Omit<ParsedFirmware, 'header'> {
  const b = file.bytes;
  const have = b.length;
  const l = {
    ...rules,
    fwLength: h.fwLength,
    kernel: { offset: h.kernelOffset, length: h.kernelLength },
    rootfs: rules.combined ? undefined : { offset: h.rootfsOffset, length: h.rootfsLength },
    boot: { offset: h.bootOffset, length: h.bootLength },
  };
  if (l.fwLength < l.headerSize) {
    throw new TruncatedError(file.path, `fw_length (${l.fwLength}) cannot hold the ${l.label}`, l.headerSize, l.fwLength);
  }
  const declared: [string, Span | undefined][] = [['kernel part', l.kernel], ['rootfs part', l.rootfs], ['bootloader part', l.boot]];
  for (const [what, s] of declared) if (s && s.length > 0) checkPartBounds(file.path, what, s.offset, s.length, Infinity, maxBytes);
  for (const [what, s] of declared) if (s && s.length > 0) checkPartBounds(file.path, what, s.offset, s.length, l.fwLength, maxBytes);
  for (const [what, s] of [declared[0]!, declared[2]!]) if (s && s.length > 0) checkPartBounds(file.path, what, s.offset, s.length, have, maxBytes);

  const parts: FirmwarePart[] = l.kernel.length > 0 ? [kernelPart(b, l.kernel)] : [];
  const root = locateSquashfsRoot(b, l.rootfs, l.kernel, l.headerSize);
  if (root) parts.push(rootfsPart(file, root, have));
  else if (l.rootfs && l.rootfs.length > 0) {
    checkPartBounds(file.path, 'rootfs part', l.rootfs.offset, l.rootfs.length, have, maxBytes);
    parts.push({ kind: 'rootfs', ...l.rootfs, type: detectPartType(b.subarray(l.rootfs.offset, l.rootfs.offset + l.rootfs.length)), details: { offsetSource: 'header' } });
  }
  if (l.boot.length > 0) parts.push({ kind: 'bootloader', ...l.boot, type: detectPartType(b.subarray(l.boot.offset, l.boot.offset + l.boot.length)) });

  const checksum = md5Verdict(b, l);
  const parsed: Omit<ParsedFirmware, 'header'> = { checksum, parts };
  if (l.fwLength > have) {
    const what = checksum.status === 'ok' ? 'sysupgrade image' : 'shorter than its header says';
    const whole = parts.some((p) => p.kind === 'rootfs') ? 'kernel and rootfs are whole' : 'the kernel is whole; no rootfs found';
    parsed.notes = [`${what}: fw_length ${l.fwLength} longer than the file ${have}; ${whole}`];
  }
  const u = parts.find((p) => p.kind === 'kernel')?.details as { name?: string } | undefined;
  const kernelVersion = (u?.name !== undefined ? kernelVersionFromName(u.name) : undefined) ?? kernelVersionFromBytes(b.subarray(l.kernel.offset, l.kernel.offset + l.kernel.length));
  if (kernelVersion !== undefined) parsed.kernelVersion = kernelVersion;
  return parsed;
}

function kernelPart(b: Buffer, k: Span): FirmwarePart {
  const bytes = b.subarray(k.offset, k.offset + k.length);
  const part: FirmwarePart = { kind: 'kernel', ...k, type: detectPartType(bytes) };
  const u = part.type === 'uimage' ? parseUImageHeader(bytes) : undefined;
  if (u) part.details = { ...u };
  return part;
}

/** A squashfs root is whole when its bytes_used (or the header's length, if that fits) is inside the file. */
function rootfsPart(file: FirmwareFile, r: RootfsLocation, have: number): FirmwarePart {
  const fits = r.length > 0 && r.offset + r.length <= have;
  const length = r.offsetSource === 'header' && !fits ? (r.superblock.bytesUsed ?? r.length) : r.length;
  if (r.offset + length > have) {
    throw new TruncatedError(file.path, `the squashfs root at offset ${r.offset} (bytes_used ${length})`, r.offset + length, have);
  }
  const details: Record<string, unknown> = { offsetSource: r.offsetSource };
  if (r.header) Object.assign(details, { headerOffset: r.header.offset, headerLength: r.header.length });
  if (r.note !== undefined) details.note = r.note;
  details.squashfs = r.superblock;
  return { kind: 'rootfs', offset: r.offset, length, type: detectPartType(file.bytes.subarray(r.offset, r.offset + length)), details };
}

function md5Verdict(b: Buffer, l: TplinkRules & { fwLength: number; boot: Span }): ChecksumVerdict {
  const covered = Math.min(l.fwLength, b.length);
  const expected = storedTplinkMd5(b, l.md5.offset).toString('hex');
  const salt = l.boot.length === 0 ? l.md5.salt : l.md5.bootSalt;
  const actual = computeTplinkMd5(b, covered, { salt, offset: l.md5.offset }).toString('hex');
  const verdict: ChecksumVerdict = { status: expected === actual ? 'ok' : 'bad', algorithm: l.md5.algorithm, expected, actual, coveredBytes: covered };
  if (covered < l.fwLength) {
    // mktplinkfw -s hashes the bytes it writes, so a sysupgrade image checks out over the file.
    if (verdict.status === 'bad') verdict.status = 'unverifiable';
    verdict.note = verdict.status === 'ok'
      ? `md5 over the file's ${covered} bytes (mktplinkfw -s hashes what it writes)`
      : `the file is ${covered} bytes, fw_length ${l.fwLength}: the digest covers bytes the file does not have`;
  }
  return verdict;
}
