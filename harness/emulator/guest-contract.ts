/**
 * What the harness provides to every guest (docs/contracts.md "The guest"),
 * shared by the QEMU argv, the entry script in images/emulator and the drivers.
 * Change together with images/emulator/lab-entry.sh.
 */
export const GUEST = {
  /** Where the run directory is bind-mounted in the emulator container. */
  containerRunDir: '/run/firmlab',
  wanTap: 'tap-wan',
  lanTap: 'tap-lan',
  /** The container's end of each tap; WAN is also the guest's gateway and DNS. */
  wanGateway: '10.200.0.1',
  wanGuest: '10.200.0.2',
  lanContainer: '192.168.0.2',
  lanGuest: '192.168.0.1',
  /** The port the container forwards from its lab address to the guest's web UI. */
  webPort: 80,
  macs: { wan: '52:54:00:f1:00:01', lan: '52:54:00:f1:00:02' },
  consoleSocket: 'console.sock',
  consoleLog: 'console.log',
  wanPcap: 'wan.pcap',
  /** The iptables chain in the container that counts (and drops) unexpected egress. */
  egressChain: 'FIRMLAB_EGRESS',
  /** busybox init's askfirst line: the fixture firmware's "system is up" marker. */
  bootMarker: /Please press Enter to activate this console\./,
  /** The first console line of a (re)starting guest: the kernel's banner or our initramfs. */
  kernelStart: /Booting Linux on|firmlab-initramfs:/,
  /** With panic=-1 the guest reboots after this line; a boot that prints it has failed. */
  kernelPanic: /Kernel panic - not syncing/,
} as const;
