import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectGarbage, DockerEngine, newId } from '../../../harness/engine/index.js';
import type { FirmlabError } from '../../../harness/errors.js';

// Needs a running Docker engine and the base image (`make setup` + `firmlab images build`).
describe('DockerEngine against the real engine', function () {
  this.timeout(300_000);
  let engine: DockerEngine;
  const session = `itest-engine-${newId()}`;

  before(async () => {
    engine = await DockerEngine.connect();
    await engine.ensureBaseImage();
  });

  after(async () => {
    await collectGarbage(engine.client, { session });
  });

  it('reports FIRMLAB_ENGINE_UNAVAILABLE for a socket nobody listens on', async () => {
    const err = await DockerEngine.connect({ env: { DOCKER_HOST: 'unix:///tmp/firmlab-no-engine.sock' } })
      .then(() => undefined, (e: FirmlabError) => e);
    expect(err?.code).to.equal('FIRMLAB_ENGINE_UNAVAILABLE');
    expect(err?.message).to.contain('unix:///tmp/firmlab-no-engine.sock');
  });

  it('creates an internal, labelled network and removes it', async () => {
    const net = await engine.createNetwork({ session, run: 'net-test' });
    const listed = (await engine.client.listNetworks(`firmlab.session=${session}`)).find((n) => n.id === net.id);
    expect(listed, 'network listed by its session label').to.not.equal(undefined);
    expect(listed!.internal).to.equal(true);
    expect(listed!.subnets).to.deep.equal([net.subnet]);
    await net.remove();
    const after = await engine.client.listNetworks(`firmlab.session=${session}`);
    expect(after.map((n) => n.id)).to.not.include(net.id);
  });

  it('gives parallel labs distinct subnets', async () => {
    const nets = await Promise.all([1, 2, 3].map((i) => engine.createNetwork({ session, run: `par-${i}` })));
    try {
      expect(new Set(nets.map((n) => n.subnet)).size).to.equal(3);
    } finally {
      await Promise.all(nets.map((n) => n.remove()));
    }
  });

  it('builds an image once, then reuses it while its context is unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firmlab-ctx-'));
    try {
      await writeFile(join(dir, 'Dockerfile'), `ARG BASE_IMAGE\nFROM \${BASE_IMAGE}\nRUN echo ${session} > /probe\n`);
      const lines: string[] = [];
      const first = await engine.buildImage('itest-probe', { contextDir: dir, onProgress: (l) => lines.push(l) });
      expect(first.built).to.equal(true);
      expect(lines.join("\n")).to.match(/Step 1\/\d+ : ARG BASE_IMAGE/);
      const second = await engine.buildImage('itest-probe', { contextDir: dir });
      expect(second).to.deep.equal({ tag: first.tag, built: false });
      // A changed context gets a new tag, and the old one is pruned.
      await writeFile(join(dir, 'extra'), 'x');
      const third = await engine.buildImage('itest-probe', { contextDir: dir });
      expect(third.tag).to.not.equal(first.tag);
      expect(await engine.imageExists(first.tag)).to.equal(false);
    } finally {
      for (const t of await engine.client.listImageTags('firmlab.image=itest-probe')) await engine.client.removeImage(t);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never pulls: creating a container from a missing image is FIRMLAB_IMAGE_MISSING', async () => {
    const err = await engine.createContainer({ image: 'firmlab/does-not-exist:0', owner: { session } })
      .then(() => undefined, (e: FirmlabError) => e);
    expect(err?.code).to.equal('FIRMLAB_IMAGE_MISSING');
  });

  it('runs a labelled container on no network and reads its exec output', async () => {
    await using c = await engine.createContainer({
      image: engine.baseImage, owner: { session, role: 'probe' }, cmd: ['sleep', '30'],
    });
    await c.start();
    const r = await c.exec(['sh', '-c', 'echo out; echo err >&2; ip -o link 2>/dev/null | wc -l; exit 3']);
    expect(r.exitCode).to.equal(3);
    expect(r.stdout).to.match(/^out\n/);
    expect(r.stderr).to.equal('err\n');
    const state = await c.inspect();
    expect(state.running).to.equal(true);
    expect(state.ipByNetwork).to.deep.equal({});
  });

  it('gc removes a planted labelled container and network', async () => {
    const planted = `itest-gc-${newId()}`;
    const net = await engine.createNetwork({ session: planted, run: 'crashed' });
    const c = await engine.createContainer({
      image: engine.baseImage, owner: { session: planted, role: 'crashed' }, cmd: ['sleep', '300'],
      network: { name: net.name },
    });
    await c.start();
    const report = await collectGarbage(engine.client, { session: planted });
    expect(report.containers.map((x) => x.id)).to.deep.equal([c.id]);
    expect(report.networks.map((x) => x.id)).to.deep.equal([net.id]);
    expect(report.failures).to.deep.equal([]);
    expect(await engine.client.listContainers(`firmlab.session=${planted}`)).to.deep.equal([]);
    expect(await engine.client.listNetworks(`firmlab.session=${planted}`)).to.deep.equal([]);
  });
});
