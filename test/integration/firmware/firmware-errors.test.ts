import { expect } from 'chai';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractFirmware, inspectFirmware } from '../../../harness/firmware/index.js';
import { FirmlabError } from '../../../harness/errors.js';
import { signTplinkImage } from '../../../harness/firmware/formats/tplink-v1-md5.js';
import { buildSquashfs, snapshot, workDir, wrapTplink } from './helpers/test-firmware.js';

/** Each broken input ends in one stable code, and the message names the file. */
describe('firmware errors (real images)', function () {
  this.timeout(60_000);
  let dir: string;
  let good: Buffer;
  let n = 0;
  const file = async (bytes: Buffer) => {
    const p = join(dir, `case-${n++}.bin`);
    await writeFile(p, bytes);
    return p;
  };
  const failure = async (p: Promise<unknown>): Promise<FirmlabError> => {
    const e = await p.then(() => undefined, (err: unknown) => err);
    expect(e, 'expected a FirmlabError').to.be.instanceOf(FirmlabError);
    return e as FirmlabError;
  };
  const opts = () => ({ cacheDir: join(dir, 'cache'), out: join(dir, `out-${n++}`) });

  before(async () => {
    dir = await workDir();
    good = wrapTplink(await buildSquashfs(dir));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const cases: [string, () => Buffer, string][] = [
    ['a file shorter than the header', () => good.subarray(0, 100), 'FIRMLAB_FIRMWARE_TRUNCATED'],
    ['a file cut inside the rootfs', () => good.subarray(0, good.length - 4096), 'FIRMLAB_FIRMWARE_TRUNCATED'],
    ['a wrong MD5', () => Buffer.from(good).fill(0x11, 0x4c, 0x5c), 'FIRMLAB_FIRMWARE_CHECKSUM'],
    ['wrong magic', () => Buffer.from(good).fill(0x42, 0, 4), 'FIRMLAB_FIRMWARE_UNKNOWN_FORMAT'],
    ['rootfs_len past the end (re-signed)', () => resigned((b) => b.writeUInt32BE(b.readUInt32BE(0x8c) + 4096, 0x8c)), 'FIRMLAB_FIRMWARE_TRUNCATED'],
    ['kernel_ofs past the end (re-signed)', () => resigned((b) => b.writeUInt32BE(0x7ffffff0, 0x80)), 'FIRMLAB_FIRMWARE_TRUNCATED'],
    ['an oversized rootfs_len (re-signed)', () => resigned((b) => b.writeUInt32BE(0xfffff000, 0x8c)), 'FIRMLAB_FIRMWARE_TOO_LARGE'],
  ];
  function resigned(edit: (b: Buffer) => void): Buffer {
    const b = Buffer.from(good);
    edit(b);
    return signTplinkImage(b, b.readUInt32BE(0x7c));
  }
  for (const [name, make, code] of cases) {
    it(`${name} -> ${code}, from inspect and from extract, writing nothing`, async () => {
      const p = await file(make());
      const o = opts();
      expect((await failure(inspectFirmware(p, o))).code).to.equal(code);
      const e = await failure(extractFirmware(p, o));
      expect(e.code).to.equal(code);
      expect(e.message).to.contain(p);
      expect(await readdir(dir)).to.not.include(o.out.split('/').pop());
    });
  }

  it('inspects a bad-checksum image when told to ignore it, verdict bad', async () => {
    const p = await file(Buffer.from(good).fill(0x11, 0x4c, 0x5c));
    const r = await inspectFirmware(p, { ...opts(), ignoreChecksum: true });
    expect(r.image.checksum.status).to.equal('bad');
    expect(r.image.checksum.expected).to.equal('11'.repeat(16));
  });

  it('a missing file -> FIRMLAB_FIRMWARE_NOT_FOUND', async () => {
    const missing = join(dir, 'nope.bin');
    const e = await failure(inspectFirmware(missing, opts()));
    expect(e.code).to.equal('FIRMLAB_FIRMWARE_NOT_FOUND');
    expect(e.message).to.contain(missing);
    expect((await failure(inspectFirmware(dir, opts()))).code).to.equal('FIRMLAB_FIRMWARE_NOT_FOUND');
  });

  it('an unpacked size over maxBytes -> FIRMLAB_FIRMWARE_TOO_LARGE before decompression', async () => {
    const p = await file(wrapTplink(await buildSquashfs(dir, { padBytes: 8 * 1024 * 1024 })));
    const o = { ...opts(), maxBytes: 4 * 1024 * 1024 };
    const before = await snapshot(dir);
    const e = await failure(extractFirmware(p, o));
    expect(e.code).to.equal('FIRMLAB_FIRMWARE_TOO_LARGE');
    expect(e.message).to.contain('listing');
    expect(await snapshot(dir)).to.deep.equal(before);
  });

  for (const kind of ['relative', 'absolute'] as const) {
    it(`${kind === 'absolute' ? 'an' : 'a'} ${kind} symlink out of the root -> FIRMLAB_FIRMWARE_UNSAFE_PATH unless allowed`, async () => {
      const p = await file(wrapTplink(await buildSquashfs(dir, { outsideLinks: [kind] })));
      const o = opts();
      const e = await failure(extractFirmware(p, o));
      expect(e.code).to.equal('FIRMLAB_FIRMWARE_UNSAFE_PATH');
      expect(e.message).to.contain(kind === 'relative' ? 'usr/up' : 'etc/pw').and.contain('--allow-outside-links');
      const r = await extractFirmware(p, { ...o, allowOutsideLinks: true });
      expect(r.outsideLinks).to.have.length(1);
      const i = await inspectFirmware(p, o);
      expect(i.image.filesystem!.outsideLinks).to.deep.equal(r.outsideLinks);
    });
  }

  it('a rootfs part that is no filesystem -> FIRMLAB_FIRMWARE_EXTRACT naming the parts and the signatures found', async () => {
    const p = await file(wrapTplink(Buffer.alloc(64 * 1024, 0x5a)));
    const e = await failure(inspectFirmware(p, opts()));
    expect(e.code).to.equal('FIRMLAB_FIRMWARE_EXTRACT');
    expect(e.message).to.contain('no squashfs or tar root filesystem part to unpack').and.contain('parts kernel:uimage, rootfs:unknown; found: uimage at 0x200');
  });

  it('a missing unsquashfs -> FIRMLAB_TOOL_MISSING naming the package', async () => {
    const p = await file(good);
    const e = await failure(inspectFirmware(p, { ...opts(), cacheDir: join(dir, 'cache-tool'), unsquashfs: join(dir, 'no-such-unsquashfs') }));
    expect(e.code).to.equal('FIRMLAB_TOOL_MISSING');
    expect(e.message).to.contain('apt-get install squashfs-tools');
  });
});
