import { lstat, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { CpuArch } from './firmware-image.js';
import { ELF_IDENT_BYTES, identifyElf } from './elf-ident.js';
import { readBounded } from './read-bounded.js';
import { resolveInRoot } from './resolve-in-root.js';

/** Binaries every Linux firmware root has one of; busybox is the usual answer. */
const CANDIDATES = ['/bin/busybox', '/usr/bin/busybox', '/sbin/init'];
/** Bound on the fallback walk, so a huge root cannot stall inspect. */
const MAX_WALK = 20_000;

/** The CPU the root's programs are built for, or undefined when it holds no ELF. */
export async function detectRootArch(root: string): Promise<CpuArch | undefined> {
  for (const c of CANDIDATES) {
    const host = await resolveInRoot(root, c);
    const cpu = host && (await elfOf(host, '/' + relative(root, host)));
    if (cpu) return cpu;
  }
  return firstElf(root);
}

async function firstElf(root: string): Promise<CpuArch | undefined> {
  const queue = [root];
  let seen = 0;
  while (queue.length > 0 && seen < MAX_WALK) {
    const dir = queue.shift()!;
    const names = (await readdir(dir).catch(() => [] as string[])).sort();
    for (const name of names) {
      if (++seen > MAX_WALK) break;
      const host = join(dir, name);
      const st = await lstat(host);
      if (st.isDirectory()) queue.push(host);
      else if (st.isFile() && st.size >= 52) {
        const cpu = await elfOf(host, '/' + relative(root, host));
        if (cpu) return cpu;
      }
    }
  }
  return undefined;
}

async function elfOf(host: string, source: string): Promise<CpuArch | undefined> {
  const head = await readBounded(host, ELF_IDENT_BYTES);
  return head && identifyElf(head, source);
}
