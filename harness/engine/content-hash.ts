import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * A hash of a build context: every file's relative path, mode and bytes, in
 * sorted order. An unchanged context gives the same hash, so its image tag
 * already exists and the build is skipped.
 */
export async function hashContext(dir: string, extra: string[] = []): Promise<string> {
  const hash = createHash('sha256');
  for (const e of extra) hash.update(`extra\0${e}\0`);
  for (const file of await listFiles(dir)) {
    const path = join(dir, file);
    const st = await lstat(path);
    const posix = file.split(sep).join('/');
    if (st.isSymbolicLink()) {
      hash.update(`link\0${posix}\0${await readlink(path)}\0`);
    } else {
      // Only the executable bit matters to a build; other mode bits vary by umask.
      hash.update(`file\0${posix}\0${st.mode & 0o111 ? 'x' : '-'}\0${st.size}\0`);
      hash.update(await readFile(path));
    }
  }
  return hash.digest('hex');
}

export function contentTag(name: string, contextHash: string): string {
  return `firmlab/${name}:${contextHash.slice(0, 16)}`;
}

export async function listFiles(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(root, full)));
    else out.push(relative(root, full));
  }
  return out.sort();
}
