/**
 * What the lab wires the same way for every guest, whatever its firmware:
 * the emulator container's taps and files, the WAN side the lab plays as the
 * ISP, the guest's MACs and the kernel lines every boot prints. What differs
 * per firmware (NIC order, LAN address, web ports, flash, readiness) is a
 * GuestLayout from its device profile (harness/profiles).
 * Change together with images/emulator/lab-entry.sh.
 */
export const LAB_WIRING = {
  /** Where the run directory is bind-mounted in the emulator container. */
  containerRunDir: '/run/firmlab',
  wanTap: 'tap-wan',
  lanTap: 'tap-lan',
  /**
   * The ISP side: the container's end of the WAN tap is the guest's gateway,
   * DHCP server and DNS server; the lease it hands out is always `wanGuest`,
   * so the guest-facing network is identical in every lab.
   */
  wanGateway: '10.200.0.1',
  wanGuest: '10.200.0.2',
  wanPrefix: 24,
  /** The guest's NICs' MACs; a one-NIC VLAN layout's NIC has the WAN one. */
  macs: { wan: '52:54:00:f1:00:01', lan: '52:54:00:f1:00:02' },
  /**
   * A VLAN trunk NIC is a UDP socket netdev on the container's loopback:
   * QEMU binds `guest` and sends to `lab`, where images/emulator/vlan-trunk.c
   * tags and untags between it and the two taps.
   */
  trunkPorts: { lab: 4001, guest: 4000 },
  /** The container's ends of the taps (handed to lab-entry.sh), fixed too: a router restored from a snapshot keeps its ARP cache. */
  tapMacs: { wan: '52:54:00:f1:ff:01', lan: '52:54:00:f1:ff:02' },
  /** The guest's disks in the order the argv attaches them: the firmware's root, then its flash or config disk. */
  rootDevice: '/dev/vda',
  flashDevice: '/dev/vdb',
  consoleSocket: 'console.sock',
  /** QEMU's machine protocol: stop, save and resume the VM (snapshots). */
  qmpSocket: 'qmp.sock',
  consoleLog: 'console.log',
  wanPcap: 'wan.pcap',
  /** The WAN DHCP server's log in the run directory (busybox udhcpd). */
  dhcpLog: 'dhcp.log',
  /** The iptables chain in the container that counts (and drops) unexpected egress; the ip6tables one counts IPv6. */
  egressChain: 'FIRMLAB_EGRESS',
  egressChain6: 'FIRMLAB_EGRESS6',
  /** The first console line of a (re)starting guest: the kernel's banner (ARM, MIPS) or our initramfs. */
  kernelStart: /Booting Linux on|^(?:\[\s*\d+\.\d+\] )?Linux version \d|firmlab-initramfs:/,
  /** The kernel handing over to the firmware's own init (a monolithic kernel's line, or our initramfs's). */
  initStart: /Run \S+ as init process|firmlab-initramfs: switching to firmware \/sbin\/init/,
  /** With panic=-1 the guest reboots after this line; a boot that prints it has failed. */
  kernelPanic: /Kernel panic - not syncing/,
} as const;
