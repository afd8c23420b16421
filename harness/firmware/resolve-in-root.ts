import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Resolves a path the way the firmware's own kernel would after chroot:
 * absolute link targets start at `root`, `..` stops at `root`. Every
 * component is lstat'ed and links are resolved here, so nothing on the host
 * outside `root` is ever looked at. Returns the host path, or undefined when
 * the path does not exist or loops.
 */
const MAX_LINKS = 40; // as Linux's MAXSYMLINKS

export async function resolveInRoot(root: string, path: string): Promise<string | undefined> {
  const todo = path.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (todo.length > 0) {
    const part = todo.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const host = join(root, ...done, part);
    const st = await lstat(host).catch(() => undefined);
    if (!st) return undefined;
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) return undefined;
      const target = await readlink(host);
      if (target.startsWith('/')) done.length = 0;
      todo.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
      continue;
    }
    done.push(part);
  }
  return join(root, ...done);
}
