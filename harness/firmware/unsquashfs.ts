import { TooLargeError } from './firmware-errors.js';
import { runTool, type ToolRun } from './run-tool.js';

/**
 * The one door to squashfs-tools' unsquashfs. Listing, extraction, one
 * file's bytes and the superblock summary only; the safety rules live in path-safety.ts.
 */
export interface UnsquashfsOptions {
  /** Binary to run; tests point this at a missing path to prove FIRMLAB_TOOL_MISSING. */
  tool?: string;
  signal?: AbortSignal;
  /** Names the firmware file in error messages. */
  label: string;
  /** Extraction stops once the tree passes this many bytes, whatever the listing said. */
  maxBytes?: number;
}

/** Prefix unsquashfs puts before every listed path (its -d argument). */
export const LISTING_ROOT = 'squashfs-root';

export async function unsquashfsList(image: string, o: UnsquashfsOptions): Promise<string> {
  return (await run(['-lln', '-UTC', '-d', LISTING_ROOT, image], o, 'listing the squashfs failed')).toString('utf8');
}

/**
 * Extracts into `dest` (which must not exist yet). -no-xattrs: security.*
 * xattrs (file capabilities) mean nothing on the host; -no-wildcards: the
 * exclude file holds literal names (device nodes we must not create).
 */
export async function unsquashfsExtract(image: string, dest: string, excludeFile: string, o: UnsquashfsOptions): Promise<void> {
  const watch = o.maxBytes === undefined ? undefined : {
    dir: dest, maxBytes: o.maxBytes,
    onTooLarge: (bytes: number) => new TooLargeError(o.label, 'the unpacked rootfs (stopped while unpacking: its listing said less)', bytes, o.maxBytes!),
  };
  await run(['-no-xattrs', '-n', '-no-wildcards', '-exclude-file', excludeFile, '-d', dest, image], o, 'unsquashfs failed', watch);
}

/** One regular file's bytes (`path` relative to the root, taken literally). */
export async function unsquashfsCat(image: string, path: string, o: UnsquashfsOptions): Promise<Buffer> {
  return run(['-no-wildcards', '-cat', image, path], o, `reading ${path} from the squashfs failed`);
}

function run(args: string[], o: UnsquashfsOptions, what: string, watch?: ToolRun['watch']): Promise<Buffer> {
  return runTool(args, { tool: o.tool ?? 'unsquashfs', aptPackage: 'squashfs-tools', label: o.label, what, signal: o.signal, ...(watch && { watch }) });
}
