import type { UserlandInfo } from './firmware-image.js';

/**
 * Which init a root boots with, from facts gathered without running
 * anything (root-userland.ts). Order matters: OpenWrt since 14.07 ships
 * /etc/inittab too, but its /sbin/init is procd's; a busybox /sbin/init runs
 * inittab (or /etc/init.d/rcS when there is none); systemd is a link to
 * systemd; a runlevel `initdefault` line is SysV init's inittab.
 */
export interface InitFacts {
  /** Where /sbin/init leads inside the root, and whether that file is busybox. */
  sbinInit?: { target: string; busybox: boolean };
  procd: boolean;
  inittab?: string;
  /** The first of /etc/init.d/rcS, /etc/rc.d/rcS, /etc/rcS that exists. */
  rcS?: string;
}

type Init = UserlandInfo['init'];

const SYSV_INITDEFAULT = /^[^#:\s]+:[0-6Ss]+:initdefault:/m;

export function identifyInit(f: InitFacts): Init {
  const link = f.sbinInit && f.sbinInit.target !== '/sbin/init' ? `/sbin/init -> ${f.sbinInit.target}` : '/sbin/init';
  if (f.sbinInit && /\/systemd$/.test(f.sbinInit.target)) return { name: 'systemd', source: link };
  if (f.procd && !f.sbinInit?.busybox) return { name: 'procd', source: '/sbin/procd' };
  if (f.sbinInit?.busybox) return { name: 'busybox-init', source: f.inittab === undefined ? link : `${link}, /etc/inittab` };
  if (f.inittab !== undefined && SYSV_INITDEFAULT.test(f.inittab)) return { name: 'sysvinit', source: '/etc/inittab' };
  if (f.rcS !== undefined) return { name: 'vendor-rcS', source: f.rcS };
  return { name: 'unknown', source: '' };
}
