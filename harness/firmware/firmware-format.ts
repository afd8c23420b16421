import type { ChecksumVerdict, FirmwareHeader, FirmwarePart } from './firmware-image.js';

/** The whole file in memory: firmware images are megabytes, not gigabytes. */
export interface FirmwareFile {
  path: string;
  bytes: Buffer;
}

export interface ParseOptions {
  /** Parts longer than this are refused with FIRMLAB_FIRMWARE_TOO_LARGE. */
  maxBytes: number;
}

export interface ParsedFirmware {
  header?: FirmwareHeader;
  checksum: ChecksumVerdict;
  parts: FirmwarePart[];
  kernelVersion?: string;
  /** Copied to FirmwareImage.notes. */
  notes?: string[];
}

/**
 * One container format (TP-Link v1 header, raw squashfs; later FIT, UBI,
 * encrypted vendor formats). Add a format by writing one file that implements
 * this and listing it in firmware-formats.ts.
 */
export interface FirmwareFormat {
  readonly name: string;
  /** 0 = not this format, 1 = certain. Sees at most the first PROBE_BYTES bytes. */
  probe(head: Uint8Array): number;
  /** Throws FirmlabErrors (truncated, too large); a bad checksum is a verdict, not a throw. */
  parse(file: FirmwareFile, options: ParseOptions): ParsedFirmware;
}

export const PROBE_BYTES = 4096;
