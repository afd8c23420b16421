import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * After unsquashfs: removes any device node, FIFO or socket that slipped
 * past the exclude list (a name the exclude file could not express), and
 * measures what was really written. Never follows links.
 */
export interface TreeAudit {
  bytes: number;
  files: number;
  removed: string[];
}

/** `measureOnly`: count, remove nothing (a tree another process is still writing). */
export async function auditTree(root: string, o: { measureOnly?: boolean } = {}): Promise<TreeAudit> {
  const audit: TreeAudit = { bytes: 0, files: 0, removed: [] };
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      const st = await lstat(path);
      if (st.isDirectory()) stack.push(path);
      else if (st.isFile()) {
        audit.bytes += st.size;
        audit.files += 1;
      } else if (!st.isSymbolicLink() && !o.measureOnly) {
        await rm(path, { force: true });
        audit.removed.push(path.slice(root.length + 1));
      }
    }
  }
  return audit;
}
