import type { FirmwareImage, FirmwarePart } from './firmware-image.js';
import type { FirmwareFile } from './firmware-format.js';
import type { PathSafetyReport } from './path-safety.js';

/**
 * How one kind of root part (squashfs, tar) becomes a cache entry's
 * `root/` tree and `rootfs.squashfs` disk. A source lists and checks before
 * it writes anything; unpack-rootfs.ts then audits the tree, builds the disk
 * when the source asks for it, and describes the result.
 */
export interface RootSourceInput {
  image: FirmwareImage;
  file: FirmwareFile;
  part: FirmwarePart;
  /** The entry's temp dir; the source writes `root/` (and `rootfs.squashfs` unless it sets `build`). */
  tmp: string;
  maxBytes: number;
  unsquashfs?: string;
  signal?: AbortSignal;
}

export interface RootSourceResult {
  report: PathSafetyReport;
  /** Changes made to the harness's root disk, for FirmwareImage.adjustments. */
  adjustments: string[];
  /** Set when rootfs.squashfs must be built from root/: mksquashfs pseudo definitions for the device nodes. */
  build?: { pseudo: string[] };
}

export type RootSource = (input: RootSourceInput) => Promise<RootSourceResult>;
