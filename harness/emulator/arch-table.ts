import { UnsupportedArchError } from './emulator-errors.js';

/**
 * One generic kernel the emulator image carries and how QEMU boots it.
 * Paths are inside the emulator image (images/emulator/build-kernels.sh).
 * A real vendor kernel does not boot on `-M virt`, so the firmware's own root
 * runs on one of these (as FirmAE, Firmadyne and EMUX do).
 */
export interface KernelEntry {
  /** Key of the entry, also the folder under /opt/firmlab in the image. */
  name: string;
  qemuBinary: string;
  machine: string;
  cpu: string;
  kernelPath: string;
  /** Absent for monolithic kernels that mount the root themselves. */
  initrdPath?: string;
  /** The guest console device for `console=` (the first serial port). */
  console: string;
  /** Firmware userland arch keys (Debian port names, firmware/elf-ident) this kernel runs. */
  runsUserland: readonly string[];
  /** QEMU device names: the ARM virt board has virtio over MMIO, malta over PCI. */
  blockDevice: string;
  netDevice: string;
  /**
   * How the guest numbers devices: on virtio-mmio the device listed last is
   * probed first; on PCI by slot, from `firstPciSlot` up.
   */
  bus: 'mmio' | 'pci';
  firstPciSlot?: number;
  /** NIC option ROM; malta has no firmware to run one, and Debian's QEMU without recommends ships none. */
  nicRomfile?: string;
  /** Kernel command-line words this kernel needs to find its root (monolithic kernels wait for it). */
  rootAppend: readonly string[];
}

const IMAGE_KERNELS = '/opt/firmlab';

export const ARCH_TABLE: readonly KernelEntry[] = [
  {
    // Fastest (RECIPES.md): no self-decompression, and it runs 32-bit ARM
    // userland as many AX/Deco units do.
    name: 'arm64',
    qemuBinary: 'qemu-system-aarch64',
    machine: 'virt',
    cpu: 'cortex-a53',
    kernelPath: `${IMAGE_KERNELS}/arm64/vmlinuz`,
    initrdPath: `${IMAGE_KERNELS}/arm64/initrd.gz`,
    console: 'ttyAMA0',
    runsUserland: ['armhf', 'armel', 'arm64'],
    blockDevice: 'virtio-blk-device',
    netDevice: 'virtio-net-device',
    bus: 'mmio',
    rootAppend: [],
  },
  {
    // images/kernel-virt: Debian's linux-source-6.1 built small and
    // monolithic (virtio, squashfs, the network stack, 32-bit ARM userland
    // built in): no initramfs, and QEMU's copy of it is 6 MiB, not 32.
    name: 'arm64-virt',
    qemuBinary: 'qemu-system-aarch64',
    machine: 'virt',
    cpu: 'cortex-a53',
    kernelPath: `${IMAGE_KERNELS}/arm64-virt/Image`,
    console: 'ttyAMA0',
    runsUserland: ['armhf', 'armel', 'arm64'],
    blockDevice: 'virtio-blk-device',
    netDevice: 'virtio-net-device',
    bus: 'mmio',
    rootAppend: ['rootwait'],
  },
  {
    name: 'armhf',
    qemuBinary: 'qemu-system-arm',
    machine: 'virt',
    cpu: 'cortex-a7',
    kernelPath: `${IMAGE_KERNELS}/armhf/vmlinuz`,
    initrdPath: `${IMAGE_KERNELS}/armhf/initrd.gz`,
    console: 'ttyAMA0',
    runsUserland: ['armhf', 'armel'],
    blockDevice: 'virtio-blk-device',
    netDevice: 'virtio-net-device',
    bus: 'mmio',
    rootAppend: [],
  },
  // MIPS32r2 big-endian (Atheros/Qualcomm ar71xx, ath79 boards) and
  // little-endian (MediaTek/Ralink): one build of images/kernel-malta each.
  maltaKernel('malta-be', 'qemu-system-mips', 'mips'),
  maltaKernel('malta-le', 'qemu-system-mipsel', 'mipsel'),
];

/**
 * A monolithic malta kernel from images/kernel-malta (Debian's
 * linux-source-6.1, everything built in): virtio over PCI, no initramfs.
 */
function maltaKernel(name: string, qemuBinary: string, userland: string): KernelEntry {
  return {
    name,
    qemuBinary,
    machine: 'malta',
    cpu: '24Kc',
    kernelPath: `${IMAGE_KERNELS}/${name}/vmlinux`,
    console: 'ttyS0',
    runsUserland: [userland],
    blockDevice: 'virtio-blk-pci',
    netDevice: 'virtio-net-pci',
    bus: 'pci',
    // Slots 0x12-0x15 probe; a NIC in 0x11 failed with -28 (RECIPES.md).
    firstPciSlot: 0x12,
    nicRomfile: '',
    rootAppend: ['rootwait'],
  };
}

/** The entry named `name`. */
export function kernelNamed(name: string, table: readonly KernelEntry[] = ARCH_TABLE): KernelEntry {
  const entry = table.find((k) => k.name === name);
  if (!entry) throw new UnsupportedArchError(`kernel ${name}`, table.map((k) => k.name));
  return entry;
}

/**
 * The kernel for a firmware's userland: `preferred` when it can run it,
 * otherwise the first entry of the table that can (the table is in order of speed).
 */
export function kernelFor(userlandArch: string, preferred?: string, table: readonly KernelEntry[] = ARCH_TABLE): KernelEntry {
  const able = table.filter((k) => k.runsUserland.includes(userlandArch));
  if (able.length === 0) throw new UnsupportedArchError(userlandArch, [...new Set(table.flatMap((k) => k.runsUserland))]);
  if (preferred !== undefined) {
    const wanted = kernelNamed(preferred, table);
    if (!able.includes(wanted)) throw new UnsupportedArchError(`${userlandArch} on the ${preferred} kernel`, able.map((k) => k.name));
    return wanted;
  }
  return able[0]!;
}
