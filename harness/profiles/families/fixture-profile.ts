import type { DeviceProfile } from '../device-profile.js';

/**
 * firmlab's own fixture firmware (test/fixtures/firmware): busybox init with
 * askfirst, busybox httpd, settings as a tar archive on a raw config disk.
 */
export const fixtureProfile: DeviceProfile = {
  name: 'fixture',
  description: 'firmlab fixture firmware (busybox init, busybox httpd, settings on a config disk)',
  recognise: { files: ['/etc/firmware_info', '/usr/sbin/config-restore'] },
  // images/kernel-virt, with a 16 MiB translation cache: QEMU holds about
  // 103 MiB instead of 185 on Debian's generic arm64 kernel. 12 MiB holds
  // 98 MiB, but the web UI's CGIs run slower (retranslated): bench/README.md.
  kernel: 'arm64-virt',
  memoryMb: 128,
  translationCacheMb: 16,
  limits: { pids: 128, cpus: 1.5 },
  nics: ['wan', 'lan'],
  lan: {
    from: [{ path: '/etc/defaults/config/network', pattern: "config interface 'lan'[^]*?option ipaddr '([0-9.]+)'" }],
    default: '192.168.0.1',
    prefix: 24,
  },
  webPorts: [80],
  // docs/contracts.md: `POST /cgi-bin/luci/;stok=/login?form=login` with a password, JSON answers.
  webUi: { kind: 'tplink-json' },
  // The shell behind askfirst is what console steps need; the web UI is what login needs.
  readiness: [{ console: 'Please press Enter to activate this console\\.', http: '/' }],
  // The fixture's console gives a shell on Enter; its login-prompt variant
  // asks for this user first (test/fixtures/firmware/builder).
  console: {
    prompt: '[#$] $', login: { user: 'root', password: 'admin' }, probe: 'nslookup {name} {resolver}',
    // busybox: `date -s @N`; udhcpc renews its lease on SIGUSR1.
    afterRestore: 'date -s @{epoch} >/dev/null; kill -USR1 $(pidof udhcpc) 2>/dev/null; true',
  },
  flash: { kind: 'config-disk', bytes: 1024 * 1024 },
  persistence: 'a tar archive on the config disk (/dev/vdb), kept across reboots of one lab',
  features: [
    {
      name: 'homeshield',
      description: 'TP-Link HomeShield (the Avira SafeThings client homeshieldd)',
      values: { on: ['on'], off: ['off'] },
      // docs/contracts.md "The fixture firmware's observable behaviour".
      web: { kind: 'tplink-form', path: 'homeshield', form: 'enable', write: { operation: 'write', enable: '{state}' }, read: { operation: 'read' }, field: 'enable' },
      console: { set: { on: 'homeshield set on', off: 'homeshield set off' }, read: 'homeshield status', pattern: 'enable=(\\S+)' },
      alive: { process: 'homeshieldd', line: 'homeshield: (started|setting changed)', traffic: '*.safethings.avira.com' },
    },
  ],
};
