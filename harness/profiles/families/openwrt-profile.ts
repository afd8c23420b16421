import type { DeviceProfile } from '../device-profile.js';

/**
 * OpenWrt (and builds on it: LibraryBox, vendor SDKs). On an unknown board
 * (malta) it takes its defaults: eth0 LAN (br-lan), eth1 WAN with a DHCP
 * client. mount_root wants an MTD partition `rootfs_data`; without one the
 * root stays read-only and no network config is written (RECIPES.md).
 */
export const openwrtProfile: DeviceProfile = {
  name: 'openwrt',
  description: 'OpenWrt (procd or busybox init, uhttpd + LuCI when installed, UCI settings on rootfs_data)',
  recognise: { files: ['/etc/openwrt_release'] },
  // Before procd (12.09 and older) only /etc/preinit mounts /proc, /tmp and
  // the overlay root; since 14.07 it execs procd's /sbin/init at once.
  init: [{ when: ['/etc/preinit'], path: '/etc/preinit' }],
  memoryMb: 128,
  limits: { pids: 128, cpus: 1.5 },
  nics: ['lan', 'wan'],
  lan: {
    from: [
      { path: '/etc/config/network', pattern: "config interface 'lan'[^]*?option ipaddr '?([0-9.]+)" },
      // 15.05: the defaults config_generate writes on first boot (`lan) uci -q batch ... ipaddr='192.168.1.1'`).
      { path: '/bin/config_generate', pattern: "lan\\)[^]*?set network\\.\\$1\\.ipaddr='([0-9.]+)'" },
      // Later releases: `lan) ipad=${ipaddr:-"192.168.1.1"}`.
      { path: '/bin/config_generate', pattern: 'lan\\)\\s*ipad=\\$\\{ipaddr:-"([0-9.]+)"\\}' },
    ],
    default: '192.168.1.1',
    prefix: 24,
  },
  webPorts: [80, 443],
  // LuCI's login form (user field prefilled `root`); a fresh image's root has no password.
  webUi: { kind: 'luci', user: 'root' },
  // Before procd (12.09) the console's askfirst line is added by a first-boot
  // uci-defaults script that cannot write /etc/inittab when mount_root falls
  // back to its symlinked ramdisk (its `overlayfs` mount type is `overlay`
  // on the lab's 6.1 kernel): such a root is ready on its first packet.
  //
  // fstools (/sbin/mount_root, 14.07 on) boots its first time on a tmpfs
  // overlay and, once init is done, formats rootfs_data as jffs2 and moves
  // the overlay onto it (`mount_root done`). Until that move is over, LuCI's
  // CGI can hang for minutes on the files being copied under it, so such a
  // root is ready when its web UI answers AND the kernel has mounted jffs2
  // (on a later boot, preinit mounts it straight away: the line comes early).
  readiness: [
    { when: ['/usr/sbin/uhttpd', '/sbin/mount_root'], http: '/', console: 'jffs2_build_xattr_subsystem: complete' },
    { when: ['/usr/sbin/uhttpd'], http: '/' },
    { when: ['/sbin/procd'], console: 'Please press Enter to activate this console\\.' },
  ],
  console: {
    prompt: '[#$] $', probe: 'nslookup {name} {resolver}',
    // busybox: `date -s @N`; netifd's udhcpc renews its lease on SIGUSR1.
    afterRestore: 'date -s @{epoch} >/dev/null; kill -USR1 $(pidof udhcpc) 2>/dev/null; true',
  },
  flash: { kind: 'mtd', name: 'rootfs_data', bytes: 8 * 1024 * 1024, eraseBytes: 64 * 1024 },
  persistence: 'jffs2 on an emulated rootfs_data MTD partition (block2mtd); tmpfs overlay until it is formatted on first boot',
  features: [
    {
      name: 'ntp',
      description: "OpenWrt's NTP client (busybox ntpd under sysntpd): LuCI's \"Enable NTP client\" (the sysntpd init script) on the web, system.ntp.enabled in UCI on the console",
      values: { on: ['1'], off: ['0'] },
      // The two paths switch different things, and each reads back what it set.
      // Web: LuCI 15.05's System page checkbox is no UCI option. Saving it runs
      // `/etc/init.d/sysntpd enable` + `start`, or `stop` + `disable`
      // (admin_system/system.lua), and the page shows it checked while the init
      // script is enabled; system.ntp.enabled stays as it was.
      // Console: system.ntp.enabled in UCI, then a sysntpd restart (which starts
      // no ntpd when it is 0); the init script stays enabled.
      // So after a web `off` UCI still says 1, after a console `off` the page
      // still shows the box checked, and a web `on` after a console `off`
      // enables the script but starts no ntpd: `alive` (pidof ntpd) tells.
      web: { kind: 'luci-cbi', page: 'admin/system/system', field: 'cbid.system.ntp.enable', values: { on: 'checked', off: 'unchecked' } },
      // busybox ntpd resolves its pool names when it starts, so `on` brings DNS back at once (RECIPES.md).
      console: {
        set: {
          on: 'uci set system.ntp.enabled=1 && uci commit system && /etc/init.d/sysntpd restart',
          off: 'uci set system.ntp.enabled=0 && uci commit system && /etc/init.d/sysntpd restart',
        },
        read: 'uci -q get system.ntp.enabled',
      },
      alive: { process: 'ntpd', traffic: '*.pool.ntp.org' },
    },
  ],
};
