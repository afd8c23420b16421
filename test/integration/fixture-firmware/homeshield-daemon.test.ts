// Needs build/firmware/ built first (`make firmware`); the Makefile's
// integration tier does that. Also needs qemu-arm-static (qemu-user-static)
// and unsquashfs on the host. Runs each build's (both models') static ARM homeshieldd from
// its unpacked rootfs under qemu-user, pointed at a tiny DNS responder on
// 127.0.0.1 (nothing leaves the machine).
import { expect } from 'chai';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DaemonUnderTest, TinyResponder, until } from './daemon-under-test.js';
import { BUILDS, extractRootfs, FIRMWARE_DIR, fileName, type FixtureBuild } from './fixture-files.js';

const SAFETHINGS = /^([0-9a-f]{8}\.q|dfp-dual|hb|deco-cloud)\.safethings\.avira\.com$/;
/** The fixed part of a name: `<hex>.q.safethings...` -> `q`. */
const kind = (n: string) => (n.endsWith('.q.safethings.avira.com') ? 'q' : n);

for (const model of ['archer-ax55v1', 'deco-x20v1']) {
  const oldBuild = BUILDS.find((b) => b.slug === model && b.buggy)!;
  const newBuild = BUILDS.find((b) => b.slug === model && !b.buggy)!;
  const [o, n] = [oldBuild.version, newBuild.version];

  describe(`fixture firmware ${model}: homeshieldd under qemu-user`, function () {
    this.timeout(120_000);
    const roots = new Map<FixtureBuild, string>();
    let dns: TinyResponder;
    let daemon: DaemonUnderTest | undefined;

    before(async () => {
      for (const b of [oldBuild, newBuild]) roots.set(b, extractRootfs(join(FIRMWARE_DIR, fileName(b))));
      dns = await TinyResponder.start();
    });
    beforeEach(() => { dns.names.length = 0; });
    afterEach(async () => {
      await daemon?.stop();
      daemon?.cleanup();
      daemon = undefined;
    });
    after(() => {
      dns.close();
      for (const root of roots.values()) rmSync(dirname(root), { recursive: true, force: true });
    });

    it(`${o} keeps querying its model's safethings names with HomeShield off, ignoring TTL 300`, async () => {
      daemon = DaemonUnderTest.start(roots.get(oldBuild)!, dns.port, 'off');
      await until(`"started version=${o} enable=off"`, () => daemon!.log().includes(`homeshield: started version=${o} enable=off`));
      const cycle = [...oldBuild.names, 'q'];
      await until(`${2 * cycle.length + 1} queries`, () => dns.names.length >= 2 * cycle.length + 1);
      expect(dns.names.every((x) => SAFETHINGS.test(x)), dns.names.join(' ')).to.equal(true);
      // One name after the other, the model's fixed names then a fresh one, round and round.
      expect(dns.names.slice(0, 2 * cycle.length).map(kind)).to.deep.equal([...cycle, ...cycle]);
      expect(dns.names.filter((x) => x === 'dfp-dual.safethings.avira.com').length).to.be.at.least(2);
      const unique = dns.names.filter((x) => x.endsWith('.q.safethings.avira.com'));
      expect(new Set(unique).size).to.equal(unique.length);
      await daemon.stop();
      expect(daemon.log()).to.include('homeshield: stopped');
    });

    it(`${o} logs a setting change but does not stop querying`, async () => {
      daemon = DaemonUnderTest.start(roots.get(oldBuild)!, dns.port, 'on');
      await until('first queries', () => dns.names.length >= 2);
      daemon.setEnable('off');
      await until('"setting changed enable=off"', () => daemon!.log().includes('homeshield: setting changed enable=off'));
      const before = dns.names.length;
      await until('3 more queries while off', () => dns.names.length >= before + 3);
      expect(dns.names.length).to.be.at.least(before + 3);
    });

    it(`${n} sends nothing while off, queries once on, and stops again when off`, async () => {
      daemon = DaemonUnderTest.start(roots.get(newBuild)!, dns.port, 'off');
      await until(`"started version=${n} enable=off"`, () => daemon!.log().includes(`homeshield: started version=${n} enable=off`));
      await sleep(4000); // several of the buggy build's query periods
      expect(dns.names).to.deep.equal([]);

      daemon.setEnable('on');
      await until('"setting changed enable=on"', () => daemon!.log().includes('homeshield: setting changed enable=on'));
      const all = newBuild.names.length + 1;
      await until(`the first ${all} queries after enable`, () => dns.names.length >= all);
      expect(dns.names.every((x) => SAFETHINGS.test(x)), dns.names.join(' ')).to.equal(true);
      expect(dns.names.map(kind).sort()).to.deep.equal([...newBuild.names, 'q'].sort());

      // TTL 300: the cached answers hold; nothing is asked again for now.
      const afterEnable = dns.names.length;
      await sleep(3000);
      expect(dns.names.length).to.equal(afterEnable);

      daemon.setEnable('off');
      await until('"setting changed enable=off"', () => daemon!.log().includes('homeshield: setting changed enable=off'));
      const atOff = dns.names.length;
      await sleep(3000);
      expect(dns.names.length).to.equal(atOff);
      await daemon.stop();
      expect(daemon.log()).to.match(/homeshield: stopped\n$/);
    });
  });
}
