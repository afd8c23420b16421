import { constants } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ListingEntry } from './squashfs-listing.js';
import { unsquashfsCat, type UnsquashfsOptions } from './unsquashfs.js';

/**
 * A firmware root as the harness reads it (the CPU, C library and init of
 * the firmware, its device profile's files): either an unpacked tree, or
 * its squashfs read in place, its listing for the structure and
 * `unsquashfs -cat` for the few files read, so booting a firmware never
 * unpacks its root. Paths are absolute inside the root (`/etc/inittab`) and
 * never followed through links: resolveInRoot does that, as the firmware's
 * own kernel would, so nothing outside the root is ever looked at.
 */
export interface RootView {
  /** What the path is, not following a final link; undefined when it does not exist. */
  entry(path: string): Promise<RootEntry | undefined>;
  /** The names in a directory (not following links); undefined when it is none. */
  list(dir: string): Promise<string[] | undefined>;
  /** Up to `maxBytes` from the start of a regular file; undefined for anything else. */
  read(path: string, maxBytes: number): Promise<Buffer | undefined>;
}

export interface RootEntry {
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** A symlink's target, as stored. */
  target?: string;
}

const MAX_LINKS = 40; // as Linux's MAXSYMLINKS

/**
 * Resolves a path the way the firmware's own kernel would after chroot:
 * absolute link targets start at the root, `..` stops at it. Returns the
 * resolved path inside the root, or undefined when it does not exist or loops.
 */
export async function resolveInRoot(view: RootView, path: string): Promise<string | undefined> {
  const todo = path.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (todo.length > 0) {
    const part = todo.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const e = await view.entry(`/${[...done, part].join('/')}`);
    if (!e) return undefined;
    if (e.type === 'symlink') {
      if (++links > MAX_LINKS || e.target === undefined) return undefined;
      if (e.target.startsWith('/')) done.length = 0;
      todo.unshift(...e.target.split('/').filter((p) => p !== '' && p !== '.'));
      continue;
    }
    done.push(part);
  }
  return `/${done.join('/')}`;
}

/** A regular file's first bytes, the path resolved as the firmware would. */
export async function readInRoot(view: RootView, path: string, maxBytes: number): Promise<Buffer | undefined> {
  const at = await resolveInRoot(view, path);
  return at === undefined ? undefined : view.read(at, maxBytes);
}

/** Whether the path resolves to a regular file (read nothing). */
export async function isFileInRoot(view: RootView, path: string): Promise<boolean> {
  const at = await resolveInRoot(view, path);
  return at !== undefined && (await view.entry(at))?.type === 'file';
}

/** An unpacked tree on the host (a tar root's cache entry, a test's temp dir). */
export function dirRootView(root: string): RootView {
  const host = (path: string) => join(root, ...path.split('/').filter((p) => p !== ''));
  return {
    async entry(path) {
      const st = await lstat(host(path)).catch(() => undefined);
      if (!st) return undefined;
      if (st.isSymbolicLink()) return { type: 'symlink', size: 0, target: await readlink(host(path)) };
      return { type: st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other', size: st.size };
    },
    async list(dir) {
      if ((await lstat(host(dir)).catch(() => undefined))?.isDirectory() !== true) return undefined;
      return readdir(host(dir)).catch(() => undefined);
    },
    read: (path, maxBytes) => readBounded(host(path), maxBytes),
  };
}

/**
 * A squashfs root read in place: `entries` is its checked listing
 * (squashfs-listing.ts, paths relative to the root), file bytes come from
 * `unsquashfs -cat`, one process per file read.
 */
export function squashfsRootView(image: string, entries: readonly ListingEntry[], tool: UnsquashfsOptions): RootView {
  const byPath = new Map<string, ListingEntry>(entries.map((e) => [e.path, e]));
  const children = new Map<string, string[]>();
  for (const e of entries) {
    if (e.path === '') continue;
    const cut = e.path.lastIndexOf('/');
    const parent = cut === -1 ? '' : e.path.slice(0, cut);
    const names = children.get(parent) ?? [];
    names.push(e.path.slice(cut + 1));
    children.set(parent, names);
  }
  const key = (path: string) => path.split('/').filter((p) => p !== '').join('/');
  return {
    async entry(path) {
      const e = byPath.get(key(path));
      if (!e) return undefined;
      const type = e.type === 'file' || e.type === 'dir' || e.type === 'symlink' ? e.type : 'other';
      return { type, size: e.size, ...(e.target !== undefined && { target: e.target }) };
    },
    async list(dir) {
      const e = byPath.get(key(dir));
      return e?.type === 'dir' ? [...(children.get(key(dir)) ?? [])] : undefined;
    },
    async read(path, maxBytes) {
      const e = byPath.get(key(path));
      if (e?.type !== 'file') return undefined;
      if (e.size === 0 || maxBytes === 0) return Buffer.alloc(0);
      const bytes = await unsquashfsCat(image, key(path), tool).catch(() => undefined);
      return bytes?.subarray(0, maxBytes);
    },
  };
}

/**
 * Reads at most `maxBytes` from the start of a regular file on the host,
 * never through a link (O_NOFOLLOW) and never from a FIFO or device (opening
 * one could block). undefined when the path is anything else or unreadable.
 */
export async function readBounded(host: string, maxBytes: number): Promise<Buffer | undefined> {
  if (!(await lstat(host).catch(() => undefined))?.isFile()) return undefined;
  const fh = await open(host, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!fh) return undefined;
  try {
    const buf = Buffer.alloc(maxBytes);
    const { bytesRead } = await fh.read(buf, 0, maxBytes, 0);
    return buf.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}
