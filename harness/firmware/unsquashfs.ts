import { execa, type ExecaError } from 'execa';
import { ExtractFailedError, ToolMissingError } from './firmware-errors.js';

/**
 * The one door to squashfs-tools' unsquashfs. Listing and extraction only;
 * the safety rules live in path-safety.ts and safe-extract.ts.
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
  const r = await run(['-lln', '-UTC', '-d', LISTING_ROOT, image], o, 'listing the squashfs failed');
  return r;
}

/**
 * Extracts into `dest` (which must not exist yet). -no-xattrs: security.*
 * xattrs (file capabilities) mean nothing on the host; -no-wildcards: the
 * exclude file holds literal names (device nodes we must not create).
 */
export async function unsquashfsExtract(image: string, dest: string, excludeFile: string, o: UnsquashfsOptions): Promise<void> {
  await run(['-no-xattrs', '-n', '-no-wildcards', '-exclude-file', excludeFile, '-d', dest, image], o, 'unsquashfs failed');
}

async function run(args: string[], o: UnsquashfsOptions, what: string): Promise<string> {
  const tool = o.tool ?? 'unsquashfs';
  try {
    const r = await execa(tool, args, { cancelSignal: o.signal, stdin: 'ignore', maxBuffer: 256 * 1024 * 1024, env: { LC_ALL: 'C' } });
    return r.stdout;
  } catch (e) {
    const err = e as ExecaError;
    if ((err as { code?: string }).code === 'ENOENT') throw new ToolMissingError(tool, 'squashfs-tools', e);
    if (err.isCanceled) throw e;
    const tail = String(err.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    throw new ExtractFailedError(o.label, what, tail, { exitCode: err.exitCode });
  }
}
