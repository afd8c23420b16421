import { expect } from 'chai';
import { chmod, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentTag, hashContext } from '../../../harness/engine/content-hash.js';

describe('content-hash tags', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'firmlab-hash-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'Dockerfile'), 'FROM x\n');
    await writeFile(join(dir, 'sub', 'entry.sh'), 'echo hi\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is stable for an unchanged context', async () => {
    expect(await hashContext(dir)).to.equal(await hashContext(dir));
  });

  it('changes when a file changes, is added, or becomes executable', async () => {
    const h0 = await hashContext(dir);
    await writeFile(join(dir, 'sub', 'entry.sh'), 'echo ho\n');
    const h1 = await hashContext(dir);
    await writeFile(join(dir, 'new'), '');
    const h2 = await hashContext(dir);
    await chmod(join(dir, 'new'), 0o755);
    const h3 = await hashContext(dir);
    expect(new Set([h0, h1, h2, h3]).size).to.equal(4);
  });

  it('changes with the extra inputs (the base image the build uses)', async () => {
    expect(await hashContext(dir, ['firmlab/base:bookworm'])).to.not.equal(await hashContext(dir, ['debian:bookworm-slim']));
  });

  it('tags as firmlab/<name>:<16 hex>', () => {
    expect(contentTag('emulator', 'ab'.repeat(32))).to.equal('firmlab/emulator:abababababababab');
  });
});
