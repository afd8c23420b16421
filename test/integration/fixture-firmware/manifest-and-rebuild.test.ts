// Needs build/firmware/ built first (`make firmware`); the Makefile's
// integration tier does that. The rebuild case runs
// test/fixtures/firmware/build.sh into a temp directory (Docker, no network,
// the builder image is already there after the first build).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILDS, FIRMWARE_DIR, fileName, md5Matches, readHeader, REPO, sha256, VARIANTS, variantFileName } from './fixture-files.js';

interface ManifestFile {
  path: string; kind: 'valid' | 'variant' | 'broken'; model: string; version: string;
  sha256: string; bytes: number; defect?: string; description?: string; homeshield?: string; hwId?: string;
}
const readManifest = (dir: string): { hwId: string; files: ManifestFile[] } =>
  JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

const allBins = (dir: string): string[] => [
  ...readdirSync(dir).filter((f) => f.endsWith('.bin')),
  ...readdirSync(join(dir, 'broken')).map((f) => `broken/${f}`),
  ...readdirSync(join(dir, 'variants')).map((f) => `variants/${f}`),
].sort();

describe('fixture firmware: manifest, variants and broken images', () => {
  const manifest = readManifest(FIRMWARE_DIR);
  const byDefect = new Map(manifest.files.filter((f) => f.kind === 'broken').map((f) => [f.defect!, f]));
  const bytesOf = (defect: string): Buffer => readFileSync(join(FIRMWARE_DIR, byDefect.get(defect)!.path));

  it('lists every .bin file exactly once, with a matching sha256 and size', () => {
    expect(manifest.files.map((f) => f.path).sort()).to.deep.equal(allBins(FIRMWARE_DIR));
    for (const f of manifest.files) {
      const bytes = readFileSync(join(FIRMWARE_DIR, f.path));
      expect(sha256(bytes), f.path).to.equal(f.sha256);
      expect(bytes.length, f.path).to.equal(f.bytes);
      expect(f.model).to.be.oneOf(['Archer AX55 v1', 'Deco X20 v1']);
    }
  });

  it('describes the valid builds of both models and gives each broken one a defect and a sentence', () => {
    const valid = manifest.files.filter((f) => f.kind === 'valid');
    const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
    expect(valid.map((f) => [f.path, f.model, f.version, f.homeshield, f.hwId])).to.deep.equal(
      BUILDS.map((b) => [fileName(b), b.model, b.version, b.buggy ? 'buggy' : 'fixed', hex(b.hwId)]));
    expect(manifest.hwId).to.equal('0x05500001'); // the broken images' (Archer's), as before
    for (const f of manifest.files.filter((x) => x.kind === 'broken')) {
      expect(f.model, f.path).to.equal('Archer AX55 v1');
      expect(f.defect, f.path).to.match(/^[a-z][a-z-]+$/);
      expect(f.description, f.path).to.match(/\.$/);
    }
    expect([...byDefect.keys()].sort()).to.deep.equal([
      'bad-checksum', 'bad-magic', 'length-past-end', 'oversized-part',
      'symlink-escape-absolute', 'symlink-escape-relative', 'truncated', 'truncated-header',
    ]);
  });

  it('lists the variants of the fixed Archer build, each with its defect, a sentence and the base build\'s ids', () => {
    const variants = manifest.files.filter((f) => f.kind === 'variant');
    expect(variants.map((f) => [f.path, f.model, f.version, f.hwId, f.defect])).to.deep.equal(
      VARIANTS.map((v) => [variantFileName(v), v.base.model, v.base.version, `0x${v.base.hwId.toString(16).padStart(8, '0')}`, v.defect]));
    for (const f of variants) {
      expect(f.description, f.path).to.match(/^[A-Z].*\.$/);
      expect(f.homeshield, f.path).to.equal(undefined); // neither the bug nor the fix
    }
    // Each differs from its base and from the others (the rebuild case checks they are stable).
    const base = manifest.files.find((f) => f.path === fileName(VARIANTS[0]!.base))!;
    expect(new Set([base, ...variants].map((f) => f.sha256)).size).to.equal(variants.length + 1);
  });

  it('has broken images that are broken in the way the manifest says, and only that way', () => {
    expect(md5Matches(bytesOf('bad-checksum'))).to.equal(false);
    const magic = bytesOf('bad-magic');
    expect(magic.readUInt32BE(0)).to.not.equal(0x01000000);
    expect(md5Matches(magic)).to.equal(true);
    const past = bytesOf('length-past-end');
    const h = readHeader(past);
    expect(h.rootfsOfs + h.rootfsLen).to.be.greaterThan(past.length);
    expect(md5Matches(past)).to.equal(true);
    expect(readHeader(bytesOf('oversized-part')).rootfsLen).to.be.greaterThan(512 * 1024 * 1024);
    const truncated = bytesOf('truncated');
    expect(readHeader(truncated).fwLength).to.be.greaterThan(truncated.length);
    expect(bytesOf('truncated-header').length).to.be.lessThan(0x200);
    for (const kind of ['relative', 'absolute']) {
      const image = bytesOf(`symlink-escape-${kind}`);
      expect(md5Matches(image), kind).to.equal(true);
      const listing = execFileSync('unsquashfs', ['-lls', '-o', String(readHeader(image).rootfsOfs),
        join(FIRMWARE_DIR, byDefect.get(`symlink-escape-${kind}`)!.path)]).toString();
      expect(listing, kind).to.match(kind === 'relative' ? /www\/escape -> \.\.\/\.\.\/etc$/m : /www\/passwd -> \/etc\/passwd$/m);
    }
  });

  it('is reproducible: a second build into another directory gives the same sha256s', function () {
    this.timeout(300_000);
    const out = mkdtempSync(join(tmpdir(), 'firmlab-fw-rebuild-'));
    try {
      execFileSync('bash', [join(REPO, 'test/fixtures/firmware/build.sh')], {
        env: { ...process.env, FIRMLAB_FIRMWARE_OUT: out }, stdio: ['ignore', 'ignore', 'pipe'],
      });
      const again = readManifest(out);
      expect(again.files.map((f) => [f.path, f.sha256])).to.deep.equal(manifest.files.map((f) => [f.path, f.sha256]));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
