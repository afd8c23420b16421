import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { resolveInRoot } from './resolve-in-root.js';

/**
 * Reads at most `maxBytes` from the start of a regular file, never through
 * a link (O_NOFOLLOW) and never from a FIFO or device (opening one could
 * block). undefined when the path is anything else or unreadable.
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

/** The same for a path inside a firmware root, resolved as the firmware would (resolve-in-root.ts). */
export async function readInRoot(root: string, path: string, maxBytes: number): Promise<Buffer | undefined> {
  const host = await resolveInRoot(root, path);
  return host === undefined ? undefined : readBounded(host, maxBytes);
}
