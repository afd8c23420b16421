import type { UserlandInfo } from './firmware-image.js';
import { identifyInit, type InitFacts } from './init-ident.js';
import { identifyLibc } from './libc-ident.js';
import { isFileInRoot, readInRoot, resolveInRoot, type RootView } from './root-view.js';

/** Library directories a root's C library lives in. */
const LIB_DIRS = ['/lib', '/usr/lib', '/lib32', '/usr/lib32'];
const RCS = ['/etc/init.d/rcS', '/etc/rc.d/rcS', '/etc/rcS'];
/** Enough of a busybox binary to hold its version banner; caps what one file can cost. */
const MAX_BINARY = 4 * 1024 * 1024;
const MAX_TEXT = 64 * 1024;

/** libc and init of a firmware root, every path resolved inside it. */
export async function detectUserland(root: RootView): Promise<UserlandInfo> {
  const libs: string[] = [];
  for (const dir of LIB_DIRS) {
    const at = await resolveInRoot(root, dir);
    if (at === undefined) continue;
    const names = (await root.list(at)) ?? [];
    libs.push(...names.map((n) => `${at === '/' ? '' : at}/${n}`));
  }
  return { libc: identifyLibc(libs), init: identifyInit(await initFacts(root)) };
}

async function initFacts(root: RootView): Promise<InitFacts> {
  const facts: InitFacts = { procd: await isFileInRoot(root, '/sbin/procd') };
  const target = await resolveInRoot(root, '/sbin/init');
  if (target !== undefined) {
    const head = target.endsWith('/busybox') ? undefined : await root.read(target, MAX_BINARY);
    facts.sbinInit = { target, busybox: target.endsWith('/busybox') || (head?.includes('BusyBox v') ?? false) };
  }
  const inittab = await readInRoot(root, '/etc/inittab', MAX_TEXT);
  if (inittab) facts.inittab = inittab.toString('utf8');
  for (const rcS of RCS) {
    if (await isFileInRoot(root, rcS)) {
      facts.rcS = rcS;
      break;
    }
  }
  return facts;
}
