import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectGarbage, DockerEngine } from '../../../harness/engine/index.js';
import { mapDockerError } from '../../../harness/engine/engine-errors.js';
import { FakeEngineClient } from '../../support/fake-engine-client.js';
import { currentOwner, ownerLabels } from '../../../harness/util/process-owner.js';
import { FirmlabError } from '../../../harness/errors.js';

describe('DockerEngine with a fake client', () => {
  let client: FakeEngineClient;
  beforeEach(() => { client = new FakeEngineClient(); });

  it('fails to connect with FIRMLAB_ENGINE_UNAVAILABLE and says how to start an engine', async () => {
    client.pingError = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' });
    const err = await DockerEngine.connect({ client }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(FirmlabError);
    expect((err as FirmlabError).code).to.equal('FIRMLAB_ENGINE_UNAVAILABLE');
    expect((err as FirmlabError).message).to.match(/make setup/).and.match(/unix:\/\/\/fake/);
  });

  it('builds an image once and reuses it while its context is unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firmlab-ctx-'));
    try {
      await writeFile(join(dir, 'Dockerfile'), 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n');
      client.images.add('firmlab/base:bookworm');
      const engine = await DockerEngine.connect({ client, env: {} });
      const first = await engine.buildImage('probe', { contextDir: dir });
      const second = await engine.buildImage('probe', { contextDir: dir });
      expect(first.built).to.equal(true);
      expect(second).to.deep.equal({ tag: first.tag, built: false });
      expect(client.builds).to.have.length(1);
      expect(client.builds[0]!.buildArgs).to.deep.equal({ BASE_IMAGE: 'firmlab/base:bookworm' });
      await engine.buildImage('probe', { contextDir: dir, force: true });
      expect(client.builds).to.have.length(2);
      expect(client.removed, 'the tag in use is never pruned').to.deep.equal([]);
      client.images.add('firmlab/probe:0000000000000000');
      await writeFile(join(dir, 'more'), 'x');
      await engine.buildImage('probe', { contextDir: dir });
      expect(client.removed).to.have.members([first.tag, 'firmlab/probe:0000000000000000']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a configured base image that is missing instead of pulling it', async () => {
    const engine = await DockerEngine.connect({ client, env: { FIRMLAB_BASE_IMAGE: 'debian:bookworm-slim' } });
    const err = await engine.ensureBaseImage().then(() => undefined, (e: FirmlabError) => e);
    expect(err?.code).to.equal('FIRMLAB_IMAGE_MISSING');
    expect(err?.message).to.match(/never pulls/);
  });

  it('creates internal networks on a free /24, skipping subnets the engine reports as overlapping', async () => {
    const engine = new DockerEngine(client, {}, () => 0);
    client.networks.push({ id: 'other', name: 'bridge', labels: {}, subnets: ['10.213.0.0/24'], internal: false });
    client.overlapping.add('10.213.1.0/24');
    const net = await engine.createNetwork({ session: 's1', run: 'old' });
    expect(net.subnet).to.equal('10.213.2.0/24');
    expect(net.gateway).to.equal('10.213.2.1');
    expect(net.host(2)).to.equal('10.213.2.2');
    expect(client.networks.find((n) => n.id === net.id)!.labels).to.include({ 'firmlab.session': 's1', 'firmlab.role': 'lab-network' });
    await net.remove();
    await net.remove();
    expect(client.networks.map((n) => n.id)).to.deep.equal(['other']);
  });

  it('maps a missing image on create to FIRMLAB_IMAGE_MISSING (never a pull)', async () => {
    const engine = new DockerEngine(client, {});
    const err = await engine.createContainer({ image: 'firmlab/nope:1', owner: { session: 's' } }).then(() => undefined, (e: FirmlabError) => e);
    expect(err?.code).to.equal('FIRMLAB_IMAGE_MISSING');
  });

  it('labels containers and removes them idempotently', async () => {
    const engine = new DockerEngine(client, {});
    client.images.add('img');
    const c = await engine.createContainer({ image: 'img', owner: { session: 's', run: 'r', role: 'emulator' } });
    expect(client.containers[0]!.labels).to.deep.equal({ 'firmlab.session': 's', 'firmlab.run': 'r', 'firmlab.role': 'emulator', ...ownerLabels(currentOwner()) });
    await c[Symbol.asyncDispose]();
    await c.remove();
    expect(client.containers).to.have.length(0);
  });
});

describe('collectGarbage', () => {
  it('removes labelled containers before networks, only for the given session', async () => {
    const client = new FakeEngineClient();
    client.containers.push({ id: 'c1', name: 'a', labels: { 'firmlab.session': 's1' }, state: 'running' });
    client.containers.push({ id: 'c2', name: 'b', labels: { 'firmlab.session': 's2' }, state: 'exited' });
    client.networks.push({ id: 'n1', name: 'na', labels: { 'firmlab.session': 's1' }, subnets: [], internal: true });
    const report = await collectGarbage(client, { session: 's1' });
    expect(report.containers.map((c) => c.name)).to.deep.equal(['a']);
    expect(report.networks.map((n) => n.name)).to.deep.equal(['na']);
    expect(client.containers.map((c) => c.id)).to.deep.equal(['c2']);
  });

  it('reports what it could not remove and goes on', async () => {
    const client = new FakeEngineClient();
    client.networks.push({ id: 'n1', name: 'stuck', labels: { 'firmlab.session': 's' }, subnets: [], internal: true });
    client.networks.push({ id: 'n2', name: 'fine', labels: { 'firmlab.session': 's' }, subnets: [], internal: true });
    client.failRemove.add('n1');
    const report = await collectGarbage(client);
    expect(report.failures).to.deep.equal([{ kind: 'network', name: 'stuck', error: 'network has active endpoints' }]);
    expect(report.networks.map((n) => n.name)).to.deep.equal(['fine']);
  });
});

describe('mapDockerError', () => {
  it('turns connection errors into FIRMLAB_ENGINE_UNAVAILABLE and API errors into FIRMLAB_DOCKER', () => {
    const gone = mapDockerError('list', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'unix:///s');
    expect(gone.code).to.equal('FIRMLAB_ENGINE_UNAVAILABLE');
    const api = mapDockerError('create network n', Object.assign(new Error('(HTTP code 409) conflict'), { statusCode: 409, json: { message: 'network n already exists' } }), 'unix:///s');
    expect(api.code).to.equal('FIRMLAB_DOCKER');
    expect(api.message).to.equal('create network n failed: network n already exists');
    expect(api.cause).to.be.instanceOf(Error);
  });
});
