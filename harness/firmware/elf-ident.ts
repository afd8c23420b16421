import type { CpuArch } from './firmware-image.js';

/**
 * CPU architecture from an ELF header (System V gABI: e_ident, e_machine,
 * e_flags; ARM flags from the ARM ELF ABI, MIPS from the MIPS psABI).
 * Pure: takes the first 64 bytes of a file.
 */
const EM: Record<number, string> = { 3: 'x86', 8: 'mips', 20: 'powerpc', 21: 'powerpc64', 40: 'arm', 62: 'x86_64', 183: 'aarch64', 243: 'riscv' };
const EF_ARM_ABI_FLOAT_SOFT = 0x200;
const EF_ARM_ABI_FLOAT_HARD = 0x400;

export const ELF_IDENT_BYTES = 64;

export function isElf(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

export function identifyElf(b: Buffer, source = ''): CpuArch | undefined {
  if (!isElf(b) || b.length < 52) return undefined;
  const bits = b[4] === 1 ? 32 : b[4] === 2 ? 64 : undefined;
  const endian = b[5] === 1 ? 'little' : b[5] === 2 ? 'big' : undefined;
  if (bits === undefined || endian === undefined) return undefined;
  if (bits === 64 && b.length < 64) return undefined;
  const u16 = (o: number) => (endian === 'little' ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number) => (endian === 'little' ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const machine = u16(18);
  const flags = u32(bits === 32 ? 36 : 48);
  const arch = EM[machine] ?? `unknown(${machine})`;
  const abi = arch === 'arm' ? armAbi(flags) : undefined;
  const cpu: CpuArch = { arch, bits, endian, archKey: archKey(arch, bits, endian, flags), source };
  if (abi !== undefined) cpu.abi = abi;
  return cpu;
}

function armAbi(flags: number): string | undefined {
  const eabi = flags >>> 24;
  const float = flags & EF_ARM_ABI_FLOAT_HARD ? ' hard-float' : flags & EF_ARM_ABI_FLOAT_SOFT ? ' soft-float' : '';
  if (eabi === 0) return float === '' ? undefined : float.trim();
  return `eabi${eabi}${float}`;
}

/** Debian port names, which is what emulator images are keyed by. */
function archKey(arch: string, bits: number, endian: string, flags: number): string {
  const el = endian === 'little';
  switch (arch) {
    case 'arm':
      return !el ? 'armeb' : flags & EF_ARM_ABI_FLOAT_HARD ? 'armhf' : 'armel';
    case 'aarch64':
      return el ? 'arm64' : 'arm64be';
    case 'mips':
      return bits === 64 ? (el ? 'mips64el' : 'mips64') : el ? 'mipsel' : 'mips';
    case 'x86_64':
      return 'amd64';
    case 'x86':
      return 'i386';
    case 'powerpc':
      return 'powerpc';
    case 'powerpc64':
      return el ? 'ppc64el' : 'ppc64';
    case 'riscv':
      return bits === 64 ? 'riscv64' : 'riscv32';
    default:
      return arch;
  }
}
