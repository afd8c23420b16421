import { runTool } from './run-tool.js';

/**
 * The one door to squashfs-tools' unsquashfs. Listing, extraction and the
 * superblock summary only; the safety rules live in path-safety.ts.
 */
export interface UnsquashfsOptions {
  /** Binary to run; tests point this at a missing path to prove FIRMLAB_TOOL_MISSING. */
  tool?: string;
  signal?: AbortSignal;
  /** Names the firmware file in error messages. */
  label: string;
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
  await run(['-no-xattrs', '-n', '-no-wildcards', '-exclude-file', excludeFile, '-d', dest, image], o, 'unsquashfs failed');
}

function run(args: string[], o: UnsquashfsOptions, what: string): Promise<Buffer> {
  return runTool(args, { tool: o.tool ?? 'unsquashfs', aptPackage: 'squashfs-tools', label: o.label, what, signal: o.signal });
}
