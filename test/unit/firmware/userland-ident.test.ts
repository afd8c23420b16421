import { expect } from 'chai';
import { identifyInit, type InitFacts } from '../../../harness/firmware/init-ident.js';
import { identifyLibc } from '../../../harness/firmware/libc-ident.js';

describe('libc from library file names', () => {
  const cases: [string, string[], { name: string; version?: string; source: string }][] = [
    ['OpenWrt 15.05 (uClibc, versioned)', ['/lib/ld-uClibc.so.0', '/lib/libc.so.0', '/lib/libuClibc-0.9.33.2.so', '/lib/ld-uClibc-0.9.33.2.so'],
      { name: 'uClibc', version: '0.9.33.2', source: '/lib/libuClibc-0.9.33.2.so' }],
    ['uClibc-ng with only the linker', ['/lib/ld-uClibc.so.1', '/lib/libc.so.1'], { name: 'uClibc', source: '/lib/ld-uClibc.so.1' }],
    ['OpenWrt 19+ (musl)', ['/lib/ld-musl-mipsel-sf.so.1', '/lib/libc.so'], { name: 'musl', source: '/lib/ld-musl-mipsel-sf.so.1' }],
    ['Alpine (musl)', ['/lib/libc.musl-armhf.so.1'], { name: 'musl', source: '/lib/libc.musl-armhf.so.1' }],
    ['old glibc', ['/lib/libc-2.19.so', '/lib/libc.so.6', '/lib/ld-linux.so.3'], { name: 'glibc', version: '2.19', source: '/lib/libc-2.19.so' }],
    ['Debian armhf glibc', ['/usr/lib/arm-linux-gnueabihf', '/lib/ld-linux-armhf.so.3'], { name: 'glibc', source: '/lib/ld-linux-armhf.so.3' }],
    ['MIPS glibc', ['/lib/ld.so.1', '/lib/libm.so.6'], { name: 'glibc', source: '/lib/ld.so.1' }],
    ['nothing that names a libc', ['/lib/libm.so.0', '/lib/firmware'], { name: 'unknown', source: '' }],
  ];
  for (const [name, paths, expected] of cases) {
    it(`${name} -> ${expected.name}`, () => {
      expect(identifyLibc(paths)).to.deep.equal(expected);
    });
  }
});

describe('init from /sbin/init, procd, inittab and rcS', () => {
  const busyboxTab = '::sysinit:/etc/init.d/rcS S boot\n::shutdown:/etc/init.d/rcS K shutdown\n';
  const cases: [string, InitFacts, { name: string; source: string }][] = [
    ['OpenWrt 15.05: procd, its own /sbin/init, an inittab', { sbinInit: { target: '/sbin/init', busybox: false }, procd: true, inittab: busyboxTab },
      { name: 'procd', source: '/sbin/procd' }],
    ['LibraryBox: /sbin/init -> busybox with an inittab', { sbinInit: { target: '/bin/busybox', busybox: true }, procd: false, inittab: busyboxTab, rcS: '/etc/init.d/rcS' },
      { name: 'busybox-init', source: '/sbin/init -> /bin/busybox, /etc/inittab' }],
    ['a busybox copy as /sbin/init, no inittab', { sbinInit: { target: '/sbin/init', busybox: true }, procd: false },
      { name: 'busybox-init', source: '/sbin/init' }],
    ['busybox init wins over a stray procd', { sbinInit: { target: '/bin/busybox', busybox: true }, procd: true },
      { name: 'busybox-init', source: '/sbin/init -> /bin/busybox' }],
    ['systemd', { sbinInit: { target: '/lib/systemd/systemd', busybox: false }, procd: false }, { name: 'systemd', source: '/sbin/init -> /lib/systemd/systemd' }],
    ['SysV init (runlevel initdefault)', { sbinInit: { target: '/sbin/init', busybox: false }, procd: false, inittab: 'id:3:initdefault:\nsi::sysinit:/etc/init.d/rcS\n' },
      { name: 'sysvinit', source: '/etc/inittab' }],
    ['a vendor rcS and no init to speak of', { procd: false, rcS: '/etc/rc.d/rcS' }, { name: 'vendor-rcS', source: '/etc/rc.d/rcS' }],
    ['nothing', { procd: false }, { name: 'unknown', source: '' }],
  ];
  for (const [name, facts, expected] of cases) {
    it(`${name} -> ${expected.name}`, () => {
      expect(identifyInit(facts)).to.deep.equal(expected);
    });
  }
});
