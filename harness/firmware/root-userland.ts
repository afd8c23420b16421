import { readdir } from 'node:fs/promises';
import { relative } from 'node:path';
import type { UserlandInfo } from './firmware-image.js';
import { identifyInit, type InitFacts } from './init-ident.js';
import { identifyLibc } from './libc-ident.js';
import { readBounded, readInRoot } from './read-bounded.js';
import { resolveInRoot } from './resolve-in-root.js';

/** Library directories a root's C library lives in. */
const LIB_DIRS = ['/lib', '/usr/lib', '/lib32', '/usr/lib32'];
const RCS = ['/etc/init.d/rcS', '/etc/rc.d/rcS', '/etc/rcS'];
/** Enough of a busybox binary to hold its version banner; caps what one file can cost. */
const MAX_BINARY = 4 * 1024 * 1024;
const MAX_TEXT = 64 * 1024;

/** libc and init of an unpacked root (cache entry's root/), every path resolved inside it. */
export async function detectUserland(root: string): Promise<UserlandInfo> {
  const libs: string[] = [];
  for (const dir of LIB_DIRS) {
    const host = await resolveInRoot(root, dir);
    if (host === undefined) continue;
    const names = await readdir(host).catch(() => [] as string[]);
    const inRoot = '/' + relative(root, host);
    libs.push(...names.map((n) => `${inRoot === '/' ? '' : inRoot}/${n}`));
  }
  return { libc: identifyLibc(libs), init: identifyInit(await initFacts(root)) };
}

async function initFacts(root: string): Promise<InitFacts> {
  const facts: InitFacts = { procd: (await readInRoot(root, '/sbin/procd', 4)) !== undefined };
  const init = await resolveInRoot(root, '/sbin/init');
  if (init !== undefined) {
    const target = '/' + relative(root, init);
    const head = target.endsWith('/busybox') ? undefined : await readBounded(init, MAX_BINARY);
    facts.sbinInit = { target, busybox: target.endsWith('/busybox') || (head?.includes('BusyBox v') ?? false) };
  }
  const inittab = await readInRoot(root, '/etc/inittab', MAX_TEXT);
  if (inittab) facts.inittab = inittab.toString('utf8');
  for (const rcS of RCS) {
    if ((await readInRoot(root, rcS, 1)) !== undefined) {
      facts.rcS = rcS;
      break;
    }
  }
  return facts;
}
