import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomicPackage from 'write-file-atomic';

/**
 * Writes a temp file beside the target, then renames it (write-file-atomic):
 * readers never see half a report. Makes the directory first, which the
 * package does not.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomicPackage(path, data);
}
