// Needs build/firmware/ built first (`make firmware`, i.e.
// `bash test/fixtures/firmware/build.sh`); the Makefile's integration tier does that.
// Also needs unsquashfs (squashfs-tools) on the host.
import { expect } from 'chai';
import { existsSync, lstatSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUILDS, extractRootfs, FIRMWARE_DIR, fileName, md5Matches, readHeader } from './fixture-files.js';

for (const build of BUILDS) {
  const { version } = build;
  const path = join(FIRMWARE_DIR, fileName(build));
  describe(`fixture firmware ${fileName(build)}: image format`, () => {
    const file = readFileSync(path);
    const header = readHeader(file);
    let root = '';

    before(() => {
      root = extractRootfs(path);
    });
    after(() => rmSync(dirname(root), { recursive: true, force: true }));

    it('has a TP-Link v1 header that names a fixture build of this model and version', () => {
      expect(header.version).to.equal(0x01000000);
      expect(header.vendor).to.equal(build.vendor);
      expect(header.fwVersion).to.match(new RegExp(`^${version.replace(/\./g, '\\.')} Build \\d{8} FIXTURE$`));
      expect(header.hwId).to.equal(build.hwId);
      expect(header.regionStr1).to.equal('EU');
      expect(header.regionStr2).to.equal(build.model);
      expect(header.verTriple).to.deep.equal(version.split('.').map(Number));
      expect(header.fwLength).to.equal(file.length);
    });

    it('has an md5sum1 that checks out, and fails when one byte changes', () => {
      expect(md5Matches(file)).to.equal(true);
      const changed = Buffer.from(file);
      changed[header.rootfsOfs + 100] ^= 0x01;
      expect(md5Matches(changed)).to.equal(false);
    });

    it('has a legacy uImage kernel part named after the Debian kernel', () => {
      expect(header.kernelOfs).to.equal(0x200);
      const uimage = file.subarray(header.kernelOfs, header.kernelOfs + header.kernelLen);
      expect(uimage.readUInt32BE(0)).to.equal(0x27051956);
      expect(uimage.readUInt32BE(12)).to.equal(header.kernelLen - 64); // ih_size
      expect(uimage[29]).to.equal(2); // ih_arch: ARM
      expect(uimage.subarray(32, 64).toString('latin1')).to.match(/^ARM Linux-\d+\.\d+\.\d+-\d+-armmp-lpae\0/);
      // zImage magic at 0x24 of the image (arch/arm/boot/compressed/head.S)
      expect(uimage.readUInt32LE(64 + 0x24)).to.equal(0x016f2818);
    });

    it('has an xz squashfs root at a 64 KiB boundary', () => {
      expect(header.rootfsOfs % 0x10000).to.equal(0);
      expect(header.rootfsOfs).to.be.at.least(header.kernelOfs + header.kernelLen);
      const sb = file.subarray(header.rootfsOfs, header.rootfsOfs + 96);
      expect(sb.toString('latin1', 0, 4)).to.equal('hsqs');
      expect(sb.readUInt16LE(20)).to.equal(4); // compression id 4: xz
      expect(header.rootfsOfs + header.rootfsLen).to.equal(file.length);
    });

    it('holds a 32-bit ARM homeshieldd and the userland busybox init needs', () => {
      const elf = readFileSync(join(root, 'usr/sbin/homeshieldd'));
      expect(elf.subarray(0, 4).toString('latin1')).to.equal('\x7fELF');
      expect(elf[4]).to.equal(1); // ELFCLASS32
      expect(elf[5]).to.equal(1); // little endian
      expect(elf.readUInt16LE(18)).to.equal(40); // e_machine EM_ARM
      expect(readlinkSync(join(root, 'sbin'))).to.equal('usr/sbin');
      expect(readlinkSync(join(root, 'usr/sbin/init'))).to.equal('../bin/busybox');
      expect(readFileSync(join(root, 'etc/inittab'), 'utf8')).to.match(/^::askfirst:-\/bin\/sh$/m);
      expect(existsSync(join(root, 'usr/sbin/dnsmasq'))).to.equal(true);
      expect(existsSync(join(root, 'usr/lib/arm-linux-gnueabihf/ld-linux-armhf.so.3'))).to.equal(true);
      expect(lstatSync(join(root, 'www/cgi-bin/luci')).mode & 0o111).to.not.equal(0);
      expect(readlinkSync(join(root, 'etc/config'))).to.equal('../tmp/config');
    });

    it('carries the daemon version string of its build and its model\'s query names', () => {
      const elf = readFileSync(join(root, 'usr/sbin/homeshieldd')).toString('latin1');
      expect(elf).to.include(`homeshield: started version=%s enable=%s`);
      expect(elf).to.include(`\0${version}\0`);
      for (const name of build.names) expect(elf).to.include(`\0${name}\0`);
      expect(elf.includes('deco-cloud.safethings.avira.com')).to.equal(build.names.includes('deco-cloud.safethings.avira.com'));
    });

    it('names its model in firmware_info, the web UI and the hostname, and keeps the shared contracts', () => {
      const info = readFileSync(join(root, 'etc/firmware_info'), 'utf8');
      expect(info).to.include(`FW_MODEL='${build.model}'`);
      expect(info).to.include(`FW_VERSION='${header.fwVersion}'`);
      expect(readFileSync(join(root, 'www/index.html'), 'utf8')).to.include(`<h1>${build.model}</h1>`);
      expect(readFileSync(join(root, 'etc/defaults/config/system'), 'utf8')).to.include(`option hostname '${build.hostname}'`);
      const luci = readFileSync(join(root, 'www/cgi-bin/luci'), 'utf8');
      expect(luci).to.include('"/admin/homeshield?form=enable")');
      expect(luci).to.include('"/admin/firmware?form=upgrade")');
      expect(readFileSync(join(root, 'etc/defaults/config/homeshield'), 'utf8')).to.match(/option enable 'on'/);
      // WAN by DHCP like a real router: no lab address is baked into the firmware.
      const network = readFileSync(join(root, 'etc/defaults/config/network'), 'utf8');
      expect(network).to.match(/config interface 'wan'\n\toption ifname 'eth0'\n\toption proto 'dhcp'/);
      expect(network).to.not.include('10.200.');
    });
  });
}
