import { expect } from 'chai';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TooLargeError } from '../../../harness/firmware/firmware-errors.js';
import { runTool } from '../../../harness/firmware/run-tool.js';
import { workDir } from './helpers/test-firmware.js';

/**
 * The caps every unpacking tool runs under, with real programs: a tree that
 * grows past its cap while the tool writes it (what an archive whose listing
 * lies about sizes does) is stopped there, and a tool that runs too long is
 * stopped at its time cap.
 */
describe('firmware tools run under caps (real processes)', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await workDir('firmlab-run-tool-');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('stops a tool whose output tree passes maxBytes, long before it is done', async () => {
    const out = join(dir, 'tree');
    await mkdir(out);
    const cap = 4 * 1024 * 1024;
    // 2 GiB of zeros, 1 MiB at a time, slowly enough to be caught in the act.
    const script = `for i in $(seq 2048); do head -c 1048576 /dev/zero >> ${out}/big; sleep 0.01; done`;
    const e = await runTool(['-c', script], {
      tool: 'sh', aptPackage: 'dash', label: 'hostile.bin', what: 'writing',
      watch: { dir: out, maxBytes: cap, onTooLarge: (bytes) => new TooLargeError('hostile.bin', 'the tree (while written)', bytes, cap) },
    }).then(() => undefined, (err: unknown) => err);
    expect(e).to.be.instanceOf(TooLargeError);
    expect((e as TooLargeError).code).to.equal('FIRMLAB_FIRMWARE_TOO_LARGE');
    const written = (await stat(join(out, 'big'))).size;
    expect(written).to.be.above(cap);
    expect(written, 'stopped near the cap, not at the end').to.be.below(64 * 1024 * 1024);
  });

  it('stops a tool that runs past its time cap with FIRMLAB_FIRMWARE_TOOL_TIMEOUT', async () => {
    const started = Date.now();
    const e = await runTool(['30'], { tool: 'sleep', aptPackage: 'coreutils', label: 'slow.bin', what: 'unsquashfs', timeoutMs: 300 })
      .then(() => undefined, (err: unknown) => err);
    expect(e).to.have.property('code', 'FIRMLAB_FIRMWARE_TOOL_TIMEOUT');
    expect((e as Error).message).to.match(/^slow\.bin: unsquashfs: stopped after 0 s/);
    expect(Date.now() - started).to.be.below(20_000);
  });
});
