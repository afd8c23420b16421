import type { KernelEntry } from './arch-table.js';
import { DEFAULT_LAYOUT, flashAppend, trunkVlans, type GuestLayout, type NicRole } from './guest-layout.js';
import { LAB_WIRING } from './lab-wiring.js';

export interface QemuArgvOptions {
  kernel: KernelEntry;
  /** Paths as QEMU sees them (inside the emulator container). */
  rootfsImage: string;
  /** The guest's second disk (config disk or flash); ignored when the layout's flash is `none`. */
  configDisk: string;
  layout?: GuestLayout;
  runDir?: string;
  consoleSocket?: string;
  consoleLog?: string;
  wanPcap?: string;
  /** TCG translation cache: with -m it bounds QEMU's RSS (RECIPES.md). */
  tbSizeMb?: number;
  wanTap?: string;
  lanTap?: string;
  macs?: { wan: string; lan: string };
  /** More kernel command-line words, e.g. `firmlab.debug=1` or `quiet`. */
  extraAppend?: string[];
  /** Restore: the saved VM state to load instead of booting (a path inside the container). */
  incomingState?: string;
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const APPEND_WORD = /^[^\s"'\\]+$/;

/** TCG's translation cache; with -m it holds QEMU's RSS (RECIPES.md). */
export const DEFAULT_TB_SIZE_MB = 32;

/**
 * The QEMU command line for one router: the kernel's board, the firmware's
 * squashfs read-only as /dev/vda, the writable disk its profile's flash
 * declares (a config disk or an MTD flash image) as /dev/vdb, the
 * NICs in the order the layout gives (eth0 first) on the container's taps,
 * the console on a unix socket (plus a log file) and a pcap of everything
 * the guest sends and receives on WAN.
 */
export function buildQemuArgv(o: QemuArgvOptions): string[] {
  const runDir = o.runDir ?? LAB_WIRING.containerRunDir;
  const consoleSocket = o.consoleSocket ?? `${runDir}/${LAB_WIRING.consoleSocket}`;
  const consoleLog = o.consoleLog ?? `${runDir}/${LAB_WIRING.consoleLog}`;
  const wanPcap = o.wanPcap ?? `${runDir}/${LAB_WIRING.wanPcap}`;
  const layout = o.layout ?? DEFAULT_LAYOUT;
  const memoryMb = layout.memoryMb;
  const tbSizeMb = o.tbSizeMb ?? layout.translationCacheMb ?? DEFAULT_TB_SIZE_MB;
  const macs = o.macs ?? LAB_WIRING.macs;
  const extra = o.extraAppend ?? [];
  for (const mac of [macs.wan, macs.lan]) if (!MAC.test(mac)) throw new TypeError(`not a MAC address: ${mac}`);
  if (layout.init !== undefined && !/^\/[A-Za-z0-9_./-]+$/.test(layout.init)) throw new TypeError(`init ${JSON.stringify(layout.init)} is not an absolute path`);
  for (const w of extra) if (!APPEND_WORD.test(w)) throw new TypeError(`kernel command-line word ${JSON.stringify(w)} has spaces or quotes`);
  for (const [what, v] of [['memoryMb', memoryMb], ['tbSizeMb', tbSizeMb]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new TypeError(`${what} must be a positive integer, got ${v}`);
  }
  const vlans = trunkVlans(layout.nics);
  if (vlans) {
    for (const v of [vlans.wan, vlans.lan]) if (!Number.isInteger(v) || v < 1 || v > 4094) throw new TypeError(`VLAN ids are 1-4094, got ${v}`);
    if (vlans.wan === vlans.lan) throw new TypeError(`WAN and LAN need VLANs of their own, got ${vlans.wan} for both`);
  } else if ([...(layout.nics as NicRole[])].sort().join() !== 'lan,wan') {
    throw new TypeError(`layout.nics must name wan and lan once each, got ${(layout.nics as NicRole[]).join(',')}`);
  }
  if (o.incomingState !== undefined && !/^\/[A-Za-z0-9_./-]+$/.test(o.incomingState)) throw new TypeError(`incoming state path ${JSON.stringify(o.incomingState)} is not a plain absolute path`);
  const qmpSocket = `${runDir}/${LAB_WIRING.qmpSocket}`;
  for (const p of [o.rootfsImage, o.configDisk, consoleSocket, consoleLog, wanPcap, qmpSocket]) {
    // QEMU's option parser splits on commas; a doubled comma escapes one, but keep paths plain.
    if (p.includes(',')) throw new TypeError(`path ${p} contains a comma`);
  }
  const k = o.kernel;
  const append = [
    `console=${k.console}`, `root=${LAB_WIRING.rootDevice}`, 'rootfstype=squashfs', 'ro', ...k.rootAppend, 'panic=-1',
    // Kernel lines stamped as the kernel's: a console command's output leaves them out (marked-command.ts).
    'printk.time=1',
    ...flashAppend(layout.flash, LAB_WIRING.flashDevice), ...(layout.init === undefined ? [] : [`init=${layout.init}`]), ...extra,
  ].join(' ');
  const taps = { wan: o.wanTap ?? LAB_WIRING.wanTap, lan: o.lanTap ?? LAB_WIRING.lanTap };
  // Devices in the guest's order: root disk, flash, then the NICs as eth0, eth1.
  const devices: { kind: 'disk' | 'nic'; args: (bus: string) => string[] }[] = [
    { kind: 'disk', args: (bus) => ['-drive', `if=none,id=rootfs,file=${o.rootfsImage},format=raw,readonly=on`, '-device', `${k.blockDevice},drive=rootfs${bus}`] },
    ...(layout.flash.kind === 'none' ? [] : [
      { kind: 'disk' as const, args: (bus: string) => ['-drive', `if=none,id=config,file=${o.configDisk},format=raw`, '-device', `${k.blockDevice},drive=config${bus}`] },
    ]),
    ...(vlans ? [{ id: 'trunk', mac: macs.wan, netdev: `socket,id=trunk,udp=127.0.0.1:${LAB_WIRING.trunkPorts.lab},localaddr=127.0.0.1:${LAB_WIRING.trunkPorts.guest}` }]
      : (layout.nics as NicRole[]).map((role) => ({ id: role, mac: macs[role], netdev: `tap,id=${role},ifname=${taps[role]},script=no,downscript=no,vnet_hdr=off` })))
      .map((nic) => ({
        kind: 'nic' as const,
        args: (bus: string) => [
          '-netdev', nic.netdev,
          '-device', `${k.netDevice},netdev=${nic.id},mac=${nic.mac}${k.nicRomfile !== undefined ? `,romfile=${k.nicRomfile}` : ''}${bus}`,
        ],
      })),
  ];
  const wired = k.bus === 'pci'
    // PCI: the guest probes by slot, so give each device its own from the first usable one up.
    ? devices.flatMap((d, i) => d.args(`,addr=0x${((k.firstPciSlot ?? 0x12) + i).toString(16)}`))
    // virtio-mmio: the device listed last gets the lowest transport address and is
    // probed first, so each kind is listed in reverse of the guest's order
    // (verified: of two disks, the one listed last became vda).
    : (['disk', 'nic'] as const).flatMap((kind) => devices.filter((d) => d.kind === kind).reverse().flatMap((d) => d.args('')));
  return [
    k.qemuBinary,
    '-M', k.machine,
    '-cpu', k.cpu,
    // tb-size and -m hold RSS at 140-180 MB; -smp 2 measured slower (RECIPES.md).
    '-accel', `tcg,tb-size=${tbSizeMb}`,
    '-m', String(memoryMb),
    '-smp', '1',
    '-nographic',
    // No default devices (malta's onboard NIC, a VGA): only what is listed here.
    '-nodefaults',
    // No -no-reboot: a guest `reboot` restarts in place (settings on the config
    // disk survive, the console socket stays). panic=-1 makes a kernel panic
    // reboot too; BootStrategy fails on the panic line instead of looping.
    '-monitor', 'none',
    // QMP on a socket in the run directory: the harness stops, saves and resumes the VM through it.
    '-qmp', `unix:${qmpSocket},server=on,wait=off`,
    '-kernel', k.kernelPath,
    ...(k.initrdPath ? ['-initrd', k.initrdPath] : []),
    '-append', append,
    ...wired,
    // vnet_hdr=off on the netdev, or the pcap is unreadable (RECIPES.md).
    // A trunk's capture holds both VLANs, tagged as the guest sent them.
    '-object', `filter-dump,id=wandump,netdev=${vlans ? 'trunk' : 'wan'},file=${wanPcap}`,
    '-chardev', `socket,id=s0,path=${consoleSocket},server=on,wait=off,logfile=${consoleLog},logappend=on`,
    '-serial', 'chardev:s0',
    // A snapshot restore: QEMU loads the saved state and runs on from it (harness/emulator/snapshot-store.ts).
    ...(o.incomingState === undefined ? [] : ['-incoming', `exec:cat ${o.incomingState}`]),
  ];
}

/** The argv as one shell-quoted line, for logs and artifacts. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
