import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeOwnedTempDir, sweepOwnedTempDirs } from '../util/owned-temp-dirs.js';
import { processStart } from '../util/process-owner.js';
import type { FirmwareImage } from './firmware-image.js';
import type { PathSafetyReport } from './path-safety.js';
import { dirRootView, squashfsRootView, type RootView } from './root-view.js';
import type { ListingEntry } from './squashfs-listing.js';
import type { UnsquashfsOptions } from './unsquashfs.js';

/**
 * Unpacked firmware, keyed by the file's sha256, so a second inspect or
 * extract of the same bytes does no decompression. One entry:
 *   <dir>/v<N>/<sha256>/image.json        the FirmwareImage (with cpu, userland)
 *   <dir>/v<N>/<sha256>/listing.json      the PathSafetyReport of the rootfs listing
 *   <dir>/v<N>/<sha256>/rootfs.squashfs   the harness's root disk (what an emulator boots)
 *   <dir>/v<N>/<sha256>/tree.json         a squashfs root's checked listing: it is read in
 *                                         place (root-view.ts), never unpacked here
 *   <dir>/v<N>/<sha256>/root/             a tar root's unpacked tree (devices skipped, links kept)
 * An entry appears by rename of a finished temp dir, so it is complete or
 * absent. A temp dir is named by the process that writes it
 * (`.tmp-<sha12>-<pid>-<start>-XXXXXX`), so the dirs of a killed run are
 * told from those of a live one and swept by the next process to use the cache. N is CACHE_FORMAT: entries an older layout wrote live elsewhere
 * and are never read; an entry that cannot be read is rebuilt.
 */
export const CACHE_FORMAT = 3;

export interface CacheEntry {
  dir: string;
  /** A tar root's unpacked tree; a squashfs root has `tree` instead. */
  root?: string;
  /** A squashfs root's listing, to read it in place. */
  tree?: ListingEntry[];
  rootfsImage: string;
  image: FirmwareImage;
  report: PathSafetyReport;
}

/** How to read an entry's root: its root disk in place (squashfs), else its unpacked tree (tar). */
export function entryRootView(entry: CacheEntry, tool: UnsquashfsOptions): RootView {
  if (entry.tree) return squashfsRootView(entry.rootfsImage, entry.tree, tool);
  if (entry.root) return dirRootView(entry.root);
  throw new Error(`cache entry ${entry.dir} has neither a listing nor a tree`);
}

export function defaultCacheDir(env: NodeJS.ProcessEnv, cwd: string): string {
  return env.FIRMLAB_CACHE_DIR || join(cwd, '.firmlab', 'cache');
}

export class FirmwareCache {
  /** Where this format's entries live. */
  readonly entriesDir: string;

  constructor(readonly dir: string) {
    this.entriesDir = join(dir, `v${CACHE_FORMAT}`);
  }

  entryDir(sha256: string): string {
    return join(this.entriesDir, sha256);
  }

  private swept: Promise<unknown> | undefined;

  /** The entry, or undefined when absent or damaged (unreadable JSON, another file's image, parts missing). */
  async get(sha256: string): Promise<CacheEntry | undefined> {
    // The first look also clears what killed runs left (once per cache object).
    await (this.swept ??= this.sweep().catch(() => undefined));
    const dir = this.entryDir(sha256);
    try {
      const image = JSON.parse(await readFile(join(dir, 'image.json'), 'utf8')) as FirmwareImage;
      const report = JSON.parse(await readFile(join(dir, 'listing.json'), 'utf8')) as PathSafetyReport;
      const tree = await readFile(join(dir, 'tree.json'), 'utf8').then((t) => JSON.parse(t) as ListingEntry[], () => undefined);
      const root = join(dir, 'root');
      const entry: CacheEntry = { dir, rootfsImage: join(dir, 'rootfs.squashfs'), image, report, ...(tree ? { tree } : { root }) };
      if (image.sha256 !== sha256 || !(await stat(entry.rootfsImage)).isFile()) return undefined;
      if (!Array.isArray(tree) && !(await stat(root)).isDirectory()) return undefined;
      return entry;
    } catch {
      return undefined;
    }
  }

  /** Builds an entry in a temp dir beside the final one; on any failure nothing is left. */
  async put(
    sha256: string,
    build: (tmp: string) => Promise<{ image: FirmwareImage; report: PathSafetyReport; tree?: ListingEntry[] }>,
  ): Promise<CacheEntry> {
    await mkdir(this.entriesDir, { recursive: true });
    const tmp = await makeOwnedTempDir(this.entriesDir, 'tmp', sha256.slice(0, 12));
    try {
      const { image, report, tree } = await build(tmp);
      if (tree) await writeFile(join(tmp, 'tree.json'), JSON.stringify(tree));
      await writeFile(join(tmp, 'listing.json'), JSON.stringify(report));
      await writeFile(join(tmp, 'image.json'), JSON.stringify(image, null, 2));
      await this.install(tmp, sha256);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
    const entry = await this.get(sha256);
    if (!entry) throw new Error(`cache entry ${sha256} vanished after it was written`);
    return entry;
  }

  /** Removes the temp and aside dirs of processes that are gone (a run killed mid-unpack); returns what it removed. */
  sweep(startOf: (pid: number) => string | undefined = processStart, nowMs = Date.now()): Promise<string[]> {
    return sweepOwnedTempDirs(this.entriesDir, startOf, nowMs);
  }

  private async install(tmp: string, sha256: string): Promise<void> {
    const final = this.entryDir(sha256);
    // A damaged entry in the way is moved aside first (rename is atomic), then removed.
    if ((await stat(final).catch(() => undefined)) && !(await this.get(sha256))) {
      const aside = await makeOwnedTempDir(this.entriesDir, 'damaged', sha256.slice(0, 12));
      await rename(final, join(aside, 'entry')).catch(() => undefined);
      await rm(aside, { recursive: true, force: true });
    }
    await rename(tmp, final).catch(async (e: NodeJS.ErrnoException) => {
      // Another process finished the same entry first: keep theirs.
      if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
      await rm(tmp, { recursive: true, force: true });
    });
  }
}
