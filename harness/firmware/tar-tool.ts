import { TooLargeError } from './firmware-errors.js';
import { runTool } from './run-tool.js';

/**
 * The one door to GNU tar and bzip2. tar only ever sees an archive firmlab
 * has listed and filtered itself (tar-listing.ts): no device nodes, no entry
 * below a symlink, no '..'. The options still say what we want if that
 * check were wrong: never overwrite (-k), never restore owners, xattrs, ACLs
 * or SELinux labels.
 */
export interface TarToolOptions {
  label: string;
  signal?: AbortSignal;
}

/** Extracts into `dest`, stopped once the tree passes `maxBytes` whatever the listing said. */
export async function tarExtract(archive: string, dest: string, o: TarToolOptions & { maxBytes: number }): Promise<void> {
  await runTool(
    ['-x', '-f', archive, '-C', dest, '--keep-old-files', '--no-same-owner', '--same-permissions',
      '--no-xattrs', '--no-acls', '--no-selinux', '--no-unquote', '--warning=no-timestamp'],
    {
      tool: 'tar', aptPackage: 'tar', label: o.label, what: 'tar failed', signal: o.signal,
      watch: { dir: dest, maxBytes: o.maxBytes, onTooLarge: (bytes) => new TooLargeError(o.label, 'the unpacked tar root (stopped while unpacking: its listing said less)', bytes, o.maxBytes) },
    },
  );
}

/** bzip2 -dc, refused once the output passes `maxBytes` (a decompression bomb stops there). */
export async function bunzip2(bytes: Buffer, maxBytes: number, o: TarToolOptions): Promise<Buffer> {
  return runTool(['-dc'], {
    tool: 'bzip2', aptPackage: 'bzip2', label: o.label, what: 'bzip2 could not decompress the tar root', signal: o.signal,
    input: bytes, maxBuffer: maxBytes,
    onTooLarge: () => new TooLargeError(o.label, 'the decompressed tar root (bzip2 stopped at the cap: at least)', maxBytes + 1, maxBytes),
  });
}
