// Needs build/firmware/ built first (`make firmware`) and unsquashfs on the
// host. Each variant is its base build with another homeshieldd: the header
// and firmware_info name the defect, every other file is the base's.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { extractRootfs, FIRMWARE_DIR, fileName, md5Matches, readHeader, VARIANTS, variantFileName } from './fixture-files.js';

/** path -> mode and content hash (or link target), for every entry under `root`. */
function listing(root: string, rel = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(join(root, rel)).sort()) {
    const path = join(rel, name);
    const st = lstatSync(join(root, path));
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) out.set(path, `link ${readlinkSync(join(root, path))}`);
    else if (st.isDirectory()) {
      out.set(path, `dir ${mode}`);
      for (const [k, v] of listing(root, path)) out.set(k, v);
    } else if (st.isFile()) out.set(path, `file ${mode} ${createHash('sha256').update(readFileSync(join(root, path))).digest('hex')}`);
    else out.set(path, `node ${mode} ${st.rdev}`); // unsquashfs as root makes real device nodes: never read them
  }
  return out;
}

for (const variant of VARIANTS) {
  const { base, defect } = variant;
  describe(`fixture firmware ${variantFileName(variant)}: image`, () => {
    const file = readFileSync(join(FIRMWARE_DIR, variantFileName(variant)));
    const header = readHeader(file);
    let root = '';
    let baseRoot = '';

    before(() => {
      root = extractRootfs(join(FIRMWARE_DIR, variantFileName(variant)));
      baseRoot = extractRootfs(join(FIRMWARE_DIR, fileName(base)));
    });
    after(() => {
      for (const r of [root, baseRoot]) if (r) rmSync(dirname(r), { recursive: true, force: true });
    });

    it('has a valid header with the base build\'s ids and the defect in fw_version', () => {
      expect(md5Matches(file)).to.equal(true);
      expect(header.vendor).to.equal(base.vendor);
      expect(header.hwId).to.equal(base.hwId);
      expect(header.regionStr2).to.equal(base.model);
      expect(header.verTriple).to.deep.equal(base.version.split('.').map(Number));
      // fw_version holds 35 characters: the defect's first word.
      const baseVersion = readHeader(readFileSync(join(FIRMWARE_DIR, fileName(base)))).fwVersion;
      expect(header.fwVersion).to.equal(`${baseVersion} ${defect.split('-')[0]}`);
      expect(header.fwVersion).to.include('FIXTURE');
    });

    // A daemon defect changes homeshieldd; login-prompt changes how the console starts and root's password.
    const changed = defect === 'login-prompt' ? ['etc/firmware_info', 'etc/inittab', 'etc/shadow'] : ['etc/firmware_info', 'usr/sbin/homeshieldd'];
    it(`differs from its base only in ${changed.join(', ')}`, () => {
      const mine = listing(root);
      const theirs = listing(baseRoot);
      expect([...mine.keys()]).to.deep.equal([...theirs.keys()]);
      const differ = [...mine.keys()].filter((k) => mine.get(k) !== theirs.get(k));
      expect(differ.sort()).to.deep.equal(changed);
      if (defect === 'login-prompt') {
        expect(readFileSync(join(root, 'etc/inittab'), 'utf8')).to.match(/^::askfirst:\/bin\/login$/m);
        expect(readFileSync(join(root, 'etc/shadow'), 'utf8')).to.match(/^root:\$1\$firmlab\$[^:]+:/m);
      }
      const info = readFileSync(join(root, 'etc/firmware_info'), 'utf8');
      expect(info).to.include(`FW_VERSION='${header.fwVersion}'`);
      expect(info).to.include(`FW_MODEL='${base.model}'`);
      const elf = readFileSync(join(root, 'usr/sbin/homeshieldd')).toString('latin1');
      expect(elf).to.include(`\0${base.version}\0`); // the daemon keeps its base version
    });
  });
}
