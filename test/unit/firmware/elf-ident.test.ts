import { expect } from 'chai';
import { identifyElf } from '../../../harness/firmware/elf-ident.js';
import { buildElfHeader } from './helpers/firmware-bytes.js';

describe('ELF identification', () => {
  const cases: [string, Parameters<typeof buildElfHeader>[0], Record<string, unknown>][] = [
    ['ARM hard-float', { bits: 32, endian: 'little', machine: 40, flags: 0x05000400 }, { arch: 'arm', bits: 32, endian: 'little', abi: 'eabi5 hard-float', archKey: 'armhf' }],
    ['ARM soft-float', { bits: 32, endian: 'little', machine: 40, flags: 0x05000200 }, { arch: 'arm', abi: 'eabi5 soft-float', archKey: 'armel' }],
    ['AArch64', { bits: 64, endian: 'little', machine: 183 }, { arch: 'aarch64', bits: 64, archKey: 'arm64' }],
    ['MIPS little', { bits: 32, endian: 'little', machine: 8 }, { arch: 'mips', endian: 'little', archKey: 'mipsel' }],
    ['MIPS big', { bits: 32, endian: 'big', machine: 8 }, { arch: 'mips', endian: 'big', archKey: 'mips' }],
    ['x86-64', { bits: 64, endian: 'little', machine: 62 }, { arch: 'x86_64', archKey: 'amd64' }],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => expect(identifyElf(buildElfHeader(spec), '/bin/busybox')).to.include({ ...want, source: '/bin/busybox' }));
  }

  it('rejects non-ELF, short and malformed headers', () => {
    expect(identifyElf(Buffer.from('#!/bin/sh\n'.padEnd(64)))).to.equal(undefined);
    expect(identifyElf(buildElfHeader({ bits: 32, endian: 'little', machine: 40 }).subarray(0, 20))).to.equal(undefined);
    const badClass = buildElfHeader({ bits: 32, endian: 'little', machine: 40 });
    badClass[4] = 9;
    expect(identifyElf(badClass)).to.equal(undefined);
  });
});
