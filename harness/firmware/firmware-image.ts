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

export interface ChecksumVerdict {
  status: 'ok' | 'bad' | 'not-applicable';
  algorithm?: string;
  expected?: string;
  actual?: string;
}

/** Vendor header fields; absent for headerless formats (raw squashfs). */
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
}
