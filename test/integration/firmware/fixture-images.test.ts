import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { lstat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { extractFirmware, inspectFirmware } from '../../../harness/firmware/index.js';
import { FirmlabError } from '../../../harness/errors.js';
import { projectRoot } from '../../../harness/paths.js';
import { snapshot, workDir } from './helpers/test-firmware.js';

/**
 * The same checks against the project's fixture firmware (built by the
 * firmware-builder into build/firmware/ before the integration tier runs).
 */
interface ManifestFile {
  path: string;
  kind: 'valid' | 'broken' | 'variant';
  version: string;
  sha256: string;
  /** Per valid image (there are several models); absent: the top-level hwId. */
  hwId?: string;
  defect?: string;
  description?: string;
}
interface Manifest {
  arch: string;
  kernelVersion: string;
  hwId: string;
  files: ManifestFile[];
}

/** Manifest `defect` -> the code firmlab must answer with. */
const DEFECT_CODES: Record<string, string> = {
  'bad-checksum': 'FIRMLAB_FIRMWARE_CHECKSUM',
  'bad-magic': 'FIRMLAB_FIRMWARE_UNKNOWN_FORMAT',
  'length-past-end': 'FIRMLAB_FIRMWARE_TRUNCATED',
  'oversized-part': 'FIRMLAB_FIRMWARE_TOO_LARGE',
  'symlink-escape-absolute': 'FIRMLAB_FIRMWARE_UNSAFE_PATH',
  'symlink-escape-relative': 'FIRMLAB_FIRMWARE_UNSAFE_PATH',
  'truncated-header': 'FIRMLAB_FIRMWARE_TRUNCATED',
  truncated: 'FIRMLAB_FIRMWARE_TRUNCATED',
};

const fixtureDir = join(projectRoot(), 'build', 'firmware');
const manifestPath = join(fixtureDir, 'manifest.json');
const manifest: Manifest | undefined = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest) : undefined;

describe('fixture firmware images (build/firmware)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await workDir('firmlab-fixture-');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('has a manifest', () => {
    expect(manifest, `${manifestPath} is missing: build the fixture firmware first (the Makefile does it before the integration tier)`).to.not.equal(undefined);
  });

  for (const f of manifest?.files.filter((x) => x.kind === 'valid') ?? []) {
    it(`${f.path}: inspect reports header, checksum, CPU and kernel; extract unpacks; a second run is cached`, async () => {
      const m = manifest!;
      const file = join(fixtureDir, f.path);
      const cacheDir = join(dir, 'cache');
      const r = await inspectFirmware(file, { cacheDir });
      const img = r.image;
      expect(img.sha256).to.equal(f.sha256);
      expect(img.format).to.equal('tplink-v1');
      expect(img.checksum.status).to.equal('ok');
      expect(img.header!.hwId).to.equal(f.hwId ?? m.hwId);
      expect(`${img.header!.verHi}.${img.header!.verMid}.${img.header!.verLo}`).to.equal(f.version);
      expect(img.header!.versionString).to.contain('FIXTURE');
      expect(img.parts.map((p) => `${p.kind}:${p.type}`)).to.deep.equal(['kernel:uimage', 'rootfs:squashfs-xz']);
      expect(img.parts[1]!.offset % 0x10000).to.equal(0);
      expect(img.cpu?.archKey).to.equal(m.arch);
      expect(img.kernelVersion).to.equal(m.kernelVersion);

      const out = join(dir, `out-${f.path.replace(/\.bin$/, '')}`);
      const x = await extractFirmware(file, { cacheDir, out });
      expect(x.cached, 'extract after inspect reuses the cache').to.equal(true);
      expect((await lstat(join(out, 'usr/sbin/homeshieldd'))).isFile()).to.equal(true);
      expect((await inspectFirmware(file, { cacheDir })).cached).to.equal(true);
    });
  }

  for (const f of manifest?.files.filter((x) => x.kind === 'broken') ?? []) {
    it(`${f.path} (${f.defect}) -> ${DEFECT_CODES[f.defect ?? ''] ?? '?'}`, async () => {
      const code = DEFECT_CODES[f.defect ?? ''];
      expect(code, `no expected error code for manifest defect "${f.defect}" (${f.description}); add it to DEFECT_CODES`).to.be.a('string');
      const file = join(fixtureDir, f.path);
      const before = await snapshot(dir);
      const out = join(dir, 'broken-out');
      const e = await extractFirmware(file, { cacheDir: join(dir, 'cache'), out }).then(() => undefined, (err: unknown) => err);
      expect(e, `${f.path} should have been refused`).to.be.instanceOf(FirmlabError);
      expect((e as FirmlabError).code, (e as Error).message).to.equal(code);
      expect((e as Error).message).to.contain(f.path);
      const after = (await snapshot(dir)).filter((p) => !p.startsWith('cache/'));
      expect(after, 'nothing but the cache may change').to.deep.equal(before.filter((p) => !p.startsWith('cache/')));
    });
  }
});
