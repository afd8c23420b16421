import { runTool } from './run-tool.js';

/**
 * The one door to squashfs-tools' mksquashfs: builds the root disk the
 * emulator boots from a tree firmlab unpacked itself (a tar root). xz, like
 * the roots vendors ship; -all-root because the tree was written without
 * owners; device nodes come back as pseudo definitions (`-p`), never as
 * nodes on the host.
 */
export interface MksquashfsOptions {
  label: string;
  signal?: AbortSignal;
  tool?: string;
  /** mksquashfs pseudo definitions, e.g. 'dev/console c 600 0 0 5 1'. */
  pseudo?: string[];
}

export async function mksquashfs(tree: string, out: string, o: MksquashfsOptions): Promise<void> {
  const pseudo = (o.pseudo ?? []).flatMap((p) => ['-p', p]);
  await runTool([tree, out, '-comp', 'xz', '-all-root', '-noappend', '-no-xattrs', '-quiet', '-no-progress', ...pseudo], {
    tool: o.tool ?? 'mksquashfs', aptPackage: 'squashfs-tools', label: o.label, what: 'mksquashfs failed', signal: o.signal,
  });
}
