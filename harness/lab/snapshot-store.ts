import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseByteSize } from '../firmware/byte-size.js';
import { durationMs } from '../util/duration.js';
import { defaultCacheDir } from '../firmware/firmware-cache.js';
import { makeOwnedTempDir, sweepOwnedTempDirs } from '../util/owned-temp-dirs.js';

/**
 * Ready routers saved to disk (issue #12): boot a build once, restore it in
 * well under a second after. One entry per key (everything that changes the
 * booted state, snapshotKey):
 *   <dir>/v<N>/<key>/meta.json   the key's inputs, the files' sizes and sha256, when saved
 *   <dir>/v<N>/<key>/vmstate     QEMU's migration stream of the stopped VM
 *   <dir>/v<N>/<key>/flash.img   the writable disk as it was at that moment (when the firmware has one)
 * An entry appears by rename of a finished temp dir, so it is whole or absent;
 * one whose files do not match their recorded size and sha256 is removed, never
 * used. Entries are evicted oldest-used first past a total size, and past an age.
 */
export const SNAPSHOT_FORMAT = 1;

export interface SnapshotFile {
  bytes: number;
  sha256: string;
}

export interface SnapshotMeta {
  format: number;
  key: string;
  /** What the key was computed from, for people reading the cache. */
  inputs: Record<string, unknown>;
  savedAtMs: number;
  files: { vmstate: SnapshotFile; flash?: SnapshotFile };
}

export interface Snapshot {
  dir: string;
  stateFile: string;
  flashFile?: string;
  meta: SnapshotMeta;
}

export interface SnapshotLimits {
  maxBytes: number;
  maxAgeMs: number;
}

export const DEFAULT_SNAPSHOT_LIMITS: SnapshotLimits = { maxBytes: 4 * 2 ** 30, maxAgeMs: 14 * 24 * 3_600_000 };

/** The limits from FIRMLAB_SNAPSHOT_MAX_BYTES (`2G`) and FIRMLAB_SNAPSHOT_MAX_AGE (`72h`). */
export function snapshotLimits(env: NodeJS.ProcessEnv): SnapshotLimits {
  const bytes = env.FIRMLAB_SNAPSHOT_MAX_BYTES;
  const age = env.FIRMLAB_SNAPSHOT_MAX_AGE;
  const maxAgeMs = age === undefined || age === '' ? DEFAULT_SNAPSHOT_LIMITS.maxAgeMs : durationMs(age);
  if (maxAgeMs === undefined) throw new TypeError(`FIRMLAB_SNAPSHOT_MAX_AGE: expected a duration like 72h, got ${JSON.stringify(age)}`);
  return {
    maxBytes: bytes === undefined || bytes === '' ? DEFAULT_SNAPSHOT_LIMITS.maxBytes : parseByteSize(bytes, 'FIRMLAB_SNAPSHOT_MAX_BYTES'),
    maxAgeMs,
  };
}

/** The key of a booted state: sha256 of its inputs as canonical JSON (keys sorted). */
export function snapshotKey(inputs: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson({ format: SNAPSHOT_FORMAT, ...inputs })).digest('hex');
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export async function fileSha256(path: string): Promise<SnapshotFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** How routers come up: in `on` mode (`auto`, or `cold` for a caller that must see the boot) unless `--no-snapshot` or FIRMLAB_SNAPSHOTS=off (or 0) says `off`. */
export function snapshotSetting(noSnapshotFlag: boolean, env: NodeJS.ProcessEnv, on: 'auto' | 'cold' = 'auto'): 'auto' | 'cold' | 'off' {
  const v = (env.FIRMLAB_SNAPSHOTS ?? '').toLowerCase();
  return !noSnapshotFlag && v !== 'off' && v !== '0' && v !== 'false' ? on : 'off';
}

/** The store beside the firmware cache (FIRMLAB_CACHE_DIR, else .firmlab/cache), with the env's limits. */
export function snapshotStore(env: NodeJS.ProcessEnv, cwd = process.cwd()): SnapshotStore {
  return new SnapshotStore(join(defaultCacheDir(env, cwd), 'snapshots'), snapshotLimits(env));
}

export class SnapshotStore {
  readonly entriesDir: string;
  private swept: Promise<unknown> | undefined;

  constructor(readonly dir: string, private readonly limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS) {
    this.entriesDir = join(dir, `v${SNAPSHOT_FORMAT}`);
  }

  /**
   * The entry for `key` when every file is as recorded; a damaged or
   * mismatched one is removed (and undefined returned). Marks it used.
   */
  async get(key: string): Promise<Snapshot | undefined> {
    await (this.swept ??= sweepOwnedTempDirs(this.entriesDir).catch(() => undefined));
    const dir = join(this.entriesDir, key);
    let meta: SnapshotMeta;
    try {
      meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as SnapshotMeta;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') await this.discard(key);
      return undefined;
    }
    const snap: Snapshot = { dir, stateFile: join(dir, 'vmstate'), meta, ...(meta.files?.flash !== undefined && { flashFile: join(dir, 'flash.img') }) };
    if (!(await this.intact(snap))) {
      await this.discard(key);
      return undefined;
    }
    const now = new Date();
    await utimes(join(dir, 'meta.json'), now, now).catch(() => undefined);
    return snap;
  }

  /** Whether an entry for `key` is there (not checked: `get` does that). */
  async has(key: string): Promise<boolean> {
    return (await stat(join(this.entriesDir, key, 'meta.json')).catch(() => undefined)) !== undefined;
  }

  /** True when the files are there with the sizes and sha256 meta.json records, for this key and format. */
  private async intact(s: Snapshot): Promise<boolean> {
    const { meta } = s;
    if (meta.format !== SNAPSHOT_FORMAT || meta.key !== s.dir.slice(this.entriesDir.length + 1) || meta.files?.vmstate === undefined) return false;
    const checks: [string, SnapshotFile][] = [[s.stateFile, meta.files.vmstate], ...(s.flashFile && meta.files.flash ? [[s.flashFile, meta.files.flash] as [string, SnapshotFile]] : [])];
    try {
      for (const [path, want] of checks) {
        if ((await stat(path)).size !== want.bytes) return false;
        const got = await fileSha256(path);
        if (got.sha256 !== want.sha256) return false;
      }
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Installs the files QEMU and the lab wrote (moved, not copied, when on the
   * same filesystem) as the entry for `key`, then evicts past the limits.
   * Another process that saved the same key first wins.
   */
  async put(key: string, files: { vmstate: string; flash?: string }, inputs: Record<string, unknown>, savedAtMs = Date.now()): Promise<Snapshot> {
    await mkdir(this.entriesDir, { recursive: true });
    const tmp = await makeOwnedTempDir(this.entriesDir, 'tmp', key.slice(0, 12));
    try {
      await moveFile(files.vmstate, join(tmp, 'vmstate'));
      if (files.flash !== undefined) await copyFile(files.flash, join(tmp, 'flash.img'));
      const meta: SnapshotMeta = {
        format: SNAPSHOT_FORMAT, key, inputs, savedAtMs,
        files: {
          vmstate: await fileSha256(join(tmp, 'vmstate')),
          ...(files.flash !== undefined && { flash: await fileSha256(join(tmp, 'flash.img')) }),
        },
      };
      await writeFile(join(tmp, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
      await rename(tmp, join(this.entriesDir, key)).catch(async (e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
        await rm(tmp, { recursive: true, force: true });
      });
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
    await this.evict(key).catch(() => undefined);
    const snap = await this.get(key);
    if (snap === undefined) throw new Error(`snapshot ${key} vanished after it was written`);
    return snap;
  }

  /** Removes one entry (moved aside first, so a reader never sees half of it). */
  async discard(key: string): Promise<void> {
    const final = join(this.entriesDir, key);
    if (!(await stat(final).catch(() => undefined))) return;
    const aside = await makeOwnedTempDir(this.entriesDir, 'damaged', key.slice(0, 12));
    await rename(final, join(aside, 'entry')).catch(() => undefined);
    await rm(aside, { recursive: true, force: true });
  }

  /** Every entry with its size and last use (meta.json's mtime). */
  async list(): Promise<{ key: string; bytes: number; usedAtMs: number }[]> {
    const out: { key: string; bytes: number; usedAtMs: number }[] = [];
    for (const name of await readdir(this.entriesDir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{64}$/.test(name)) continue;
      const dir = join(this.entriesDir, name);
      const meta = await stat(join(dir, 'meta.json')).catch(() => undefined);
      let bytes = 0;
      for (const f of await readdir(dir).catch(() => [] as string[])) bytes += (await stat(join(dir, f)).catch(() => undefined))?.size ?? 0;
      out.push({ key: name, bytes, usedAtMs: meta?.mtimeMs ?? 0 });
    }
    return out;
  }

  /** Drops entries unused for longer than the age limit, then the least recently used until under the size limit (never `keep`). */
  async evict(keep?: string, nowMs = Date.now()): Promise<string[]> {
    const entries = (await this.list()).sort((a, b) => a.usedAtMs - b.usedAtMs);
    let total = entries.reduce((n, e) => n + e.bytes, 0);
    const removed: string[] = [];
    for (const e of entries) {
      if (e.key === keep) continue;
      if (nowMs - e.usedAtMs <= this.limits.maxAgeMs && total <= this.limits.maxBytes) continue;
      await this.discard(e.key);
      total -= e.bytes;
      removed.push(e.key);
    }
    return removed;
  }
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    await copyFile(from, to);
    await unlink(from);
  }
}
