import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { currentOwner, processStart } from './process-owner.js';

/**
 * Temp dirs beside the entries of an on-disk cache (the firmware cache, the
 * snapshot store), named by the process writing them:
 * `.<kind>-<label>-<pid>-<start>-XXXXXX`, where kind is `tmp` (being built)
 * or `damaged` (moved aside to be removed). So the dirs a killed run left are
 * told from those of a live one, and swept by the next process to use the cache.
 */
export function makeOwnedTempDir(parent: string, kind: 'tmp' | 'damaged', label: string): Promise<string> {
  const o = currentOwner();
  return mkdtemp(join(parent, `.${kind}-${label}-${o.pid}-${o.start}-`));
}

/**
 * Removes the temp and damaged dirs under `parent` whose process is gone.
 * Those of live processes stay; a name without an owner (an older
 * firmlab's) goes once it is an hour old. Returns the names removed.
 */
export async function sweepOwnedTempDirs(parent: string, startOf: (pid: number) => string | undefined = processStart, nowMs = Date.now()): Promise<string[]> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const m = /^\.(?:tmp|damaged)-[0-9a-f]{1,12}-(?:(\d+)-(\d+)-)?[A-Za-z0-9]{6}$/.exec(name);
    if (!m) continue;
    const path = join(parent, name);
    const gone = m[1] !== undefined
      ? startOf(Number(m[1])) !== m[2]
      : nowMs - ((await stat(path).catch(() => undefined))?.mtimeMs ?? nowMs) > 3_600_000;
    if (!gone) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
