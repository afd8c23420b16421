/**
 * Passive description of one firmware file: what identify/inspect found.
 * Plain data (JSON-serialisable, camelCase), cached beside the extracted tree.
 */
export type PartKind = 'kernel' | 'rootfs' | 'bootloader';

export interface FirmwarePart {
  kind: PartKind;
  /** From the start of the firmware file. */
  offset: number;
  length: number;
  /** What the part's bytes look like: 'uimage', 'squashfs-xz', 'elf', 'unknown', ... */
  type: string;
  /** Format-specific facts (a uImage's name, load address, CRC verdicts...). */
  details?: Record<string, unknown>;
}

/**
 * 'unverifiable': the digest covers bytes the file does not have (a factory
 * image cut short in its padding), so neither ok nor bad can be said.
 */
export interface ChecksumVerdict {
  status: 'ok' | 'bad' | 'not-applicable' | 'unverifiable';
  algorithm?: string;
  expected?: string;
  actual?: string;
  /** Bytes from the start of the file the digest was computed over. */
  coveredBytes?: number;
  note?: string;
}

/**
 * Vendor header fields; absent for headerless formats (raw squashfs, tar).
 * A field the header's layout lacks is '' / 0 / [] (the TP-Link v2 header
 * has no vendor name, region code or region strings).
 */
export interface FirmwareHeader {
  vendor: string;
  /** Product id as hex, e.g. '0x05500001' (TP-Link hw_id). */
  hwId: string;
  hwRev: number;
  regionCode: number;
  versionString: string;
  verHi: number;
  verMid: number;
  verLo: number;
  fwLength: number;
  kernelLoadAddress: string;
  kernelEntryPoint: string;
  kernelOffset: number;
  kernelLength: number;
  rootfsOffset: number;
  rootfsLength: number;
  bootOffset: number;
  bootLength: number;
  regionStrings: string[];
  /** The header's own version field (1 for mktplinkfw, 2 or 3 for mktplinkfw2). */
  headerVersion?: number;
  /** mktplinkfw2 hw_ver_add. */
  hwVerAdd?: number;
  /** mktplinkfw2 sver_hi.sver_lo. */
  softwareVersion?: string;
  /** mktplinkfw2 flash layout whose fw_max_len and kernel load address match, e.g. '4Mmtk'. */
  flashLayout?: string;
  /** SoC family the flash layout is for ('mediatek', 'qualcomm-atheros', 'lantiq'). */
  soc?: string;
}

export interface CpuArch {
  arch: string;
  bits: 32 | 64;
  endian: 'little' | 'big';
  /** e.g. 'eabi5 hard-float' for ARM, absent when the flags say nothing. */
  abi?: string;
  /** Debian-style key used to pick an emulator: armhf, armel, arm64, mips, mipsel... */
  archKey: string;
  /** Path inside the root of the ELF the answer came from. */
  source: string;
}

export interface FilesystemInfo {
  type: string;
  compression: string;
  /** Sum of regular file sizes from the listing. */
  unpackedBytes?: number;
  entries?: number;
  /** Symlinks whose target leaves the root on the host (absolute or climbing above it). */
  outsideLinks?: { path: string; target: string }[];
}

export type LibcName = 'uClibc' | 'musl' | 'glibc' | 'unknown';
export type InitName = 'procd' | 'busybox-init' | 'sysvinit' | 'systemd' | 'vendor-rcS' | 'unknown';

/** What the unpacked root runs on, from file names and links (nothing is executed). */
export interface UserlandInfo {
  /** `source`: the path inside the root that decided, '' when nothing did. */
  libc: { name: LibcName; version?: string; source: string };
  init: { name: InitName; source: string };
}

export interface FirmwareImage {
  path: string;
  sha256: string;
  size: number;
  format: string;
  header?: FirmwareHeader;
  checksum: ChecksumVerdict;
  parts: FirmwarePart[];
  filesystem?: FilesystemInfo;
  cpu?: CpuArch;
  kernelVersion?: string;
  userland?: UserlandInfo;
  /** Facts about how the file was read that a user should know (a sysupgrade image's short length...). */
  notes?: string[];
  /** Changes made to the harness's copy of the root disk (never to the user's file), and why. */
  adjustments?: string[];
}
