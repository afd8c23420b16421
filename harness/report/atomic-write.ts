import { rename, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Write to a temp file beside the target, then rename: readers never see half a report. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
