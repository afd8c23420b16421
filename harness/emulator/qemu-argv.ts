import type { KernelEntry } from './arch-table.js';
import { GUEST } from './guest-contract.js';

export interface QemuArgvOptions {
  kernel: KernelEntry;
  /** Paths as QEMU sees them (inside the emulator container). */
  rootfsImage: string;
  configDisk: string;
  runDir?: string;
  consoleSocket?: string;
  consoleLog?: string;
  wanPcap?: string;
  /** Guest RAM and TCG translation cache: both bound QEMU's RSS (RECIPES.md). */
  memoryMb?: number;
  tbSizeMb?: number;
  wanTap?: string;
  lanTap?: string;
  macs?: { wan: string; lan: string };
  /** More kernel command-line words, e.g. `firmlab.debug=1` or `quiet`. */
  extraAppend?: string[];
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;
const APPEND_WORD = /^[^\s"'\\]+$/;

/**
 * The QEMU command line for one router: the kernel's board, the firmware's
 * squashfs read-only as /dev/vda, the config disk as /dev/vdb, WAN as eth0 and
 * LAN as eth1 on the container's taps, the console on a unix socket (plus a
 * log file) and a pcap of everything the guest sends on WAN.
 */
export function buildQemuArgv(o: QemuArgvOptions): string[] {
  const runDir = o.runDir ?? GUEST.containerRunDir;
  const consoleSocket = o.consoleSocket ?? `${runDir}/${GUEST.consoleSocket}`;
  const consoleLog = o.consoleLog ?? `${runDir}/${GUEST.consoleLog}`;
  const wanPcap = o.wanPcap ?? `${runDir}/${GUEST.wanPcap}`;
  const memoryMb = o.memoryMb ?? 128;
  const tbSizeMb = o.tbSizeMb ?? 32;
  const macs = o.macs ?? GUEST.macs;
  const extra = o.extraAppend ?? [];
  for (const mac of [macs.wan, macs.lan]) if (!MAC.test(mac)) throw new TypeError(`not a MAC address: ${mac}`);
  for (const w of extra) if (!APPEND_WORD.test(w)) throw new TypeError(`kernel command-line word ${JSON.stringify(w)} has spaces or quotes`);
  for (const [what, v] of [['memoryMb', memoryMb], ['tbSizeMb', tbSizeMb]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new TypeError(`${what} must be a positive integer, got ${v}`);
  }
  for (const p of [o.rootfsImage, o.configDisk, consoleSocket, consoleLog, wanPcap]) {
    // QEMU's option parser splits on commas; a doubled comma escapes one, but keep paths plain.
    if (p.includes(',')) throw new TypeError(`path ${p} contains a comma`);
  }
  const k = o.kernel;
  const append = [`console=${k.console}`, 'root=/dev/vda', 'rootfstype=squashfs', 'ro', 'panic=-1', ...extra].join(' ');
  const nic = (id: string, tap: string, mac: string) => [
    '-netdev', `tap,id=${id},ifname=${tap},script=no,downscript=no,vnet_hdr=off`,
    '-device', `${k.netDevice},netdev=${id},mac=${mac}`,
  ];
  const disk = (id: string, file: string, readonly: boolean) => [
    '-drive', `if=none,id=${id},file=${file},format=raw${readonly ? ',readonly=on' : ''}`,
    '-device', `${k.blockDevice},drive=${id}`,
  ];
  return [
    k.qemuBinary,
    '-M', k.machine,
    '-cpu', k.cpu,
    // tb-size and -m hold RSS at 140-180 MB; -smp 2 measured slower (RECIPES.md).
    '-accel', `tcg,tb-size=${tbSizeMb}`,
    '-m', String(memoryMb),
    '-smp', '1',
    '-nographic',
    // No -no-reboot: a guest `reboot` restarts in place (settings on the config
    // disk survive, the console socket stays). panic=-1 makes a kernel panic
    // reboot too; BootStrategy fails on the panic line instead of looping.
    '-monitor', 'none',
    '-kernel', k.kernelPath,
    '-initrd', k.initrdPath,
    '-append', append,
    // On -M virt the first virtio-mmio -device gets the highest transport
    // address and Linux probes the lowest first: list each kind in reverse of
    // the guest's order (verified: of two disks, the one listed last became vda).
    ...disk('config', o.configDisk, false),
    ...disk('rootfs', o.rootfsImage, true),
    ...nic('lan', o.lanTap ?? GUEST.lanTap, macs.lan),
    ...nic('wan', o.wanTap ?? GUEST.wanTap, macs.wan),
    // vnet_hdr=off on the netdev, or the pcap is unreadable (RECIPES.md).
    '-object', `filter-dump,id=wandump,netdev=wan,file=${wanPcap}`,
    '-chardev', `socket,id=s0,path=${consoleSocket},server=on,wait=off,logfile=${consoleLog},logappend=on`,
    '-serial', 'chardev:s0',
  ];
}

/** The argv as one shell-quoted line, for logs and artifacts. */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
