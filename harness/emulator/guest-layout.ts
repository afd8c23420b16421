/**
 * What one guest gets from its lab besides the fixed wiring (lab-wiring.ts):
 * which NIC is WAN, the LAN the harness joins, the web ports it forwards,
 * the flash it emulates, the guest's memory and how its console behaves. A
 * passive description built from the firmware's device profile
 * (harness/profiles), read by the QEMU argv builder, the serial console and
 * images/emulator/lab-entry.sh (through the environment).
 */
import type { ConsoleLogin } from './serial-console.js';

export type NicRole = 'wan' | 'lan';

/**
 * The guest's network: a NIC per side in the guest's order (`['lan',
 * 'wan']`: eth0 is LAN), or one NIC (eth0) carrying both sides as 802.1Q
 * VLANs, as stock TP-Link firmware expects of its switch (VLAN 2 WAN, 3 LAN).
 */
export type NicLayout = readonly NicRole[] | { readonly vlans: { readonly wan: number; readonly lan: number } };

/** The VLANs of a one-NIC layout; undefined for a NIC per side. */
export function trunkVlans(nics: NicLayout): { wan: number; lan: number } | undefined {
  return 'vlans' in nics ? nics.vlans : undefined;
}

/** `eth0 LAN, eth1 WAN` or `eth0 VLAN 2 WAN, VLAN 3 LAN`, for inspect and reports. */
export function nicsText(nics: NicLayout): string {
  const v = trunkVlans(nics);
  if (v) return `eth0 VLAN ${v.wan} WAN, VLAN ${v.lan} LAN`;
  return (nics as readonly NicRole[]).map((r, i) => `eth${i} ${r.toUpperCase()}`).join(', ');
}

/**
 * The guest's second disk. `config-disk`: a raw image the firmware keeps its
 * settings on (the fixture's tar archive). `mtd`: an erased flash partition
 * (0xff bytes) behind block2mtd, named as the firmware's mount_root expects
 * (OpenWrt: `rootfs_data`, jffs2 on it). `none`: no second disk; settings
 * live in RAM and are lost on reboot.
 */
export type FlashSpec =
  | { kind: 'config-disk'; bytes: number }
  | { kind: 'mtd'; name: string; bytes: number; eraseBytes: number }
  | { kind: 'none' };

export interface GuestLayout {
  /** Guest NICs in the guest's order (`nics[0]` becomes eth0), or one NIC carrying both sides as VLANs. */
  nics: NicLayout;
  /** The router's own LAN address, the harness's address in that subnet, the prefix length. */
  lan: { guest: string; host: string; prefix: number };
  /** TCP ports of the router's web UI, forwarded from the container's lab address. */
  webPorts: readonly number[];
  flash: FlashSpec;
  memoryMb: number;
  /** TCG's translation cache (QEMU's tb-size) in MiB; with `memoryMb` it bounds QEMU's RSS. Default DEFAULT_TB_SIZE_MB. */
  translationCacheMb?: number;
  /** The container's caps besides memory (the device profile's `limits`). */
  limits: { pids: number; cpus: number };
  /** The kernel's `init=`; absent: its default (/sbin/init). */
  init?: string;
  /** How the firmware's serial console behaves: its shell prompt (regular expression source) and, when it asks, who to log in as. */
  console?: { prompt: string; login?: ConsoleLogin };
}

/** The fixture's layout and the old fixed guest contract: WAN eth0, LAN 192.168.0.1, port 80, a 1 MiB config disk. */
export const DEFAULT_LAYOUT: GuestLayout = {
  nics: ['wan', 'lan'],
  lan: { guest: '192.168.0.1', host: '192.168.0.2', prefix: 24 },
  webPorts: [80],
  flash: { kind: 'config-disk', bytes: 1024 * 1024 },
  memoryMb: 128,
  limits: { pids: 128, cpus: 1.5 },
};

/** Kernel command-line words a flash needs (block2mtd takes its partition from the command line). */
export function flashAppend(flash: FlashSpec, device: string): string[] {
  return flash.kind === 'mtd' ? [`block2mtd.block2mtd=${device},${flash.eraseBytes},${flash.name}`] : [];
}

/** The byte a fresh flash disk is filled with: erased NOR/NAND reads 0xff, jffs2 refuses zeros. */
export function flashFill(flash: FlashSpec): number {
  return flash.kind === 'mtd' ? 0xff : 0x00;
}
