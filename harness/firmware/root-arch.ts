import type { CpuArch } from './firmware-image.js';
import { ELF_IDENT_BYTES, identifyElf } from './elf-ident.js';
import { resolveInRoot, type RootView } from './root-view.js';

/** Binaries every Linux firmware root has one of; busybox is the usual answer. */
const CANDIDATES = ['/bin/busybox', '/usr/bin/busybox', '/sbin/init'];
/** Bounds on the fallback walk, so a huge root cannot stall inspect: entries seen, files read. */
const MAX_WALK = 20_000;
const MAX_READS = 256;

/** The CPU the root's programs are built for, or undefined when it holds no ELF. */
export async function detectRootArch(root: RootView): Promise<CpuArch | undefined> {
  for (const c of CANDIDATES) {
    const at = await resolveInRoot(root, c);
    const cpu = at && (await elfOf(root, at));
    if (cpu) return cpu;
  }
  return firstElf(root);
}

async function firstElf(root: RootView): Promise<CpuArch | undefined> {
  const queue = ['/'];
  let seen = 0;
  let reads = 0;
  while (queue.length > 0 && seen < MAX_WALK && reads < MAX_READS) {
    const dir = queue.shift()!;
    const names = ((await root.list(dir)) ?? []).sort();
    for (const name of names) {
      if (++seen > MAX_WALK || reads >= MAX_READS) break;
      const path = dir === '/' ? `/${name}` : `${dir}/${name}`;
      const e = await root.entry(path);
      if (e?.type === 'dir') queue.push(path);
      else if (e?.type === 'file' && e.size >= 52) {
        reads++;
        const cpu = await elfOf(root, path);
        if (cpu) return cpu;
      }
    }
  }
  return undefined;
}

async function elfOf(root: RootView, path: string): Promise<CpuArch | undefined> {
  const head = await root.read(path, ELF_IDENT_BYTES);
  return head && identifyElf(head, path);
}
