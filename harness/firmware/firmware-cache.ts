import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FirmwareImage } from './firmware-image.js';
import type { PathSafetyReport } from './path-safety.js';

/**
 * Unpacked firmware, keyed by the file's sha256, so a second inspect or
 * extract of the same bytes does no decompression. One entry:
 *   <dir>/<sha256>/image.json        the FirmwareImage (with cpu)
 *   <dir>/<sha256>/listing.json      the PathSafetyReport of the rootfs listing
 *   <dir>/<sha256>/rootfs.squashfs   the carved rootfs part (what an emulator boots)
 *   <dir>/<sha256>/root/             the unpacked tree (devices skipped, links kept)
 * An entry appears by rename of a finished temp dir, so it is complete or absent.
 */
export interface CacheEntry {
  dir: string;
  root: string;
  rootfsImage: string;
  image: FirmwareImage;
  report: PathSafetyReport;
}

export function defaultCacheDir(env: NodeJS.ProcessEnv, cwd: string): string {
  return env.FIRMLAB_CACHE_DIR || join(cwd, '.firmlab', 'cache');
}

export class FirmwareCache {
  constructor(readonly dir: string) {}

  async get(sha256: string): Promise<CacheEntry | undefined> {
    const dir = join(this.dir, sha256);
    try {
      const image = JSON.parse(await readFile(join(dir, 'image.json'), 'utf8')) as FirmwareImage;
      const report = JSON.parse(await readFile(join(dir, 'listing.json'), 'utf8')) as PathSafetyReport;
      return { dir, root: join(dir, 'root'), rootfsImage: join(dir, 'rootfs.squashfs'), image, report };
    } catch {
      return undefined;
    }
  }

  /** Builds an entry in a temp dir beside the final one; on any failure nothing is left. */
  async put(
    sha256: string,
    build: (tmp: string) => Promise<{ image: FirmwareImage; report: PathSafetyReport }>,
  ): Promise<CacheEntry> {
    await mkdir(this.dir, { recursive: true });
    const tmp = await mkdtemp(join(this.dir, `.tmp-${sha256.slice(0, 12)}-`));
    try {
      const { image, report } = await build(tmp);
      await writeFile(join(tmp, 'listing.json'), JSON.stringify(report));
      await writeFile(join(tmp, 'image.json'), JSON.stringify(image, null, 2));
      await rename(tmp, join(this.dir, sha256)).catch(async (e: NodeJS.ErrnoException) => {
        // Another process finished the same entry first: keep theirs.
        if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
        await rm(tmp, { recursive: true, force: true });
      });
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
    const entry = await this.get(sha256);
    if (!entry) throw new Error(`cache entry ${sha256} vanished after it was written`);
    return entry;
  }
}
