import { expect } from 'chai';
import { reapOrphans } from '../../../harness/engine/garbage-collector.js';
import { DockerEngine } from '../../../harness/engine/docker-engine.js';
import { currentOwner, ownerGone, ownerLabels, processStart, type ProcessOwner } from '../../../harness/util/process-owner.js';
import { FakeEngineClient } from '../../support/fake-engine-client.js';

const HERE: ProcessOwner = { host: 'ci-runner-3', bootId: 'b0a1', pid: 4242, start: '900' };
/** pids that run on HERE's machine, with their start times. */
const RUNNING: Record<number, string> = { 4242: '900', 5000: '1234' };
const startOf = (pid: number) => RUNNING[pid];

const owner = (o: Partial<ProcessOwner>) => ownerLabels({ ...HERE, ...o });

describe('engine/reaper: orphans of killed runs, and only those', () => {
  it('reads a process\'s start time from /proc/<pid>/stat, whatever its name holds', () => {
    const stat = '777 (node (firmlab) x) S 1 777 777 0 -1 4194560 100 0 0 0 5 1 0 0 20 0 11 0 123456 1000 200 18446744073709551615';
    expect(processStart(777, () => stat)).to.equal('123456');
    expect(processStart(778, () => { throw new Error('ENOENT'); })).to.equal(undefined);
    // This very process: its own labels say it runs.
    const me = currentOwner();
    expect(me.pid).to.equal(process.pid);
    expect(ownerGone(ownerLabels(me), me)).to.equal(false);
  });

  it('judges owners: running, gone, pid reused, another boot; another host or no labels cannot be told', () => {
    expect(ownerGone(owner({ pid: 5000, start: '1234' }), HERE, startOf)).to.equal(false);
    expect(ownerGone(owner({ pid: 6000, start: '77' }), HERE, startOf)).to.equal(true);
    expect(ownerGone(owner({ pid: 5000, start: '99' }), HERE, startOf), 'the pid now belongs to another process').to.equal(true);
    expect(ownerGone(owner({ pid: 5000, start: '1234', bootId: 'old-boot' }), HERE, startOf)).to.equal(true);
    expect(ownerGone(owner({ host: 'other-machine', pid: 6000 }), HERE, startOf)).to.equal(undefined);
    expect(ownerGone({ 'firmlab.session': 's' }, HERE, startOf)).to.equal(undefined);
  });

  it('removes the containers and networks of dead owners, containers first, and leaves live, foreign and unlabelled ones', async () => {
    const client = new FakeEngineClient();
    const add = (name: string, session: string, labels: Record<string, string>) => {
      client.containers.push({ id: `c-${name}`, name, labels: { 'firmlab.session': session, ...labels }, state: 'running' });
      client.networks.push({ id: `n-${name}`, name, labels: { 'firmlab.session': session, ...labels }, subnets: [], internal: true });
    };
    add('killed', 'run-a', owner({ pid: 6000, start: '77' }));
    add('live', 'run-b', owner({ pid: 5000, start: '1234' }));
    add('elsewhere', 'run-c', owner({ host: 'other-machine', pid: 6000 }));
    add('old-firmlab', 'run-d', {});
    const r = await reapOrphans(client, HERE, startOf);
    expect(r.containers.map((c) => [c.name, c.session])).to.deep.equal([['killed', 'run-a']]);
    expect(r.networks.map((n) => n.name)).to.deep.equal(['killed']);
    expect(client.containers.map((c) => c.name)).to.deep.equal(['live', 'elsewhere', 'old-firmlab']);
    expect(client.networks.map((n) => n.name)).to.deep.equal(['live', 'elsewhere', 'old-firmlab']);
  });

  it('labels the owner\'s tag (FIRMLAB_OWNER_TAG) when it has one, so a CI job or test suite finds its own objects', () => {
    const base = { host: 'h', bootId: 'b', pid: 1, start: '2' };
    expect(ownerLabels({ ...base, tag: 'ci-job-7' })).to.include({ 'firmlab.owner.tag': 'ci-job-7' });
    expect(ownerLabels(base)).to.not.have.property('firmlab.owner.tag');
  });

  it('every object firmlab creates names its owner', async () => {
    const client = new FakeEngineClient();
    const engine = await DockerEngine.connect({ client, env: {} });
    await engine.createNetwork({ session: 's', run: 'r' });
    expect(client.networks[0]!.labels).to.include(ownerLabels(currentOwner()));
  });
});
