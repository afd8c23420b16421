import type { FirmwareImage, FirmwarePart } from './firmware-image.js';
import type { FirmwareFile } from './firmware-format.js';
import type { PathSafetyReport } from './path-safety.js';
import type { ListingEntry } from './squashfs-listing.js';

/**
 * How one kind of root part becomes a cache entry: a squashfs its
 * `rootfs.squashfs` disk and its checked listing (read in place, never
 * unpacked); a tar its `root/` tree, from which the disk is built. A source
 * lists and checks before it writes anything; unpack-rootfs.ts then audits
 * a tree, builds the disk when the source asks for it, and describes the result.
 */
export interface RootSourceInput {
  image: FirmwareImage;
  file: FirmwareFile;
  part: FirmwarePart;
  /** The entry's temp dir; the source writes `rootfs.squashfs`, or `root/` and sets `build`. */
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
  /** A root read in place (no `root/`): its checked listing. */
  tree?: ListingEntry[];
}

export type RootSource = (input: RootSourceInput) => Promise<RootSourceResult>;
