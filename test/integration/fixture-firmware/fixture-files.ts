// Shared by the fixture firmware tests: where the build put the images, and an
// independent reader of the TP-Link v1 header (docs/contracts.md), written
// here again on purpose so the packer is checked against the contract, not
// against itself.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// dist/test/integration/fixture-firmware -> repository root
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const FIRMWARE_DIR = process.env.FIRMLAB_FIRMWARE_OUT ?? join(REPO, 'build/firmware');

/** The valid builds test/fixtures/firmware/build.sh makes: two models, an old (buggy) and a new (fixed) build each. */
export interface FixtureBuild {
  slug: string;
  model: string;
  version: string;
  buggy: boolean;
  hwId: number;
  vendor: string;
  hostname: string;
  /** Fixed names the daemon asks for, in its loop order (a fresh `<hex>.q` name follows). */
  names: string[];
}
const ARCHER = {
  slug: 'archer-ax55v1', model: 'Archer AX55 v1', hwId: 0x05500001, vendor: 'TP-LINK Technologies', hostname: 'ArcherAX55',
  names: ['dfp-dual.safethings.avira.com', 'hb.safethings.avira.com'],
};
const DECO = {
  slug: 'deco-x20v1', model: 'Deco X20 v1', hwId: 0x08200001, vendor: 'TP-Link Deco Mesh', hostname: 'DecoX20',
  names: ['dfp-dual.safethings.avira.com', 'hb.safethings.avira.com', 'deco-cloud.safethings.avira.com'],
};
export const BUILDS: readonly FixtureBuild[] = [
  { ...ARCHER, version: '1.0.7', buggy: true },
  { ...ARCHER, version: '1.0.9', buggy: false },
  { ...DECO, version: '1.1.2', buggy: true },
  { ...DECO, version: '1.1.5', buggy: false },
];
export const VERSIONS = BUILDS.map((b) => b.version);
export const fileName = (b: FixtureBuild): string => `${b.slug}-${b.version}.bin`;
/** Variants of a valid build with one defect each (homeshieldd.c's HS_DEFECT, or a console behind a login), in build/firmware/variants/. */
export interface FixtureVariant {
  defect: 'tls-when-off' | 'stops-when-off' | 'dies-at-start' | 'hangs' | 'login-prompt';
  base: FixtureBuild;
}
const ARCHER_FIXED = BUILDS[1]!;
export const VARIANTS: readonly FixtureVariant[] = (['tls-when-off', 'stops-when-off', 'dies-at-start', 'hangs', 'login-prompt'] as const)
  .map((defect) => ({ defect, base: ARCHER_FIXED }));
export const variantFileName = (v: FixtureVariant): string => `variants/${v.base.slug}-${v.base.version}-${v.defect}.bin`;
export const variantPath = (defect: FixtureVariant['defect']): string =>
  join(FIRMWARE_DIR, variantFileName(VARIANTS.find((v) => v.defect === defect)!));
/** By version alone (versions differ between models). */
export function imagePath(version: string): string {
  const b = BUILDS.find((x) => x.version === version);
  if (!b) throw new Error(`no fixture build has version ${version}`);
  return join(FIRMWARE_DIR, fileName(b));
}

const MD5_SALT = Buffer.from('dcd73aa5c39598fbddf9e7f40eae4738', 'hex');

export interface TpLinkHeader {
  version: number;
  vendor: string;
  fwVersion: string;
  hwId: number;
  md5: Buffer;
  fwLength: number;
  kernelOfs: number;
  kernelLen: number;
  rootfsOfs: number;
  rootfsLen: number;
  verTriple: [number, number, number];
  regionStr1: string;
  /** The fixtures' model name (docs/contracts.md leaves region_str2 free). */
  regionStr2: string;
}

const cstr = (b: Buffer): string => b.toString('latin1').replace(/\0.*$/s, '');

export function readHeader(file: Buffer): TpLinkHeader {
  return {
    version: file.readUInt32BE(0),
    vendor: cstr(file.subarray(0x04, 0x1c)),
    fwVersion: cstr(file.subarray(0x1c, 0x40)),
    hwId: file.readUInt32BE(0x40),
    md5: Buffer.from(file.subarray(0x4c, 0x5c)),
    fwLength: file.readUInt32BE(0x7c),
    kernelOfs: file.readUInt32BE(0x80),
    kernelLen: file.readUInt32BE(0x84),
    rootfsOfs: file.readUInt32BE(0x88),
    rootfsLen: file.readUInt32BE(0x8c),
    verTriple: [file.readUInt16BE(0x98), file.readUInt16BE(0x9a), file.readUInt16BE(0x9c)],
    regionStr1: cstr(file.subarray(0x120, 0x140)),
    regionStr2: cstr(file.subarray(0x140, 0x160)),
  };
}

/** md5sum1: salt at 0x4c, MD5 over [0, fw_length), compare with what was stored. */
export function md5Matches(file: Buffer): boolean {
  const fwLength = file.readUInt32BE(0x7c);
  if (fwLength > file.length) return false;
  const copy = Buffer.from(file.subarray(0, fwLength));
  const stored = Buffer.from(copy.subarray(0x4c, 0x5c));
  MD5_SALT.copy(copy, 0x4c);
  return createHash('md5').update(copy).digest().equals(stored);
}

export const sha256 = (file: Buffer): string => createHash('sha256').update(file).digest('hex');

/** Unsquashes the rootfs part of an image into a fresh temp directory. */
export function extractRootfs(binPath: string): string {
  const file = readFileSync(binPath);
  const h = readHeader(file);
  const dir = mkdtempSync(join(tmpdir(), 'firmlab-fixture-'));
  const sqfs = join(dir, 'rootfs.sqfs');
  writeFileSync(sqfs, file.subarray(h.rootfsOfs, h.rootfsOfs + h.rootfsLen));
  execFileSync('unsquashfs', ['-no-progress', '-d', join(dir, 'root'), sqfs], { stdio: 'ignore' });
  return join(dir, 'root');
}
