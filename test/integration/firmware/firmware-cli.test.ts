import { expect } from 'chai';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { firmlabCli } from './helpers/inspect-cli.js';
import { buildSquashfs, workDir, wrapTplink } from './helpers/test-firmware.js';

/** `firmlab inspect` / `firmlab extract` end to end through the CLI runner, cache from the env. */
describe('firmlab inspect / extract commands', function () {
  this.timeout(60_000);
  let dir: string;
  let fw: string;
  before(async () => {
    dir = await workDir();
    fw = join(dir, 'fw.bin');
    await writeFile(fw, wrapTplink(await buildSquashfs(dir)));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const cli = (...argv: string[]) => firmlabCli(dir, ...argv);

  it('inspect --json prints one camelCase document on stdout', async () => {
    const r = await cli('inspect', fw, '--json');
    expect(r.code).to.equal(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).to.include({ format: 'tplink-v1', kernelVersion: '6.1.0-13-armmp-lpae' });
    expect(doc.cpu).to.include({ archKey: 'armhf' });
    expect(doc.rootfsImage).to.contain(join(dir, 'cache'));
  });

  it('inspect without --json prints a table', async () => {
    const r = await cli('inspect', fw);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/^cpu\s+armhf: arm 32-bit little-endian/m).and.match(/^checksum\s+ok$/m);
  });

  it('extract --out unpacks relative to cwd; --json reports it', async () => {
    const r = await cli('extract', fw, '--out', 'rootfs', '--json');
    expect(r.code).to.equal(0);
    expect(JSON.parse(r.stdout).out).to.equal(join(dir, 'rootfs'));
    expect(await readdir(join(dir, 'rootfs'))).to.include.members(['bin', 'usr', 'etc', 'dev']);
  });

  it('errors are one line starting with the code, exit 2; usage errors exit 64', async () => {
    const r = await cli('inspect', join(dir, 'missing.bin'));
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^FIRMLAB_FIRMWARE_NOT_FOUND: .*missing\.bin/);
    expect((await cli('extract', fw)).code).to.equal(64);
    expect((await cli('extract', fw, '--out', 'x', '--max-bytes', 'lots')).code).to.equal(64);
  });
});
