import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ExtractFailedError, TooLargeError, TruncatedError, UnsafePathError } from './firmware-errors.js';
import { checkListing } from './path-safety.js';
import type { RootSource, RootSourceInput } from './root-source.js';
import { filterTar, parseTarListing, type TarEntry } from './tar-listing.js';
import { bunzip2, tarExtract } from './tar-tool.js';

const gunzipAsync = promisify(gunzip);
/** Entry types tar may create; device nodes become mksquashfs pseudo entries instead. */
const WRITTEN = new Set(['file', 'dir', 'symlink', 'hardlink']);
/** Names mksquashfs's -p syntax takes without quoting. */
const PSEUDO_NAME = /^[\w.+@:-]+(?:\/[\w.+@:-]+)*$/;

/**
 * A tar root (plain, gzip, bzip2): decompress within the size cap, list it
 * ourselves, check every path, hand tar an archive holding only what passed
 * (no device nodes), and ask for a squashfs disk to be built from the tree
 * so the boot path stays the same as for a squashfs root.
 */
export const tarRootSource: RootSource = async (input) => {
  const { image, tmp, maxBytes, signal } = input;
  const tar = await decompress(input);
  const listing = parseTarListing(tar);
  const cut = listing.truncated;
  if (cut) throw new TruncatedError(image.path, 'the tar root (an entry runs past the end)', cut.needBytes, cut.haveBytes);
  const report = checkListing(listing);
  if (report.problems.length > 0) throw new UnsafePathError(image.path, report.problems);
  if (report.unpackedBytes > maxBytes) throw new TooLargeError(image.path, 'the unpacked tar root (from its listing)', report.unpackedBytes, maxBytes);

  const archive = join(tmp, 'root.tar');
  await writeFile(archive, filterTar(tar, listing, (e) => WRITTEN.has(e.type)));
  await mkdir(join(tmp, 'root'));
  await tarExtract(archive, join(tmp, 'root'), { label: image.path, signal, maxBytes });
  await rm(archive);

  const dirs = new Set(['', ...listing.entries.filter((e) => e.type === 'dir').map((e) => e.path)]);
  const devices = listing.entries.filter((e) => e.type === 'char' || e.type === 'block');
  const pseudo = devices.filter((d) => PSEUDO_NAME.test(d.path) && dirs.has(parentOf(d.path))).map(pseudoDefinition);
  const skipped = devices.length - pseudo.length;
  const adjustments = [
    `built the harness's root disk (rootfs.squashfs: xz, every file owned by root) from the tar root with mksquashfs, so it boots like a squashfs root` +
      (pseudo.length > 0 ? `; ${pseudo.length} device nodes from the tar added as mksquashfs pseudo entries` : '') +
      (skipped > 0 ? `; ${skipped} device nodes left out (names mksquashfs -p cannot express, or no parent directory)` : ''),
  ];
  return { report, adjustments, build: { pseudo } };
};

async function decompress({ image, file, part, maxBytes, signal }: RootSourceInput): Promise<Buffer> {
  const raw = file.bytes.subarray(part.offset, part.offset + part.length);
  if (part.type === 'tar-bzip2') return bunzip2(raw, maxBytes, { label: image.path, signal });
  if (part.type !== 'tar-gzip') return raw;
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new TooLargeError(image.path, 'the decompressed tar root (gunzip stopped at the cap: at least)', maxBytes + 1, maxBytes);
    }
    throw new ExtractFailedError(image.path, 'gzip could not decompress the tar root', (e as Error).message);
  }
}

function parentOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at === -1 ? '' : path.slice(0, at);
}

/** mksquashfs pseudo file syntax: `name type mode uid gid major minor`. */
function pseudoDefinition(d: TarEntry): string {
  return `${d.path} ${d.type === 'char' ? 'c' : 'b'} ${(d.perm ?? 0o600).toString(8)} 0 0 ${d.devMajor ?? 0} ${d.devMinor ?? 0}`;
}
